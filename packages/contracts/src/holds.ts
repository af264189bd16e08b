import { z } from 'zod';
import { HOLD_STATUSES, STAFF_HOLD_LISTS, ILL_STATUSES, ILL_ACTIONS } from './vocabulary.js';
export { HOLD_STATUSES, STAFF_HOLD_LISTS, ILL_STATUSES, ILL_ACTIONS } from './vocabulary.js';
import { PageQuery } from './common.js';

// Holds, click-and-collect pickup slots, inter-library loans and patrons' notification choices.

export const HoldStatus = z.enum(HOLD_STATUSES);
export type HoldStatus = z.infer<typeof HoldStatus>;

export const Hold = z.object({
  id: z.uuid(),
  patronId: z.uuid(),
  libraryId: z.uuid(),
  level: z.enum(['title', 'item']),
  workId: z.uuid(),
  itemId: z.uuid().nullable(),
  recordIds: z.array(z.uuid()).nullable(),
  title: z.string().nullable(),
  author: z.string().nullable(),
  pickupBranchId: z.uuid(),
  status: HoldStatus,
  suspendedUntil: z.string().nullable(),
  trappedItemId: z.uuid().nullable(),
  trappedLibraryId: z.uuid().nullable(),
  readyAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  pickupTimeZone: z
    .string()
    .optional()
    .describe("the pickup branch calendar's IANA time zone, in which expiresAt is closing time"),
  placedAt: z.string(),
  closedAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type Hold = z.infer<typeof Hold>;

const NamedPlace = z.object({ id: z.uuid(), names: z.record(z.string(), z.string()) });
/** One of the signed-in person's library cards, with the pickup branches a hold may name. */
export const HoldOption = z.object({
  patronId: z.uuid(),
  cardNumber: z.string(),
  library: NamedPlace,
  pickupBranches: z.array(NamedPlace),
});
export type HoldOption = z.infer<typeof HoldOption>;

/** A hold on a work (any accepted edition, any copy the network allows) or on one copy. */
export const PlaceHoldBody = z
  .strictObject({
    workId: z.uuid().optional(),
    itemId: z.uuid().optional(),
    /** Title level: the editions accepted; absent = any. */
    recordIds: z.array(z.uuid()).max(100).optional(),
    pickupBranchId: z.uuid(),
    /** The patron record (card) to place it for; default the person's first at a library. */
    patronId: z.uuid().optional(),
  })
  .refine((b) => Boolean(b.workId) !== Boolean(b.itemId), 'name either workId or itemId');
export type PlaceHoldBody = z.infer<typeof PlaceHoldBody>;

export const StaffPlaceHoldBody = z
  .strictObject({
    workId: z.uuid().optional(),
    itemId: z.uuid().optional(),
    recordIds: z.array(z.uuid()).max(100).optional(),
    pickupBranchId: z.uuid(),
    patronId: z.uuid(),
  })
  .refine((b) => Boolean(b.workId) !== Boolean(b.itemId), 'name either workId or itemId');

export const ChangeHoldBody = z
  .strictObject({
    /** ISO date-time or YYYY-MM-DD to suspend until; null resumes. */
    suspendedUntil: z
      .union([z.iso.datetime({ offset: true }), z.iso.date()])
      .nullable()
      .optional(),
    pickupBranchId: z.uuid().optional(),
  })
  .refine((b) => b.suspendedUntil !== undefined || b.pickupBranchId !== undefined, 'change something');
export type ChangeHoldBody = z.infer<typeof ChangeHoldBody>;

export const HoldListQuery = z.strictObject({ closed: z.stringbool().default(false) });

export const StaffHoldListQuery = PageQuery.extend({ list: z.enum(STAFF_HOLD_LISTS) });

export const PullHoldBody = z.strictObject({ atBranchId: z.uuid() });

export const PickupSlot = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  branchId: z.uuid(),
  weekday: z.number().int().min(0).max(6),
  startTime: z.string(),
  endTime: z.string(),
  capacity: z.number().int(),
});
export type PickupSlot = z.infer<typeof PickupSlot>;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
export const CreatePickupSlotBody = z.strictObject({
  branchId: z.uuid(),
  weekday: z.number().int().min(0).max(6),
  startTime: Time,
  endTime: Time,
  capacity: z.number().int().min(1).max(1000),
});

export const PickupOccurrence = z.object({
  slotId: z.uuid(),
  date: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  booked: z.number().int(),
});
export type PickupOccurrence = z.infer<typeof PickupOccurrence>;

export const PickupBooking = z.object({
  id: z.uuid(),
  holdId: z.uuid(),
  slotId: z.uuid(),
  date: z.string(),
  startsAt: z.string(),
});
export type PickupBooking = z.infer<typeof PickupBooking>;

export const BookPickupBody = z.strictObject({ slotId: z.uuid(), date: z.iso.date() });

export const IllStatus = z.enum(ILL_STATUSES);
export type IllStatus = z.infer<typeof IllStatus>;
export const IllAction = z.enum(ILL_ACTIONS);
export type IllAction = z.infer<typeof IllAction>;

export const IllEvent = z.object({
  from: z.string(),
  to: z.string(),
  party: z.enum(['borrower', 'lender', 'patron']),
  reason: z.string().nullable(),
  at: z.string(),
});

export const IllRequest = z.object({
  id: z.uuid(),
  borrowerLibraryId: z.uuid(),
  lenderLibraryId: z.uuid(),
  patronId: z
    .uuid()
    .nullable()
    .describe(
      "null once the patron's part is over (returned, sent back, completed, declined, cancelled), unless they keep a reading history",
    ),
  workId: z.uuid(),
  title: z.string().nullable(),
  itemId: z.uuid().nullable(),
  status: IllStatus,
  note: z.string(),
  declineReason: z.string().nullable(),
  loanDays: z.number().int().nullable(),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The steps the caller may take now. */
  actions: z.array(IllAction),
  events: z.array(IllEvent),
});
export type IllRequest = z.infer<typeof IllRequest>;

export const CreateIllBody = z.strictObject({
  workId: z.uuid(),
  lenderLibraryId: z.uuid(),
  note: z.string().trim().max(1000).optional(),
  /** Patron's own request: which card (default the first); staff: required. */
  patronId: z.uuid().optional(),
});

export const IllActionBody = z.strictObject({
  action: IllAction,
  reason: z.string().trim().min(1).max(500).optional(),
  /** approve: the lender's copy to send (default: a free copy of the work). */
  itemId: z.uuid().optional(),
  /** approve: the lender's loan period in days (default: the lender's rule). */
  loanDays: z.number().int().min(1).max(365).optional(),
});

export const IllListQuery = PageQuery.extend({ role: z.enum(['borrower', 'lender']).default('borrower') });

export const NotificationPrefs = z.object({
  holdReady: z.boolean(),
  pickupReminder: z.boolean(),
  dueSoon: z.boolean(),
  overdue: z.boolean(),
  illStatus: z.boolean(),
  dueSoonDays: z.number().int().min(1).max(30),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;
export const NotificationPrefsBody = NotificationPrefs.partial().strict();
