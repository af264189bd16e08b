import type { MaterialType, NormalizedRecord } from '@athenaeum/contracts';

// RIS reference types (the Research Information Systems tag list as EndNote, Zotero and Mendeley read it).
const RIS_TYPES: Record<MaterialType, string> = {
  book: 'BOOK',
  ebook: 'EBOOK',
  audiobook: 'SOUND',
  serial: 'JFULL',
  article: 'JOUR',
  map: 'MAP',
  score: 'MUSIC',
  sound: 'SOUND',
  music: 'SOUND',
  video: 'VIDEO',
  image: 'ART',
  software: 'COMP',
  manuscript: 'MANSCPT',
  kit: 'GEN',
  mixed: 'GEN',
  object: 'GEN',
  other: 'GEN',
};
const EDITOR = /^(edt|editor|ed\.?)$/i;

/** One RIS line; RIS values are single lines, so line breaks in the data become spaces. */
const line = (tag: string, value: string) => `${tag}  - ${value.replace(/[\r\n]+/g, ' ').trim()}\r\n`;

/** A record as an RIS reference, lines ending in CR LF as the format asks, closed by `ER  - `. */
export function risRecord(record: { id: string; fields: NormalizedRecord; url?: string | null }): string {
  const f = record.fields;
  let out = line('TY', RIS_TYPES[f.materialType]);
  out += line('ID', record.id);
  out += line('TI', f.subtitle ? `${f.title}: ${f.subtitle}` : f.title);
  // Names of every kind alike, as BibTeX's author and editor and Dublin Core's creator do: a
  // corporate or meeting main entry (110, 111) is the author, not a secondary one.
  for (const a of f.authors) {
    const name = a.kind === 'person' ? a.name.replace(/[,.]\s*$/, '') : a.name;
    out += line(a.roles.some((r) => EDITOR.test(r)) ? 'A2' : 'AU', name);
  }
  if (f.year !== null) out += line('PY', String(f.year));
  if (f.dateText) out += line('DA', f.dateText);
  if (f.publisher) out += line('PB', f.publisher);
  if (f.place) out += line('CY', f.place);
  if (f.edition) out += line('ET', f.edition);
  for (const s of f.series) out += line('T3', s);
  for (const isbn of f.isbns) out += line('SN', isbn);
  for (const issn of f.issns) out += line('SN', issn);
  for (const l of f.languages) out += line('LA', l);
  for (const s of f.subjects) out += line('KW', s.heading);
  if (f.summary) out += line('AB', f.summary);
  for (const n of f.notes) out += line('N1', n);
  if (f.extent) out += line('SP', f.extent);
  const call = [...f.classification.lcc, ...f.classification.ddc][0];
  if (call) out += line('CN', call);
  for (const link of f.links.filter((l) => l.kind === 'resource')) out += line('UR', link.url);
  if (record.url) out += line('UR', record.url);
  return `${out}ER  - \r\n`;
}
