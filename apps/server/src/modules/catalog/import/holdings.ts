import { isControlField, type DataField, type MarcRecord } from '@athenaeum/marc';

/** Which subfields of a holdings field carry what. */
export interface HoldingsMapping {
  tag: string;
  barcode: string;
  callNumber: string;
  location: string;
  itemType: string;
  branch: string;
}

/** Known layouts: Koha's 952, the MARC 21 holdings 852, and the common vendor 949. */
export const HOLDINGS_MAPPINGS: Record<'952' | '852' | '949', HoldingsMapping> = {
  '952': { tag: '952', barcode: 'p', callNumber: 'o', location: 'c', itemType: 'y', branch: 'b' },
  '852': { tag: '852', barcode: 'p', callNumber: 'h', location: 'c', itemType: 't', branch: 'b' },
  '949': { tag: '949', barcode: 'i', callNumber: 'a', location: 'l', itemType: 't', branch: 'm' },
};

export interface ExtractedItem {
  barcode: string;
  callNumber: string | null;
  location: string | null;
  itemType: string | null;
  branchCode: string | null;
}

const value = (field: DataField, code: string) => field.subfields.find((s) => s.code === code)?.value.trim() || null;

/**
 * The items described in a record's holdings fields. Without a mapping, the first of 952, 852
 * and 949 present in the record is used. Fields without a barcode are not items.
 */
export function extractHoldings(record: MarcRecord, mapping?: HoldingsMapping): ExtractedItem[] {
  const use =
    mapping ??
    (['952', '852', '949'] as const)
      .map((t) => HOLDINGS_MAPPINGS[t])
      .find((m) => record.fields.some((f) => f.tag === m.tag));
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
    });
  }
  return items;
}
