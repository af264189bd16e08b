import { CATALOG_IMPORT_HOLDINGS, type CatalogImportHoldings, type ItemStatus } from '@athenaeum/contracts';
import { isControlField, type DataField, type MarcRecord } from '@athenaeum/marc';

/**
 * The statuses a holdings field can give a copy. Koha's 952 says "withdrawn", "lost", "damaged"
 * and "not for loan" in subfields of their own; that a copy is on loan ($q, a due date) is not
 * taken: there is no loan behind it here, so such a copy is imported as the others are.
 */
export type ImportedItemStatus = Extract<ItemStatus, 'available' | 'withdrawn' | 'lost' | 'damaged' | 'not_for_loan'>;

/** Which subfields of a holdings field carry what. */
export interface HoldingsMapping {
  tag: string;
  barcode: string;
  callNumber: string;
  location: string;
  itemType: string;
  branch: string;
  /**
   * Subfields that, when present with a value other than 0, give the copy a status; the first
   * that applies wins. A field of a layout with status subfields and none of them set describes
   * an available copy. Without this list (852, 949, which have no standard ones), the file says
   * nothing of a copy's status.
   */
  statuses?: ReadonlyArray<{ subfield: string; status: Exclude<ImportedItemStatus, 'available'> }>;
}

/** The holdings fields an import knows, in the order the automatic choice tries them. */
export const HOLDINGS_FIELDS = ['952', '852', '949'] as const;
export type HoldingsField = (typeof HOLDINGS_FIELDS)[number];

/** Known layouts: Koha's 952, the MARC 21 holdings 852, and the common vendor 949. */
export const HOLDINGS_MAPPINGS: Record<HoldingsField, HoldingsMapping> = {
  '952': {
    tag: '952',
    barcode: 'p',
    callNumber: 'o',
    location: 'c',
    itemType: 'y',
    branch: 'b',
    // Koha: $0 withdrawn, $1 lost, $4 damaged, $7 not for loan (each a number, 0 when not so).
    statuses: [
      { subfield: '0', status: 'withdrawn' },
      { subfield: '1', status: 'lost' },
      { subfield: '4', status: 'damaged' },
      { subfield: '7', status: 'not_for_loan' },
    ],
  },
  '852': { tag: '852', barcode: 'p', callNumber: 'h', location: 'c', itemType: 't', branch: 'b' },
  '949': { tag: '949', barcode: 'i', callNumber: 'a', location: 'l', itemType: 't', branch: 'm' },
};

/** The choices a person has (command line, upload): a field, none, or automatic (the first present). */
export { CATALOG_IMPORT_HOLDINGS as HOLDINGS_CHOICES, type CatalogImportHoldings as HoldingsChoice };

/**
 * What an import's options take for a choice: a field's mapping, null for no items at all, or
 * undefined for the automatic choice.
 */
export function holdingsMapping(choice: CatalogImportHoldings | undefined): HoldingsMapping | null | undefined {
  if (choice === undefined || choice === 'auto') return undefined;
  if (choice === 'none') return null;
  return HOLDINGS_MAPPINGS[choice];
}

/**
 * The statuses an import may change on a copy it finds stored (to the status its record's newer
 * version gives it, or to withdrawn when that version no longer lists it): those a library sets
 * in cataloguing. Never those circulation sets while a patron or a transfer depends on the copy
 * (on loan, in transit, on the hold shelf, in quarantine), nor the desk's marks that may stand
 * with a loan still open or a bill (lost, missing, claimed returned): they end at the desk, by a
 * check-in or a member of staff. So a copy a file once said was lost stays lost when a later
 * file no longer says so, until staff decide.
 */
export const STATUSES_AN_IMPORT_MAY_CHANGE: readonly ItemStatus[] = [
  'available',
  'not_for_loan',
  'damaged',
  'withdrawn',
  'in_processing',
];

export interface ExtractedItem {
  barcode: string;
  callNumber: string | null;
  location: string | null;
  itemType: string | null;
  branchCode: string | null;
  /** The copy's status as the file gives it; null when the field's layout says nothing of it. */
  status: ImportedItemStatus | null;
}

const value = (field: DataField, code: string) => field.subfields.find((s) => s.code === code)?.value.trim() || null;

/** A status subfield is set when it has a value other than zero (Koha's authorised values are numbers). */
const isSet = (text: string | null) => text !== null && !/^[0\s]*$/.test(text);

function statusOf(field: DataField, mapping: HoldingsMapping): ImportedItemStatus | null {
  if (!mapping.statuses) return null;
  for (const { subfield, status } of mapping.statuses) if (isSet(value(field, subfield))) return status;
  return 'available';
}

/** The mapping the automatic choice takes for a record: the first of 952, 852 and 949 present in it. */
function automatic(record: MarcRecord): HoldingsMapping | undefined {
  return HOLDINGS_FIELDS.map((t) => HOLDINGS_MAPPINGS[t]).find((m) => record.fields.some((f) => f.tag === m.tag));
}

/**
 * The items described in a record's holdings fields. Without a mapping, the first of 952, 852
 * and 949 present in the record is used; with null, none. Fields without a barcode are not items.
 */
export function extractHoldings(record: MarcRecord, mapping?: HoldingsMapping | null): ExtractedItem[] {
  const use = mapping === undefined ? automatic(record) : mapping;
  if (!use) return [];
  const items: ExtractedItem[] = [];
  for (const field of record.fields) {
    if (field.tag !== use.tag || isControlField(field)) continue;
    const barcode = value(field, use.barcode);
    if (!barcode) continue;
    const callNumber =
      use.tag === '852'
        ? [value(field, 'h'), value(field, 'i')].filter(Boolean).join(' ') || null
        : value(field, use.callNumber);
    items.push({
      barcode,
      callNumber,
      location: value(field, use.location),
      itemType: value(field, use.itemType),
      branchCode: value(field, use.branch),
      status: statusOf(field, use),
    });
  }
  return items;
}
