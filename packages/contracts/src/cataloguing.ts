import { z } from 'zod';
import { ITEM_STATUSES, MARC_FLAVOURS, MARC_PROBLEM_CODES } from './vocabulary.js';
export { ITEM_STATUSES, MARC_FLAVOURS, MARC_PROBLEM_CODES } from './vocabulary.js';
export { ITEM_CHANGE_REASONS, forHoldReason, illStepReason, markedReason } from './vocabulary.js';
import { Holding, NormalizedRecord } from './catalog.js';

// ── MARC as the editors send it ─────────────────────────────────────────────
// Shapes are loose on purpose (any tag, any indicator text): what is wrong in a record is told by
// validateMarc as a list of problems (422), not refused field by field as a malformed body (400).

export const MarcSubfieldInput = z.strictObject({ code: z.string().max(8), value: z.string().max(100_000) });
export type MarcSubfieldInput = z.infer<typeof MarcSubfieldInput>;

export const MarcControlFieldInput = z.strictObject({ tag: z.string().max(8), value: z.string().max(100_000) });
export const MarcDataFieldInput = z.strictObject({
  tag: z.string().max(8),
  ind1: z.string().max(4),
  ind2: z.string().max(4),
  subfields: z.array(MarcSubfieldInput).max(1000),
});
export const MarcFieldInput = z.union([MarcControlFieldInput, MarcDataFieldInput]);
export type MarcFieldInput = z.infer<typeof MarcFieldInput>;
export type MarcDataFieldInput = z.infer<typeof MarcDataFieldInput>;

export const MarcRecordInput = z.strictObject({
  leader: z.string().max(64),
  fields: z.array(MarcFieldInput).max(5000),
});
export type MarcRecordInput = z.infer<typeof MarcRecordInput>;

export const MarcFlavourInput = z.enum(MARC_FLAVOURS);
export type MarcFlavourInput = z.infer<typeof MarcFlavourInput>;

// ── Validation problems ─────────────────────────────────────────────────────

export type MarcProblemCode = (typeof MARC_PROBLEM_CODES)[number];

/**
 * One thing wrong with a record, as a code and parameters (the web app words it in the reader's
 * language). `field` is the field's index in `fields` (absent for the leader and for a missing
 * field), `subfield` the subfield's index in that field, `indicator` 1 or 2.
 */
export const MarcProblem = z.object({
  code: z.enum(MARC_PROBLEM_CODES),
  field: z.number().int().optional(),
  tag: z.string().optional(),
  subfield: z.number().int().optional(),
  indicator: z.union([z.literal(1), z.literal(2)]).optional(),
  position: z.number().int().optional(),
  value: z.string().optional(),
  expected: z.string().optional(),
  subfieldCode: z.string().optional(),
});
export type MarcProblem = z.infer<typeof MarcProblem>;

// ── Staff cataloguing API ───────────────────────────────────────────────────

export const ItemStatus = z.enum(ITEM_STATUSES);
export type ItemStatus = z.infer<typeof ItemStatus>;

export const CataloguingItem = Holding.extend({ notes: z.string().nullable(), updatedAt: z.string() });
export type CataloguingItem = z.infer<typeof CataloguingItem>;

const text = (max: number) => z.string().trim().max(max);

export const ItemCreate = z.strictObject({
  barcode: text(64).min(1),
  branchId: z.uuid().nullable().optional(),
  callNumber: text(200).nullable().optional(),
  location: text(200).nullable().optional(),
  itemType: text(64).min(1).optional(),
  status: ItemStatus.optional(),
  notes: text(2000).nullable().optional(),
});
export type ItemCreate = z.infer<typeof ItemCreate>;

/**
 * An item's details as the client read them before changing it (its values, untrimmed, as the
 * server sent them): each one given is compared with the stored item, and the change is refused
 * with 409 CATALOG_ITEM_CHANGED when someone changed it meanwhile. Not the status, unless the patch
 * changes it: circulation changes a copy's status all day (check-out, check-in), and that must not
 * make a change of its call number fail.
 */
export const ItemExpected = z.strictObject({
  barcode: z.string().max(64).optional(),
  branchId: z.uuid().nullable().optional(),
  callNumber: z.string().max(200).nullable().optional(),
  location: z.string().max(200).nullable().optional(),
  itemType: z.string().max(64).optional(),
  status: ItemStatus.optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type ItemExpected = z.infer<typeof ItemExpected>;

export const ItemPatch = ItemCreate.partial().extend({
  expected: ItemExpected.optional().describe(
    'the details as read before the change: 409 CATALOG_ITEM_CHANGED if one of them changed meanwhile',
  ),
});
export type ItemPatch = z.infer<typeof ItemPatch>;

/** A record as staff edit it: its MARC, its version (for optimistic concurrency), fields and items. */
export const CataloguingRecord = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  workId: z.uuid(),
  flavour: MarcFlavourInput,
  version: z.string().describe('send back as expectedVersion when saving'),
  marc: MarcRecordInput,
  fields: NormalizedRecord,
  workPinned: z.boolean(),
  items: z.array(CataloguingItem),
  updatedAt: z.string(),
  warnings: z
    .array(MarcProblem)
    .optional()
    .describe('problems the stored record has (it had them before its last edit, which they do not block)'),
});
export type CataloguingRecord = z.infer<typeof CataloguingRecord>;

export const RecordSave = z.strictObject({
  marc: MarcRecordInput,
  expectedVersion: z.string().min(1).max(200),
});
export type RecordSave = z.infer<typeof RecordSave>;

export const RecordCreate = z.strictObject({
  marc: MarcRecordInput,
  flavour: MarcFlavourInput.optional(),
});
export type RecordCreate = z.infer<typeof RecordCreate>;
