import type { MaterialType, NormalizedRecord } from '@athenaeum/contracts';

const ENTRY_TYPES: Record<MaterialType, string> = {
  book: 'book',
  ebook: 'book',
  audiobook: 'misc',
  serial: 'periodical',
  article: 'article',
  map: 'misc',
  score: 'misc',
  sound: 'misc',
  music: 'misc',
  video: 'misc',
  image: 'misc',
  software: 'software',
  manuscript: 'unpublished',
  kit: 'misc',
  mixed: 'misc',
  object: 'misc',
  other: 'misc',
};
const EDITOR = /^(edt|editor|ed\.?)$/i;

// BibTeX's special characters, escaped so a value can never end its braces or start a command.
// Braces are written as commands, not as \{ and \}: BibTeX (and btparse) count every brace,
// a backslash before it too, so "\}" would still close the field. Unicode is kept as is:
// biber and modern BibTeX read UTF-8.
const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '#': '\\#',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};
export function bibtexEscape(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\{}#%&$_~^]/g, (c) => SPECIAL[c]!);
}

/**
 * A URL as a BibTeX `url` value: verbatim, since url and biblatex typeset it literally and TeX
 * escapes would become part of the link, except for the three characters BibTeX itself reads
 * inside a value (braces, which it counts, and the backslash), percent-encoded as in any URL.
 */
export function bibtexUrl(url: string): string {
  return url.replace(/[\r\n]+/g, '').replace(/[{}\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A citation key: first author's surname, year and first title word, ASCII only ("leguin1968wizard"). */
export function citationKey(fields: NormalizedRecord): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
  const surname = fold(fields.authors[0]?.name.split(/[,\s]/)[0] ?? '');
  const word =
    fields.sortTitle
      .split(/\s+/)
      .map(fold)
      .find((w) => w.length > 2) ?? fold(fields.sortTitle.split(/\s+/)[0] ?? '');
  return `${surname}${fields.year ?? ''}${word}` || 'record';
}

/** A field's value as written between its braces (names arrive escaped already). */
function fieldValue(name: string, value: string): string {
  if (name === 'author' || name === 'editor') return value;
  return name === 'url' ? bibtexUrl(value) : bibtexEscape(value);
}

/**
 * A record as a BibTeX entry. `usedKeys` makes keys unique across a file (a second
 * "leguin1968wizard" becomes "leguin1968wizardb"); the field values are escaped.
 */
export function bibtexRecord(
  record: { id: string; fields: NormalizedRecord; url?: string | null },
  usedKeys?: Set<string>,
): string {
  const f = record.fields;
  let key = citationKey(f);
  if (usedKeys) {
    const base = key;
    for (let n = 1; usedKeys.has(key); n++) key = `${base}${n < 26 ? String.fromCharCode(97 + n) : n}`;
    usedKeys.add(key);
  }
  const people = (editors: boolean) =>
    f.authors
      .filter((a) => a.roles.some((r) => EDITOR.test(r)) === editors)
      .map((a) => (a.kind === 'person' ? bibtexEscape(a.name.replace(/[,.]\s*$/, '')) : `{${bibtexEscape(a.name)}}`))
      .join(' and ');
  const entries: Array<[string, string | null]> = [
    ['title', f.subtitle ? `${f.title}: ${f.subtitle}` : f.title],
    ['author', people(false) || null],
    ['editor', people(true) || null],
    ['year', f.year !== null ? String(f.year) : null],
    ['publisher', f.publisher],
    ['address', f.place],
    ['edition', f.edition],
    ['series', f.series[0] ?? null],
    ['isbn', f.isbns.join(', ') || null],
    ['issn', f.issns.join(', ') || null],
    ['language', f.languages.join(', ') || null],
    ['keywords', f.subjects.map((s) => s.heading).join(', ') || null],
    ['abstract', f.summary],
    ['note', f.notes[0] ?? null],
    ['url', f.links.find((l) => l.kind === 'resource')?.url ?? record.url ?? null],
  ];
  const body = entries
    .filter((e): e is [string, string] => !!e[1])
    .map(([name, value]) => `  ${name} = {${fieldValue(name, value)}}`)
    .join(',\n');
  return `@${ENTRY_TYPES[f.materialType]}{${key},\n${body}\n}\n`;
}
