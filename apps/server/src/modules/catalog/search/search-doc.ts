import type { NormalizedRecord } from '@athenaeum/contracts';
import type { SearchDoc } from '../catalog.tables.js';
import { analyzeForIndex } from './analyze.js';

const join = (parts: Array<string | null | undefined>) => analyzeForIndex(parts.filter(Boolean).join(' '));

/** The text of a record, analyzed and split by search weight. */
export function searchDoc(record: NormalizedRecord): SearchDoc {
  return {
    a: join([record.title, record.subtitle, ...record.altTitles]),
    b: join(record.authors.flatMap((a) => [a.name, a.altScript])),
    c: join([...record.subjects.map((s) => s.heading), ...record.series]),
    d: join([
      record.responsibility,
      record.summary,
      ...record.notes,
      record.publisher,
      record.edition,
      ...record.isbns,
      ...record.invalidIsbns,
      ...record.issns,
      ...record.issns.map((issn) => issn.replace('-', '')),
      record.lccn,
      ...record.oclcNumbers,
    ]),
  };
}

/** Subject facet values: the first element of each heading ("Wizards -- Fiction" → "Wizards"). */
export function subjectFacets(record: NormalizedRecord): string[] {
  return [...new Set(record.subjects.map((s) => s.heading.split(' -- ')[0]!.trim()).filter(Boolean))].slice(0, 20);
}
