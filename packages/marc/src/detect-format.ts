/** The serialisations the readers handle. */
export type MarcFormat = 'iso2709' | 'marcxml' | 'json';

/**
 * The format of MARC data from its first bytes (a few hundred are plenty): XML starts with '<',
 * MARC-in-JSON with '{' or '[', after an optional byte order mark and whitespace; anything else
 * is taken for ISO 2709, whose reader reports what it cannot read.
 */
export function detectFormat(firstBytes: Uint8Array): MarcFormat {
  let at = 0;
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) at = 3;
  else if ((firstBytes[0] === 0xff && firstBytes[1] === 0xfe) || (firstBytes[0] === 0xfe && firstBytes[1] === 0xff))
    return 'marcxml';
  while (at < firstBytes.length) {
    const b = firstBytes[at] as number;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) break;
    at++;
  }
  const first = firstBytes[at];
  if (first === 0x3c) return 'marcxml';
  if (first === 0x7b || first === 0x5b) return 'json';
  return 'iso2709';
}
