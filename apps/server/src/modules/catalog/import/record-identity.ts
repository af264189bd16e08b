import { createHash } from 'node:crypto';
import { isControlField, type MarcRecord } from '@athenaeum/marc';

/** A stable hash of a record's content: re-importing identical data changes nothing. */
export function contentHash(record: MarcRecord): string {
  return contentHashOfJson(JSON.stringify(record));
}

/** The content hash of a record given as its JSON.stringify text (which an import stores anyway). */
export function contentHashOfJson(json: string): string {
  return createHash('sha256').update(json).digest('base64url');
}

/**
 * The identity of a record at its source, so a newer version updates it: "003/001" (control
 * number and its agency), else the first 035 system number, else the content hash.
 */
export function recordKey(record: MarcRecord, hash = contentHash(record)): string {
  const control = (tag: string) => {
    const field = record.fields.find((f) => f.tag === tag);
    return field && isControlField(field) ? field.value.trim() : '';
  };
  const f001 = control('001');
  if (f001) return `${control('003') || '-'}/${f001}`;
  const f035 = record.fields.find((f) => f.tag === '035' && !isControlField(f));
  const system = f035 && !isControlField(f035) ? f035.subfields.find((s) => s.code === 'a')?.value.trim() : undefined;
  return system ? `035:${system}` : `hash:${hash}`;
}

/**
 * When the record's source last changed it: its 005 (date and time of latest transaction,
 * "yyyymmddhhmmss.f" in MARC 21 and UNIMARC), digits only so that two compare as text; null when
 * it has none or it is not of that form.
 */
export function latestTransaction(record: MarcRecord): string | null {
  const field = record.fields.find((f) => f.tag === '005');
  return field && isControlField(field) ? latestTransactionOf(field.value) : null;
}

/** A 005 value in latestTransaction's form, or null when it is not a date and time. */
export function latestTransactionOf(value: string): string | null {
  const m = /^\s*(\d{14})(?:\.(\d))?\s*$/.exec(value);
  return m ? `${m[1]}${m[2] ?? '0'}` : null;
}
