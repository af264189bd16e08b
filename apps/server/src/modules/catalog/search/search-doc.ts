import type { NormalizedRecord } from '@athenaeum/contracts';
import type { SearchDoc } from '../catalog.tables.js';
import { analyzeForIndex } from './analyze.js';

const join = (parts: Array<string | null | undefined>) => analyzeForIndex(parts.filter(Boolean).join(' '));

/**
 * The text of a record, analyzed and split by search weight. Original-script (880) forms go with
 * their romanized fields: subjects and series C, publisher and edition D.
 */
export function searchDoc(record: NormalizedRecord): SearchDoc {
  return {
    a: join([record.title, record.subtitle, ...record.altTitles]),
    b: join(record.authors.flatMap((a) => [a.name, a.altScript])),
    c: join([
      ...record.subjects.flatMap((s) => [s.heading, s.altScript]),
      ...record.series,
      ...(record.altSeries ?? []),
    ]),
    d: join([
      record.responsibility,
      record.summary,
      ...record.notes,
      record.publisher,
      record.altPublisher,
      record.edition,
      record.altEdition,
      ...record.isbns,
      ...record.invalidIsbns,
      ...[...record.issns, ...(record.seriesIssns ?? [])].flatMap((issn) => [issn, issn.replace('-', '')]),
      record.lccn,
      ...record.oclcNumbers,
    ]),
  };
}

/**
 * Subject facet values: the first element of each heading ("Wizards -- Fiction" → "Wizards").
 * Romanized headings only: an original-script form is the same subject, and as a value of its own
 * it would split the subject's count in two and list it twice (it is searchable with `subject:`).
 */
export function subjectFacets(record: NormalizedRecord): string[] {
  return [...new Set(record.subjects.map((s) => s.heading.split(' -- ')[0]!.trim()).filter(Boolean))].slice(0, 20);
}
