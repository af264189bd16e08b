import {
  detectFlavour,
  isControlField,
  marcxmlRecord,
  MARCXML_NAMESPACE,
  UNIMARC_SLIM_NAMESPACE,
  writeIso2709,
  type MarcField,
  type MarcRecord,
} from '@athenaeum/marc';

// MARC 21 slim (MARC21slim.xsd) is stricter than the records libraries hold: a leader with a
// stray letter, a '#' or '|' indicator, a lower-case tag. We repair what has an obvious repair
// and leave out what has none, so every MARCXML we serve validates.
const LEADER_RULES: Array<[RegExp, string]> = [
  ...Array.from({ length: 5 }, (): [RegExp, string] => [/[\d ]/, '0']),
  [/[\dA-Za-z ]/, ' '],
  [/[\dA-Za-z]/, 'a'],
  [/[\dA-Za-z ]/, ' '],
  [/[\dA-Za-z ]/, ' '],
  [/[\dA-Za-z ]/, ' '],
  [/[2 ]/, '2'],
  [/[2 ]/, '2'],
  ...Array.from({ length: 5 }, (): [RegExp, string] => [/[\d ]/, '0']),
  [/[\dA-Za-z ]/, ' '],
  [/[\dA-Za-z ]/, ' '],
  [/[\dA-Za-z ]/, ' '],
];

/** A leader MARC21slim.xsd accepts: each position kept when allowed, otherwise its neutral value. */
export function schemaLeader(leader: string): string {
  const padded = leader.padEnd(24, ' ').slice(0, 24);
  let out = '';
  for (let i = 0; i < 20; i++) {
    const [allowed, fallback] = LEADER_RULES[i]!;
    const c = padded[i]!;
    out += allowed.test(c) ? c : fallback;
  }
  return out + '4500';
}

const CONTROL_TAG = /^00[1-9A-Za-z]$/;
const DATA_TAG = /^(?:0[1-9A-Z][0-9A-Z]|0[1-9a-z][0-9a-z]|[1-9A-Z][0-9A-Z]{2}|[1-9a-z][0-9a-z]{2})$/;
const INDICATOR = /^[\da-z ]$/;
const SUBFIELD_CODE = /^[\dA-Za-z!"#$%&'()*+,\-./:;<=>?{}_^`~[\]\\]$/;

function indicator(value: string): string {
  if (INDICATOR.test(value)) return value;
  const lower = value.toLowerCase();
  return INDICATOR.test(lower) ? lower : ' ';
}

/** The record as MARC21slim.xsd accepts it (see schemaLeader); fields that cannot be repaired are left out. */
export function schemaRecord(record: MarcRecord): MarcRecord {
  const fields: MarcField[] = [];
  for (const field of record.fields) {
    if (isControlField(field)) {
      if (CONTROL_TAG.test(field.tag)) fields.push(field);
      continue;
    }
    if (!DATA_TAG.test(field.tag)) continue;
    const subfields = field.subfields.filter((s) => SUBFIELD_CODE.test(s.code));
    if (subfields.length === 0) continue;
    fields.push({ tag: field.tag, ind1: indicator(field.ind1), ind2: indicator(field.ind2), subfields });
  }
  return { leader: schemaLeader(record.leader), fields };
}

// A UNIMARC record (RUSMARC and the like) is not MARC 21: in the MARC 21 slim namespace a MARC 21
// reader would find no 245 and take its 200 for a main entry. It goes out in the UNIMARC slim
// namespace with its own leader (MARC 21's repairs would turn its "450 " into "4500"), declared
// on the record itself, so that it says what it is inside a MARC 21 collection too.
const isUnimarc = (record: MarcRecord): boolean => detectFlavour(record) === 'unimarc';

function unimarcElement(record: MarcRecord): string {
  return marcxmlRecord(
    { ...record, leader: record.leader.padEnd(24, ' ').slice(0, 24) },
    {
      xmlns: true,
      namespace: UNIMARC_SLIM_NAMESPACE,
    },
  );
}

/** One record as a `<record>` element in the MARC 21 slim namespace, valid against MARC21slim.xsd, whatever its flavour. */
export function marc21SlimElement(record: MarcRecord): string {
  return marcxmlRecord(schemaRecord(record), { xmlns: true });
}

/**
 * One record as a `<record>` element that declares its namespace: MARC 21 slim, valid against
 * MARC21slim.xsd, or UNIMARC slim for a UNIMARC record. (OAI-PMH's marc21 and SRU's marcxml
 * promise MARC21slim.xsd, which harvesters check strictly: they use marc21SlimElement.)
 */
export function marcxmlElement(record: MarcRecord): string {
  return isUnimarc(record) ? unimarcElement(record) : marc21SlimElement(record);
}

/** A MARCXML document holding one record. */
export function marcxmlDocument(record: MarcRecord): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${marcxmlElement(record)}`;
}

export const MARCXML_COLLECTION_START = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARCXML_NAMESPACE}">\n`;
export const MARCXML_COLLECTION_END = '</collection>\n';

/** A record in a MARCXML collection (MARC 21 slim is declared on <collection>; a UNIMARC record declares its own). */
export function marcxmlCollectionMember(record: MarcRecord): string {
  return isUnimarc(record) ? unimarcElement(record) : marcxmlRecord(schemaRecord(record));
}

/** ISO 2709 in UTF-8 (leader/09 'a'). Throws a RangeError when the record exceeds what ISO 2709 can hold. */
export function iso2709(record: MarcRecord): Uint8Array {
  const leader = isUnimarc(record) ? record.leader.padEnd(24, ' ').slice(0, 24) : schemaLeader(record.leader);
  return writeIso2709({ leader, fields: record.fields });
}
