import type { MarcEncoding } from './charsets/index.js';

/**
 * The encoding named by UNIMARC field 100 $a positions 26-33 (G0, G1, G2, G3 character set
 * codes), or undefined when the codes are blank or name a set no decoder here handles.
 * RUSMARC adds codes for the Russian code pages; '89' is Windows-1251.
 */
export function unimarcEncoding(codes: string): MarcEncoding | undefined {
  const sets = [codes.slice(0, 2), codes.slice(2, 4), codes.slice(4, 6), codes.slice(6, 8)];
  if (sets.includes('50')) return 'utf-8';
  if (sets.includes('89')) return 'windows-1251';
  const [g0, g1] = sets;
  if (g0 === '03' || g1 === '03') return 'iso-5426';
  if (g0 === '01' && (g1 === undefined || g1.trim() === '')) return 'iso-5426';
  return undefined;
}

/** True when the codes are all blank or fill characters, i.e. the record names no character set. */
export function unimarcCodesBlank(codes: string): boolean {
  return /^[ |#]*$/.test(codes);
}
