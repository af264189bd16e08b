// The platform's vocabularies: plain lists, without zod, so that the web app can take them
// (`@athenaeum/contracts/vocabulary`) without the schemas. The schemas build their enums from them.

/** The languages the platform ships, in the order the language switcher shows them. */
export const SUPPORTED_LOCALES = ['en', 'ru', 'zh', 'es', 'ar', 'pt', 'fr', 'hi'] as const;

/** Locales written right to left. */
export const RTL_LOCALES: readonly (typeof SUPPORTED_LOCALES)[number][] = ['ar'];

export const ORGANIZATION_KINDS = ['alliance', 'association', 'library', 'branch'] as const;

export const ROLES = ['patron', 'staff', 'admin', 'member', 'officer'] as const;

/** Which roles exist at which kind of organization. */
export const ROLES_BY_KIND = {
  library: ['patron', 'staff', 'admin'],
  branch: ['patron', 'staff', 'admin'],
  association: ['member', 'officer'],
  alliance: ['member', 'officer'],
} as const satisfies Record<string, readonly (typeof ROLES)[number][]>;

export const MATERIAL_TYPES = [
  'book',
  'ebook',
  'serial',
  'article',
  'map',
  'score',
  'sound',
  'music',
  'audiobook',
  'video',
  'image',
  'software',
  'kit',
  'mixed',
  'object',
  'manuscript',
  'other',
] as const;

export const CATALOG_IMPORT_FORMATS = ['auto', 'marc21', 'unimarc', 'marcxml', 'json'] as const;

export const CATALOG_IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

/**
 * The error of an import whose process stopped before the end (interrupted, killed, crashed), as
 * the server writes it (English, readable in the database and the API); screens show their own
 * words for it.
 */
export const CATALOG_IMPORT_INTERRUPTED =
  'interrupted: the import stopped before the end of the file; the records stored until then are kept, and importing the same file again finishes it without duplicates';

/**
 * The error of an import that stopped on an error of the server (its database, its disk), as the
 * server writes it; what went wrong is in the server's log, not shown to staff in whatever words
 * (and language) the database used. Screens show their own words for it.
 */
export const CATALOG_IMPORT_FAILED =
  'failed: the import stopped on an error of the server (its log says which); the records stored until then are kept, and importing the same file again finishes it without duplicates';

/** The error of an upload whose file is not in the import directory of the server that ran it. */
export const CATALOG_IMPORT_FILE_MISSING =
  'file missing: the uploaded file is not in the import directory of the server that ran the import (several servers must share that directory)';

/**
 * Which holdings field of the records an import reads copies from: automatically the first of
 * Koha's 952, the MARC 21 852 and the vendor 949 present in each record, one of them, or none.
 */
export const CATALOG_IMPORT_HOLDINGS = ['auto', '952', '852', '949', 'none'] as const;

/**
 * The character set an ISO 2709 import decodes every record from: automatically what each
 * record says (leader/09, or UNIMARC field 100 $a/26-33), or one forced for files whose records
 * say it wrongly (the encodings of @athenaeum/marc's MarcEncoding).
 */
export const CATALOG_IMPORT_ENCODINGS = ['auto', 'utf-8', 'marc-8', 'iso-5426', 'windows-1251', 'iso-8859-1'] as const;

/** The statuses of a copy (the same list as the catalog's items table allows). */
export const ITEM_STATUSES = [
  'available',
  'on_loan',
  'in_transit',
  'on_hold_shelf',
  'in_quarantine',
  'lost',
  'damaged',
  'claimed_returned',
  'missing',
  'withdrawn',
  'not_for_loan',
  'in_processing',
] as const;

export const MARC_FLAVOURS = ['marc21', 'unimarc'] as const;

export const MARC_PROBLEM_CODES = [
  'LEADER_LENGTH',
  'LEADER_POSITION',
  'TAG_INVALID',
  'CONTROL_FIELD_EXPECTED',
  'DATA_FIELD_EXPECTED',
  'CONTROL_FIELD_EMPTY',
  'FIXED_FIELD_LENGTH',
  'INDICATOR_INVALID',
  'INDICATOR_UNDEFINED',
  'SUBFIELDS_MISSING',
  'SUBFIELD_CODE_INVALID',
  'SUBFIELD_EMPTY',
  'FIELD_NOT_REPEATABLE',
  'FIELD_MISSING',
  'SUBFIELD_MISSING',
  'FIELD_CHARACTER_INVALID',
  'SUBFIELD_CHARACTER_INVALID',
  'FIELD_TOO_LONG',
  'RECORD_TOO_LONG',
] as const;

export const PATRON_CATEGORIES = ['adult', 'child', 'senior', 'staff', 'institutional'] as const;

export const ITEM_MARKS = ['lost', 'damaged', 'claimed_returned', 'missing'] as const;

export const HOLD_STATUSES = ['waiting', 'pull', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired'] as const;

export const STAFF_HOLD_LISTS = ['pull', 'shelf', 'expired', 'transit'] as const;

export const ILL_STATUSES = [
  'requested',
  'approved',
  'declined',
  'shipped',
  'received',
  'on_loan',
  'returned',
  'shipped_back',
  'completed',
  'cancelled',
] as const;

export const ILL_ACTIONS = [
  'approve',
  'decline',
  'cancel',
  'ship',
  'receive',
  'lend',
  'return',
  'ship_back',
  'check_in',
] as const;

/** Whether a library accepts patrons who register themselves online, and on what terms. */
export const SELF_REGISTRATION_MODES = ['off', 'borrow_at_once', 'confirm_at_desk'] as const;

/** Categories a person may choose for themselves; children are registered by guardians or staff. */
export const SELF_REGISTRATION_CATEGORIES = ['adult', 'senior'] as const;

/**
 * Why a record is in its work, as the server stores it with the record (an English sentence, so
 * that the database and the API stay readable) and as screens read it back into their language
 * (`readMatchReason`). The server writes only these.
 */
export const MATCH_REASONS = {
  titleAuthorNoDate: 'title and author match, no date to compare',
  titleAuthorDate: 'title, author and date match',
  staffKept: 'kept in its work by a staff decision',
  mergedIn: 'merged into this work by a staff decision',
  splitOff: 'split off into a new work by a staff decision',
  splitUndone: 'returned to this work by a staff decision (a split undone)',
  mergeUndone: 'returned to this work by a staff decision (a merge undone)',
} as const;

/** "same ISBN 9780…": the record shares an identifier (kind as in its matching key) with the work. */
export const sameIdentifierReason = (kind: string, value: string): string => `same ${kind.toUpperCase()} ${value}`;

/** "title and author match, dates differ by 3". */
export const yearsApartReason = (years: number): string => `title and author match, dates differ by ${years}`;

export type MatchReasonMessage =
  | { key: 'sameIdentifier'; kind: string; value: string }
  | { key: 'yearsApart'; count: number }
  | { key: keyof typeof MATCH_REASONS };

const FIXED_REASONS = new Map(
  Object.entries(MATCH_REASONS).map(([key, text]) => [text as string, key as keyof typeof MATCH_REASONS]),
);

/** A stored match reason as a message key and its values; null for a sentence not written by these. */
export function readMatchReason(reason: string): MatchReasonMessage | null {
  const fixed = FIXED_REASONS.get(reason);
  if (fixed) return { key: fixed };
  const same = /^same ([A-Z]+) (\S+)$/.exec(reason);
  if (same) return { key: 'sameIdentifier', kind: same[1]!, value: same[2]! };
  const apart = /^title and author match, dates differ by (\d+)$/.exec(reason);
  if (apart) return { key: 'yearsApart', count: Number(apart[1]) };
  return null;
}

/**
 * Why a copy's status changed, as the server writes it into the copy's history (English words,
 * readable in the database and the API) and as screens read it back (`readItemChangeReason`).
 * A reason a member of staff typed when marking a copy is kept as they wrote it.
 */
export const ITEM_CHANGE_REASONS = {
  checkOut: 'check-out',
  checkIn: 'check-in',
  received: 'received',
  quarantineEnded: 'quarantine ended',
  holdReady: 'hold ready',
  holdInTransit: 'hold in transit',
  nextHold: 'next hold',
  holdShelfCleared: 'hold shelf cleared',
  catalogued: 'changed in cataloguing',
  /** A newer version of the copy's record, imported, gave the copy this status. */
  imported: 'changed by an import',
  /** A newer version of the copy's record, imported, no longer lists the copy. */
  droppedByImport: 'no longer in the imported record',
} as const;
export type ItemChangeReasonKey = keyof typeof ITEM_CHANGE_REASONS;

const words = (code: string) => code.replaceAll('_', ' ');

/** "check-in: hold 0190…": the copy was freed (checked in, received, out of quarantine) for a hold. */
export const forHoldReason = (reason: string, holdId: string): string => `${reason}: hold ${holdId}`;
/** "inter-library loan: shipped back". */
export const illStepReason = (status: (typeof ILL_STATUSES)[number]): string => `inter-library loan: ${words(status)}`;
/** "marked claimed returned", when staff gave no reason of their own. */
export const markedReason = (status: (typeof ITEM_STATUSES)[number]): string => `marked ${words(status)}`;

export type ItemChangeReason =
  | { key: ItemChangeReasonKey }
  | { key: 'forHold'; reason: ItemChangeReasonKey }
  | { key: 'ill'; status: (typeof ILL_STATUSES)[number] }
  | { key: 'marked'; status: (typeof ITEM_STATUSES)[number] };

const FIXED_ITEM_REASONS = new Map(
  Object.entries(ITEM_CHANGE_REASONS).map(([key, text]) => [text as string, key as ItemChangeReasonKey]),
);
const coded = <T extends string>(list: readonly T[], text: string): T | undefined =>
  list.find((code) => words(code) === text);

/** A copy's history reason as a message key and its values; null for a reason typed by staff. */
export function readItemChangeReason(reason: string): ItemChangeReason | null {
  const fixed = FIXED_ITEM_REASONS.get(reason);
  if (fixed) return { key: fixed };
  const held = /^(.+): hold \S+$/.exec(reason);
  const freed = held ? FIXED_ITEM_REASONS.get(held[1]!) : undefined;
  if (freed) return { key: 'forHold', reason: freed };
  const ill = /^inter-library loan: (.+)$/.exec(reason);
  const step = ill ? coded(ILL_STATUSES, ill[1]!) : undefined;
  if (step) return { key: 'ill', status: step };
  const marked = /^marked (.+)$/.exec(reason);
  const status = marked ? coded(ITEM_STATUSES, marked[1]!) : undefined;
  if (status) return { key: 'marked', status };
  return null;
}
