import type { NormalizedRecord } from '@athenaeum/contracts';
import type { SearchDoc } from '../catalog.tables.js';
import { MAX_TITLE_KEY, truncated } from '../normalize/truncate.js';
import { analyzeForIndex } from './analyze.js';

/**
 * The most characters of each weight a record's search text keeps. PostgreSQL refuses a tsvector
 * of more than 1 MB, and a record's vector (SRU searches build it, cql-search.ts) takes at most
 * about 8 bytes a character (a letter takes up to four bytes, a hyphenated word is indexed whole
 * and in its parts, and each word has its position), with titles and subjects also stemmed in up
 * to six languages: (7 × 6,000 + 6,000 + 7 × 6,000 + 30,000) × 8 is 960,000 bytes. Only a MARCXML
 * or JSON record can hold more (an ISO 2709 record ends at 99,999 bytes); its text beyond is not
 * searched.
 */
export const MAX_SEARCH_TEXT = { a: 6_000, b: 6_000, c: 6_000, d: 30_000 } as const;

const join = (parts: Array<string | null | undefined>, max: number) =>
  truncated(analyzeForIndex(parts.filter(Boolean).join(' ')), max);

/**
 * The text of a record, analyzed and split by search weight. Original-script (880) forms go with
 * their romanized fields: subjects and series C, publisher and edition D.
 */
export function searchDoc(record: NormalizedRecord): SearchDoc {
  return {
    a: join([record.title, record.subtitle, ...record.altTitles], MAX_SEARCH_TEXT.a),
    b: join(
      record.authors.flatMap((a) => [a.name, a.altScript]),
      MAX_SEARCH_TEXT.b,
    ),
    c: join(
      [...record.subjects.flatMap((s) => [s.heading, s.altScript]), ...record.series, ...(record.altSeries ?? [])],
      MAX_SEARCH_TEXT.c,
    ),
    d: join(
      // Short fields and identifiers before the summary and notes, which are what a cut shortens.
      [
        record.responsibility,
        record.publisher,
        record.altPublisher,
        record.edition,
        record.altEdition,
        ...record.isbns,
        ...record.invalidIsbns,
        ...[...record.issns, ...(record.seriesIssns ?? [])].flatMap((issn) => [issn, issn.replace('-', '')]),
        record.lccn,
        ...record.oclcNumbers,
        record.summary,
        ...record.notes,
      ],
      MAX_SEARCH_TEXT.d,
    ),
  };
}

/**
 * Subject facet values: the first element of each heading ("Wizards -- Fiction" → "Wizards").
 * Romanized headings only: an original-script form is the same subject, and as a value of its own
 * it would split the subject's count in two and list it twice (it is searchable with `subject:`).
 * A value is cut like a sort title: it goes into an index (a heading can be as long as MARCXML allows).
 */
export function subjectFacets(record: NormalizedRecord): string[] {
  const heads = record.subjects.map((s) => truncated(s.heading.split(' -- ')[0]!.trim(), MAX_TITLE_KEY));
  return [...new Set(heads.filter(Boolean))].slice(0, 20);
}
