import { z } from 'zod';
import { PATRON_CATEGORIES, ITEM_MARKS } from './vocabulary.js';
export { PATRON_CATEGORIES, ITEM_MARKS } from './vocabulary.js';
import { Locale } from './common.js';
import { SelfRegistrationCategory, SelfRegistrationMode } from './registration.js';

export const PatronCategory = z.enum(PATRON_CATEGORIES);
export type PatronCategory = z.infer<typeof PatronCategory>;

const CardNumber = z.string().trim().min(1).max(64);
const Barcode = z.string().trim().min(1).max(64);
const IsoDate = z.iso.date();

export const PatronBlock = z.object({
  id: z.uuid(),
  reason: z.string(),
  blockedBy: z.uuid().nullable(),
  blockedAt: z.string(),
});
export type PatronBlock = z.infer<typeof PatronBlock>;

/** A patron as the library's staff see it (staff notes included). */
export const Patron = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  personId: z.uuid().nullable(),
  cardNumber: z.string(),
  category: PatronCategory,
  givenName: z.string(),
  familyName: z.string(),
  email: z.string().nullable(),
  preferredLanguage: z.string(),
  expiresOn: z.string(),
  status: z.enum(['active', 'pending', 'closed']),
  keepHistory: z.boolean(),
  staffNotes: z.string(),
  blocks: z.array(PatronBlock),
  openLoans: z.number().int(),
  createdAt: z.string(),
});
export type Patron = z.infer<typeof Patron>;

export const RegisterPatron = z.strictObject({
  cardNumber: CardNumber,
  category: PatronCategory,
  givenName: z.string().trim().min(1).max(100),
  familyName: z.string().trim().min(1).max(100),
  email: z.email().max(254).optional(),
  preferredLanguage: Locale.default('en'),
  expiresOn: IsoDate.optional().describe('default: one year from today'),
  staffNotes: z.string().max(4000).default(''),
  keepHistory: z.boolean().default(false),
  personId: z.uuid().optional().describe("the person's account, for online self-service"),
});
export type RegisterPatron = z.infer<typeof RegisterPatron>;

export const PatronSearchQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const RenewMembership = z.strictObject({ expiresOn: IsoDate });
export const BlockPatron = z.strictObject({ reason: z.string().trim().min(1).max(500) });

/** Per-library circulation settings. */
export const CirculationSettings = z.object({
  quarantineHours: z.number().int().min(0).max(8760),
  pickupWindowDays: z.number().int().min(1).max(365),
  selfRegistration: SelfRegistrationMode.describe(
    'whether people may join online, and whether they may borrow at once',
  ),
  selfRegistrationCategories: z
    .array(SelfRegistrationCategory)
    .describe('the categories people may choose when joining'),
});
export type CirculationSettings = z.infer<typeof CirculationSettings>;
export const UpdateCirculationSettings = z.strictObject({
  quarantineHours: z.number().int().min(0).max(8760).optional(),
  pickupWindowDays: z.number().int().min(1).max(365).optional(),
  selfRegistration: SelfRegistrationMode.optional(),
  selfRegistrationCategories: z
    .array(SelfRegistrationCategory)
    .min(1)
    .refine((c) => new Set(c).size === c.length, 'each category once')
    .optional(),
});

export const PolicyFields = z.strictObject({
  patronCategory: PatronCategory.nullable().default(null).describe('null: any category'),
  itemType: z.string().trim().min(1).max(64).nullable().default(null).describe('null: any item type'),
  loanDays: z.number().int().min(0).max(3650),
  renewals: z.number().int().min(0).max(100).default(2),
  holdBlocksRenewal: z.boolean().default(true),
  maxLoans: z.number().int().min(0).max(10_000).default(30),
  holdsAllowed: z.number().int().min(0).max(10_000).default(20),
  dailyFine: z.number().min(0).max(1000).nullable().default(null).describe('null: fines-free'),
  fineCap: z.number().min(0).max(100_000).nullable().default(null),
  graceDays: z.number().int().min(0).max(365).default(0),
});
export type PolicyFields = z.infer<typeof PolicyFields>;
export const CirculationPolicy = z.object({
  id: z.uuid().nullable().describe('null: the built-in default, used where no rule of the library matches'),
  patronCategory: PatronCategory.nullable(),
  itemType: z.string().nullable(),
  loanDays: z.number().int(),
  renewals: z.number().int(),
  holdBlocksRenewal: z.boolean(),
  maxLoans: z.number().int(),
  holdsAllowed: z.number().int(),
  dailyFine: z.number().nullable(),
  fineCap: z.number().nullable(),
  graceDays: z.number().int(),
});
export type CirculationPolicy = z.infer<typeof CirculationPolicy>;

const DayHours = z.strictObject({
  open: z.string().regex(/^\d\d:\d\d$/),
  close: z.string().regex(/^\d\d:\d\d$/),
});
export const BranchCalendar = z.strictObject({
  weeklyHours: z.array(DayHours.nullable()).length(7).describe('index 0 = Sunday; null = closed'),
  closedDates: z.array(z.strictObject({ date: IsoDate, reason: z.string().max(200).default('') })).max(1000),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "IANA time zone the hours and closed dates are local to (e.g. 'Europe/Moscow'); always in answers; when left out of a change, the zone stays as it was",
    ),
});
export type BranchCalendar = z.infer<typeof BranchCalendar>;

export const LoanItem = z.object({
  id: z.uuid(),
  barcode: z.string(),
  title: z.string().nullable(),
  author: z.string().nullable(),
});

/** The time zone of the lending branch's calendar: due times are its clock's (UTC without a calendar). */
const LoanTimeZone = z.string().describe("IANA time zone of the lending branch (its calendar's), e.g. 'Europe/Moscow'");

/** A loan as staff see it. */
export const Loan = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  branchId: z.uuid(),
  patronId: z.uuid().nullable(),
  item: LoanItem,
  checkedOutAt: z.string(),
  dueAt: z.string(),
  timeZone: LoanTimeZone,
  renewals: z.number().int(),
  renewalsAllowed: z.number().int(),
  returnedAt: z.string().nullable(),
  policyId: z.uuid().nullable(),
});
export type Loan = z.infer<typeof Loan>;

export const CheckOut = z.strictObject({
  cardNumber: CardNumber,
  barcode: Barcode,
  branchId: z.uuid(),
  homeLibraryId: z
    .uuid()
    .optional()
    .describe("network card: the patron's own library, when several libraries of the association have this card"),
});
export const CheckIn = z.strictObject({ barcode: Barcode, branchId: z.uuid() });
export const RenewByBarcode = z.strictObject({ barcode: Barcode });

export const CheckInResult = z.object({
  item: LoanItem,
  loan: Loan.nullable(),
  status: z.string(),
  /** In quarantine until this time. */
  quarantineUntil: z.string().nullable(),
  /** In transit to this branch (its home branch, or the pickup branch of a hold). */
  transitTo: z.object({ id: z.uuid(), code: z.string(), names: z.record(z.string(), z.string()) }).nullable(),
  /** A hold it fills (on the hold shelf here, or in transit to the pickup branch). */
  holdId: z.uuid().nullable(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

export const MarkItem = z.strictObject({
  barcode: Barcode,
  status: z.enum(ITEM_MARKS),
  reason: z.string().trim().max(500).default(''),
});

export const ItemHistory = z.object({
  item: LoanItem.extend({ status: z.string(), homeBranchId: z.uuid().nullable() }),
  events: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      reason: z.string(),
      branchId: z.uuid().nullable(),
      until: z.string().nullable(),
      actorId: z.uuid().nullable(),
      at: z.string(),
    }),
  ),
  loans: z.array(Loan),
});
export type ItemHistory = z.infer<typeof ItemHistory>;

/** A loan as its patron sees it. */
export const MyLoan = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  item: LoanItem,
  checkedOutAt: z.string(),
  dueAt: z.string(),
  timeZone: LoanTimeZone,
  renewals: z.number().int(),
  renewalsAllowed: z.number().int(),
  /** The lending library (another library of the association for a network loan). */
  library: z.object({ id: z.uuid(), code: z.string(), names: z.record(z.string(), z.string()) }).optional(),
});
export type MyLoan = z.infer<typeof MyLoan>;

// Privacy: the data a library holds about a patron, and deletion -------------------------------

const DataLoan = z.object({
  id: z.uuid(),
  item: LoanItem,
  branchId: z.uuid(),
  checkedOutAt: z.string(),
  dueAt: z.string(),
  renewals: z.number().int(),
  returnedAt: z.string().nullable(),
});

/** Everything one library holds about one patron record (the right of access; staff notes included). */
export const PatronData = z.object({
  patron: Patron.omit({ blocks: true, openLoans: true }),
  blocks: z.array(PatronBlock.extend({ liftedAt: z.string().nullable() })),
  openLoans: z.array(DataLoan),
  readingHistory: z.array(DataLoan).describe('ended loans kept because the patron opted in'),
  holds: z.array(
    z.object({
      id: z.uuid(),
      status: z.string(),
      level: z.string(),
      workId: z.uuid(),
      itemId: z.uuid().nullable(),
      pickupBranchId: z.uuid(),
      placedAt: z.string(),
      closedAt: z.string().nullable(),
    }),
  ),
  notificationChoices: z.record(z.string(), z.union([z.boolean(), z.number()])).nullable(),
  fines: z.array(z.lazy(() => Fine)).describe('fines charged at this library, open and settled'),
});
export type PatronData = z.infer<typeof PatronData>;

/** The download: one entry per patron record (a person may be a patron of several libraries). */
export const PatronDataExport = z.object({ generatedAt: z.string(), records: z.array(PatronData) });
export type PatronDataExport = z.infer<typeof PatronDataExport>;

export const PatronDeletionRequest = z.strictObject({ patronId: z.uuid() });

/** A patron record anonymized on request. */
export const PatronDeletion = z.object({
  patronId: z.uuid(),
  anonymized: z.literal(true),
  holdsCancelled: z.number().int(),
  historyLoansUnlinked: z.number().int(),
});
export type PatronDeletion = z.infer<typeof PatronDeletion>;

export const ReadingHistoryChoice = z.strictObject({ keepHistory: z.boolean() });

// Guardians of child patrons ------------------------------------------------------------------

/** A patron as a guardian link shows them (no notes). */
export const LinkedPatron = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  cardNumber: z.string(),
});
export type LinkedPatron = z.infer<typeof LinkedPatron>;

export const LinkGuardian = z.strictObject({
  guardianPatronId: z.uuid().describe("the guardian's own patron record at the same library"),
});

// Network card ---------------------------------------------------------------------------------

/** A library's network-card choices (both off by default) and the currency its fines are charged in. */
export const NetworkSettings = z.object({
  lendsToNetworkPatrons: z.boolean().describe("lend to patrons of the association's other libraries"),
  ownPatronsBorrowElsewhere: z.boolean().describe("this library's patrons may borrow at the association's others"),
  currency: z.string().length(3).describe('ISO 4217; fines are charged in it'),
});
export type NetworkSettings = z.infer<typeof NetworkSettings>;
export const UpdateNetworkSettings = z.strictObject({
  lendsToNetworkPatrons: z.boolean().optional(),
  ownPatronsBorrowElsewhere: z.boolean().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

export const LibraryRef = z.object({ id: z.uuid(), code: z.string(), names: z.record(z.string(), z.string()) });
export type LibraryRef = z.infer<typeof LibraryRef>;

/** A patron of another library of the association, as the lending desk sees them (no notes). */
export const NetworkPatron = z.object({
  id: z.uuid(),
  homeLibrary: LibraryRef,
  cardNumber: z.string(),
  category: PatronCategory,
  givenName: z.string(),
  familyName: z.string(),
  expiresOn: z.string(),
  status: z.enum(['active', 'pending', 'closed']),
  blocked: z.boolean(),
  openLoans: z.number().int().describe('at every library'),
});
export type NetworkPatron = z.infer<typeof NetworkPatron>;
export const NetworkPatronQuery = z.strictObject({ cardNumber: CardNumber });

// Fines -----------------------------------------------------------------------------------------

/** A fine; amounts are whole minor units of the currency (cents), never fractions. */
export const Fine = z.object({
  id: z.uuid(),
  library: LibraryRef,
  patronId: z.uuid(),
  loanId: z.uuid().nullable(),
  item: LoanItem.nullable(),
  amount: z.number().int(),
  paid: z.number().int(),
  waived: z.number().int(),
  balance: z.number().int().describe('amount - paid - waived'),
  currency: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'paid', 'waived']),
  createdAt: z.string(),
  waivedBy: z.uuid().nullable(),
  waivedAt: z.string().nullable(),
  waiveReason: z.string().nullable(),
});
export type Fine = z.infer<typeof Fine>;

/** What an open overdue loan would cost if returned now (computed, not stored). */
export const AccruingFine = z.object({
  loanId: z.uuid(),
  library: LibraryRef,
  item: LoanItem,
  dueAt: z.string(),
  daysOverdue: z.number().int(),
  amount: z.number().int(),
  currency: z.string(),
});
export type AccruingFine = z.infer<typeof AccruingFine>;

/** A patron's fines and the amounts their overdue loans are accruing. */
export const FineSummary = z.object({ fines: z.array(Fine), accruing: z.array(AccruingFine) });
export type FineSummary = z.infer<typeof FineSummary>;

/** A fine as a payment left it, with the payment just taken (what its reversal names). */
export const PaidFine = Fine.extend({
  paymentId: z.uuid().describe('the payment just taken: POST …/payments/{paymentId}/reversal undoes it'),
});
export type PaidFine = z.infer<typeof PaidFine>;

export const PayFine = z.strictObject({
  amount: z.number().int().min(1).describe('minor units (cents); at most the balance'),
});
export const WaiveFine = z.strictObject({ reason: z.string().trim().min(1).max(500) });
