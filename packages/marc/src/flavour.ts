import { isControlField, type MarcFlavour, type MarcRecord } from './record.js';

/**
 * MARC 21 or UNIMARC, from a record's fields: UNIMARC has no 008 and no 245, and its 100 $a is
 * fixed-length processing data that starts with a date (or blanks) and a type-of-date letter,
 * where a MARC 21 100 $a is a personal name.
 */
export function detectFlavour(record: MarcRecord): MarcFlavour {
  let has200 = false;
  let processing: string | undefined;
  for (const field of record.fields) {
    if (field.tag === '008' || field.tag === '245') return 'marc21';
    if (field.tag === '200') has200 = true;
    if (field.tag === '100' && processing === undefined && !isControlField(field)) {
      processing = field.subfields.find((s) => s.code === 'a')?.value;
    }
  }
  if (processing !== undefined && /^[\d |]{8}[a-k]/.test(processing)) return 'unimarc';
  return has200 ? 'unimarc' : 'marc21';
}

const UNICODE_CHARACTER_SETS = '50      ';

/**
 * Makes a decoded record say it is Unicode: leader/09 'a' (MARC 21), and for UNIMARC also
 * field 100 $a positions 26-33 (the character sets) '50' and blanks, when $a is long enough to
 * hold them. Returns the record, changed in place.
 */
export function declareUnicode(record: MarcRecord, flavour: MarcFlavour): MarcRecord {
  if (record.leader[9] !== 'a') record.leader = record.leader.slice(0, 9) + 'a' + record.leader.slice(10);
  if (flavour !== 'unimarc') return record;
  const field = record.fields.find((f) => f.tag === '100');
  if (!field || isControlField(field)) return record;
  const processing = field.subfields.find((s) => s.code === 'a');
  if (processing && processing.value.length >= 34 && processing.value.slice(26, 34) !== UNICODE_CHARACTER_SETS) {
    processing.value = processing.value.slice(0, 26) + UNICODE_CHARACTER_SETS + processing.value.slice(34);
  }
  return record;
}
