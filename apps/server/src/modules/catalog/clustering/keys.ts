import { MATCH_REASONS, sameIdentifierReason, yearsApartReason, type NormalizedRecord } from '@athenaeum/contracts';
import { MAX_AUTHOR_KEY, MAX_TITLE_KEY, truncated } from '../normalize/truncate.js';
import { foldText } from '../search/analyze.js';

/** The keys under which a record may meet the other editions of its work. */
export interface ClusterKeys {
  /** "isbn:978…", "lccn:…", "oclc:…" — a shared one is strong evidence of the same work. */
  identifiers: string[];
  /** Folded title + first author surname, e.g. "wizard of earthsea|le guin"; null without a title. */
  titleAuthor: string | null;
  year: number | null;
}

// Leading articles dropped for matching when the record gives no non-filing count.
const ARTICLES = /^(the|a|an|le|la|les|l'|el|los|las|un|una|der|die|das|ein|eine|il|lo|gli|o|os|as|de|het)\s+/;

/** Text folded for matching: no case, accents or punctuation. */
export function matchKey(text: string): string {
  return foldText(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A title folded for matching, without its leading article. */
export function titleKey(title: string): string {
  return matchKey(title).replace(ARTICLES, '');
}

/** The first author's surname (or organization name), folded. */
export function authorKey(record: NormalizedRecord): string {
  const first = record.authors.find((a) => a.main) ?? record.authors[0];
  if (!first) return '';
  const surname = first.kind === 'person' ? (first.name.split(',')[0] ?? first.name) : first.name;
  return matchKey(surname);
}

export function clusterKeys(record: NormalizedRecord): ClusterKeys {
  // The full title with the article rule, not the record's non-filing count, which is often wrong;
  // each part cut to a length an index takes (editions that share 500 characters of title and
  // their author are one work).
  const title = truncated(titleKey(record.title), MAX_TITLE_KEY);
  return {
    identifiers: [
      ...record.isbns.map((isbn) => `isbn:${isbn}`),
      ...(record.lccn ? [`lccn:${record.lccn}`] : []),
      ...record.oclcNumbers.map((n) => `oclc:${n}`),
    ],
    titleAuthor: title ? `${title}|${truncated(authorKey(record), MAX_AUTHOR_KEY)}` : null,
    year: record.year,
  };
}

/** Why a record joined a work, in words staff can read, with a score in [0, 1]. */
export interface MatchReason {
  score: number;
  reason: string;
}

/** Scores a record's keys against a candidate work's keys; null when they do not match. */
export function scoreMatch(
  record: ClusterKeys,
  work: { identifiers: string[]; titleAuthor: string | null; years: number[] },
): MatchReason | null {
  const shared = record.identifiers.find((key) => work.identifiers.includes(key));
  if (shared) {
    const [kind, value] = shared.split(':') as [string, string];
    return { score: 1, reason: sameIdentifierReason(kind, value) };
  }
  if (!record.titleAuthor || record.titleAuthor !== work.titleAuthor || record.titleAuthor.endsWith('|')) return null;
  if (record.year === null || work.years.length === 0) return { score: 0.8, reason: MATCH_REASONS.titleAuthorNoDate };
  const gap = Math.min(...work.years.map((y) => Math.abs(y - record.year!)));
  if (gap === 0) return { score: 0.9, reason: MATCH_REASONS.titleAuthorDate };
  return { score: Math.max(0.5, 0.85 - gap * 0.02), reason: yearsApartReason(gap) };
}
