// What of a stored record anyone may read. The catalogue keeps each record's MARC as the library
// sent it, with what the library wrote there for itself: its copies (852, 876–878, and the local
// 9XX fields, where Koha's 952 keeps barcodes, prices, vendors, the date a copy was last borrowed
// and non-public notes) and the notes MARC 21 marks private with first indicator 0 (541 source of
// acquisition — a donor's name and address —, 561 ownership history, 583 actions such as
// weeding). A record exported on its own, OAI-PMH and SRU give the record without them; a
// library's staff exporting their own catalogue get it whole. Copies are public through the
// holdings the catalogue shows (status, call number, location), not through these fields.
import { detectFlavour, isControlField, type MarcField, type MarcRecord } from '@athenaeum/marc';

/** Fields a library keeps for itself in any flavour: local fields and copy-level data. */
const LOCAL_TAGS = /^(9..|852|87[678])$/;
/** MARC 21 notes whose first indicator 0 says "private". */
const PRIVATE_WHEN_0 = new Set(['541', '561', '583']);

function isPublic(field: MarcField, marc21: boolean): boolean {
  if (isControlField(field)) return true;
  if (LOCAL_TAGS.test(field.tag)) return false;
  return !(marc21 && PRIVATE_WHEN_0.has(field.tag) && field.ind1 === '0');
}

/** The record without the library's local and private fields (the record itself is not changed). */
export function publicMarc(record: MarcRecord): MarcRecord {
  const marc21 = detectFlavour(record) === 'marc21';
  const fields = record.fields.filter((field) => isPublic(field, marc21));
  return fields.length === record.fields.length ? record : { ...record, fields };
}
