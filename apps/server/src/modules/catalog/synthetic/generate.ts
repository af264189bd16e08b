import type { DataField, MarcRecord } from '@athenaeum/marc';
import { SUBJECTS, VOCABULARY, type LanguageVocabulary } from './vocabulary.js';

/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same catalogue everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index i of n with probability ∝ 1/(i+1)^s (Zipf), by inverse CDF on a cached table. */
function zipfSampler(n: number, s = 1.07): (r: number) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return (r) => {
    const target = r * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Work {
  lang: LanguageVocabulary;
  title: string;
  surname: string;
  forename: string;
  subjects: string[];
  firstYear: number;
  editions: Array<{ isbn: string; year: number; publisher: string; place: string; edition: string | null }>;
}

export interface SyntheticOptions {
  seed?: number;
  /** Distinct works to draw editions from; defaults to a third of the record count. */
  works?: number;
  /** Codes of the libraries; each record is held by one, popular works by many. */
  libraries: string[];
  /** Branch codes per library, for the 952 holdings fields. */
  branches?: Record<string, string[]>;
}

/** A valid ISBN-13 in the English-language group 0 (every 8-digit tail there parses as valid). */
const isbnFor = (n: number): string => {
  const body = `9780${String(10_000_000 + (n % 89_999_999)).padStart(8, '0')}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
};

function sf(code: string, value: string) {
  return { code, value };
}
function df(tag: string, ind1: string, ind2: string, ...subfields: Array<{ code: string; value: string }>): DataField {
  return { tag, ind1, ind2, subfields };
}

/**
 * Realistic synthetic MARC 21 records: titles and names in nine languages and five scripts with
 * Zipf-distributed words, works that recur across libraries as the same edition (shared ISBN) or
 * as other editions (same title and author), holdings in 952 fields. Deterministic for a seed.
 */
export function* generateRecords(
  count: number,
  options: SyntheticOptions,
): Generator<{ library: string; record: MarcRecord }> {
  const random = prng(options.seed ?? 42);
  const workCount = Math.max(1, options.works ?? Math.ceil(count / 3));
  const pickWork = zipfSampler(workCount, 0.9);
  const langZipf = zipfSampler(VOCABULARY.length, 0.6);
  const samplers = new Map<LanguageVocabulary, (r: number) => number>();
  const works = new Map<number, Work>();
  const word = (lang: LanguageVocabulary) => {
    let s = samplers.get(lang);
    if (!s) samplers.set(lang, (s = zipfSampler(lang.words.length)));
    return lang.words[s(random())]!;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  let isbnCounter = Math.floor(random() * 1000);
  const barcodes = new Map<string, number>();

  const workAt = (index: number): Work => {
    let work = works.get(index);
    if (work) return work;
    const lang = VOCABULARY[langZipf(random())]!;
    const length = lang.joinWith === '' ? 3 + Math.floor(random() * 5) : 2 + Math.floor(random() * 4);
    const words = Array.from({ length }, () => word(lang));
    const title = lang.joinWith === '' ? words.join('') : words.join(' ').replace(/^\p{Ll}/u, (c) => c.toUpperCase());
    const firstYear = 1900 + Math.floor(random() ** 0.5 * 125);
    work = {
      lang,
      title,
      surname: pick(lang.surnames),
      forename: pick(lang.forenames),
      subjects: [pick(SUBJECTS), pick(SUBJECTS)],
      firstYear,
      editions: [],
    };
    works.set(index, work);
    return work;
  };

  for (let n = 0; n < count; n++) {
    const work = workAt(pickWork(random()));
    // Half the time a library holds an edition others hold too (same ISBN); else a new edition.
    let edition = work.editions.length && random() < 0.5 ? pick(work.editions) : null;
    if (!edition) {
      const year = Math.min(2025, work.firstYear + Math.floor(random() * 30) * (work.editions.length ? 1 : 0));
      edition = {
        isbn: isbnFor(isbnCounter++),
        year,
        publisher: pick(work.lang.publishers),
        place: pick(work.lang.places),
        edition: work.editions.length ? `${work.editions.length + 1}` : null,
      };
      work.editions.push(edition);
    }
    const library = pick(options.libraries);
    const branchCodes = options.branches?.[library] ?? [];
    const copies = 1 + Math.floor(random() ** 3 * 4);
    const holdings: DataField[] = [];
    for (let c = 0; c < copies; c++) {
      const next = (barcodes.get(library) ?? 0) + 1;
      barcodes.set(library, next);
      holdings.push(
        df(
          '952',
          ' ',
          ' ',
          ...(branchCodes.length ? [sf('b', pick(branchCodes))] : []),
          sf('p', `${library}-${String(next).padStart(7, '0')}`),
          sf('o', `${work.surname.slice(0, 3).toUpperCase()} ${edition.year}`),
          sf('c', 'GEN'),
          sf('y', 'BK'),
        ),
      );
    }
    const f008 = `${'250101'}s${edition.year}    ${work.lang.country}           000 1 ${work.lang.code} d`;
    const author = work.lang.code === 'chi' ? `${work.surname}${work.forename}` : `${work.surname}, ${work.forename}`;
    yield {
      library,
      record: {
        leader: '00000cam a2200000 i 4500',
        fields: [
          { tag: '001', value: `SYN${String(n).padStart(9, '0')}` },
          { tag: '003', value: library },
          { tag: '008', value: f008 },
          df('020', ' ', ' ', sf('a', edition.isbn)),
          df('100', '1', ' ', sf('a', `${author},`), sf('e', 'author.')),
          df('245', '1', '0', sf('a', `${work.title} /`), sf('c', `${work.forename} ${work.surname}.`)),
          ...(edition.edition ? [df('250', ' ', ' ', sf('a', `${edition.edition}.`))] : []),
          df(
            '264',
            ' ',
            '1',
            sf('a', `${edition.place} :`),
            sf('b', `${edition.publisher},`),
            sf('c', `${edition.year}.`),
          ),
          df('300', ' ', ' ', sf('a', `${100 + Math.floor(random() * 500)} pages ;`), sf('c', '21 cm')),
          ...work.subjects.map((s) => df('650', ' ', '0', sf('a', s))),
          ...holdings,
        ],
      },
    };
  }
}
