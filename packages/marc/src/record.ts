/** A MARC record as this package reads and writes it: text is always Unicode (NFC). */
export interface MarcRecord {
  /** 24 characters; position 9 is 'a' once the record is held as Unicode. */
  leader: string;
  fields: MarcField[];
}

export type MarcField = ControlField | DataField;

/** 00X fields: a tag and a value, no indicators or subfields. */
export interface ControlField {
  tag: string;
  value: string;
}

export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export interface Subfield {
  code: string;
  value: string;
}

export function isControlField(field: MarcField): field is ControlField {
  return 'value' in field;
}

/** The formats records come in. */
export type MarcFlavour = 'marc21' | 'unimarc';
