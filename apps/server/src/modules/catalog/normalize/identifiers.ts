import ISBN from 'isbn3';

/** A valid ISBN (10 or 13, any hyphenation) as ISBN-13, or null. */
export function normalizeIsbn(raw: string): string | null {
  const candidate = raw.replace(/\(.*?\)/g, '').match(/[0-9][0-9\-\s]{8,16}[0-9Xx]/)?.[0];
  if (!candidate) return null;
  const parsed = ISBN.parse(candidate.replace(/[\s-]/g, ''));
  return parsed?.isValid ? (parsed.isbn13 ?? null) : null;
}

/** Digits of an ISBN-looking string as typed, for reporting an invalid one. */
export function isbnDigits(raw: string): string | null {
  const candidate = raw.match(/[0-9][0-9\-\s]{8,16}[0-9Xx]/)?.[0];
  return candidate ? candidate.replace(/[\s-]/g, '').toUpperCase() : null;
}

/** A valid ISSN as NNNN-NNNC, or null. */
export function normalizeIssn(raw: string): string | null {
  const m = raw.toUpperCase().match(/(\d{4})-?(\d{3}[\dX])/);
  if (!m) return null;
  const digits = `${m[1]}${m[2]}`;
  const sum = [...digits.slice(0, 7)].reduce((acc, d, i) => acc + Number(d) * (8 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  const expected = check === 10 ? 'X' : String(check);
  return digits[7] === expected ? `${m[1]}-${m[2]}` : null;
}

/** The LCCN normalization of the LC standard: no spaces or hyphen, serial padded to 6 digits. */
export function normalizeLccn(raw: string): string | null {
  let text = raw.replace(/\s+/g, '').split('/')[0]!;
  const hyphen = text.indexOf('-');
  if (hyphen > 0) text = text.slice(0, hyphen) + text.slice(hyphen + 1).padStart(6, '0');
  return /^[a-z]{0,3}\d{8,10}$/.test(text) ? text : null;
}

/** OCLC numbers from 035 "(OCoLC)ocm00012345" forms, without prefixes and leading zeros. */
export function normalizeOclc(raw: string): string | null {
  // (Up to 15 digits: OCLC numbers have 10 today; longer digit runs are not OCLC numbers.)
  const m = raw.match(/^\(OCoLC\)(?:ocm|ocn|on)?0*(\d{1,15})(?!\d)/i);
  return m ? m[1]! : null;
}
