import { parseCql } from '@athenaeum/cql';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchRecordsByCql } from '../search/cql-search.js';
import { MAX_SEARCH_TEXT } from '../search/search-doc.js';

// A work's search vector is built from the distinct texts of all its records, and PostgreSQL
// refuses a tsvector of more than 1 MB. Editions whose notes together hold more distinct words
// than that (MARCXML has no record length limit) must not make the work's refresh, and with it
// every import that touches the work, fail.

let env: TestEnv;
let library: { id: string };

/** An edition of one work (same ISBN) with a note of about 45,000 characters of words no other record has. */
const edition = (n: number) => {
  const words = Array.from({ length: 5600 }, (_, i) => `w${n.toString(36)}x${i.toString(36)}`);
  return record('00000cam a2200000 a 4500', [
    `001 big-${n}`,
    '008 650101s1965    nyu           000 1 eng d',
    '020 __$a9780441013593',
    '100 1_$aHerbert, Frank.',
    '245 10$aDune /$cFrank Herbert.',
    `500 __$an${String(n).padStart(3, '0')} ${words.join(' ')}`,
  ]);
};

/**
 * An edition of another, ordinary work with a note of about 20,000 characters: two of them hold
 * more than a capped vector keeps, and fit easily in a whole one.
 */
const companion = (n: number) => {
  const words = Array.from({ length: 2900 }, (_, i) => `c${n}x${i.toString(36)}`);
  return record('00000cam a2200000 a 4500', [
    `001 companion-${n}`,
    '020 __$a9780140449136',
    '100 1_$aDostoyevsky, Fyodor.',
    '245 10$aCrime and punishment.',
    `500 __$am${n} ${words.join(' ')}`,
  ]);
};

/** The last word of companion `n`'s note. */
const lastWordOf = (n: number) => `c${n}x${(2899).toString(36)}`;

/** The editions `numbers` of the big work, and companion `withCompanion`, in one import (one chunk). */
const load = (numbers: number[], withCompanion?: number) =>
  importRecords(
    env.ctx,
    [...numbers.map((n) => edition(n)), ...(withCompanion === undefined ? [] : [companion(withCompanion)])].map(
      (r, index) => ({ record: r, position: { index } }),
    ),
    { libraryId: library.id, flavour: 'marc21', sourceFormat: 'iso2709' },
  );

const worksMatching = async (word: string) =>
  (
    await sql<{ id: string; record_count: number }>`
      select id, record_count from catalog_works where search_vector @@ plainto_tsquery('simple', ${word})`.execute(
      env.ctx.db,
    )
  ).rows;

/**
 * `length` UTF-16 units of distinct hyphenated words (halves of four letters) in the alphabet of
 * `size` letters from code point `first`, the `from`th word first.
 */
const hyphenated = (first: number, size: number, from: number, length: number) => {
  const letter = (n: number) => String.fromCodePoint(first + (Math.floor(n) % size));
  const half = (n: number) => letter(n) + letter(n / size) + letter(n / size ** 2) + letter(n / size ** 3);
  const words: string[] = [];
  for (let i = from, units = 0; units < length; i++) {
    const word = `${half(i)}-${half(i + 7)}`;
    words.push(word);
    units += word.length + 1;
  }
  return words.join(' ');
};

beforeAll(async () => {
  env = await createTestEnv();
  library = await buildOrganization(env.ctx, { code: 'BIGWORK' });
});

describe('a work whose editions hold more text than a search vector can', () => {
  it('is refreshed whole from the first part of its texts, and its import succeeds', async () => {
    const numbers = Array.from({ length: 30 }, (_, i) => i);
    const result = await load(numbers, 1);
    expect(result).toMatchObject({ added: 31, rejected: 0 });
    const [work] = await worksMatching('dune');
    expect(work).toMatchObject({ record_count: 30 });
    // The first edition's note (its text sorts first) is searchable.
    expect(await worksMatching('w0x1')).toEqual([work]);
    // The ordinary work refreshed with it keeps all its words.
    expect(await worksMatching(lastWordOf(1))).toHaveLength(1);
  });

  it('takes further editions that would overflow it, rebuilding it from the first part of its texts', async () => {
    const result = await load(
      Array.from({ length: 30 }, (_, i) => 100 + i),
      2,
    );
    expect(result).toMatchObject({ added: 31, rejected: 0 });
    const works = await worksMatching('dune');
    expect(works).toHaveLength(1);
    expect(works[0]).toMatchObject({ record_count: 60 });
    expect(await worksMatching('w0x1')).toEqual(works);
    // The ordinary work that took an edition in the same import keeps the words of both.
    const [ordinary] = await worksMatching(lastWordOf(2));
    expect(ordinary).toMatchObject({ record_count: 2 });
    expect(await worksMatching(lastWordOf(1))).toEqual([ordinary]);
  });
});

describe('a record with more text than a search vector can hold', () => {
  it('is stored, found by SRU, and its identifiers stay searchable', async () => {
    const note = Array.from({ length: 200_000 }, (_, i) => `z${i.toString(36)}`).join(' ');
    const huge = record('00000cam a2200000 a 4500', [
      '001 huge-1',
      '020 __$a9780262033848',
      '245 10$aAlgorithms unbounded.',
      `500 __$a${note}`,
    ]);
    const result = await importRecords(env.ctx, [{ record: huge, position: { index: 0 } }], {
      libraryId: library.id,
      flavour: 'marc21',
      sourceFormat: 'marcxml',
    });
    expect(result).toMatchObject({ added: 1, rejected: 0 });
    const found = await searchRecordsByCql(env.ctx, parseCql('cql.anywhere=unbounded'), { offset: 0, limit: 10 });
    expect(found.records.map((r) => r.marc.fields.find((f) => f.tag === '001'))).toEqual([
      { tag: '001', value: 'huge-1' },
    ]);
    expect(await worksMatching('9780262033848')).toHaveLength(1);
  });

  it('with a title of more words than a vector holds, is stored and its work found by the title', async () => {
    // The work keeps the title whole; the lexicon of "did you mean" reads only its start.
    const title = Array.from({ length: 250_000 }, (_, i) => `t${i.toString(36)}`).join(' ');
    const long = record('00000cam a2200000 a 4500', ['001 long-title-1', `245 10$aEndless ${title}`]);
    const result = await importRecords(env.ctx, [{ record: long, position: { index: 0 } }], {
      libraryId: library.id,
      flavour: 'marc21',
      sourceFormat: 'marcxml',
    });
    expect(result).toMatchObject({ added: 1, rejected: 0 });
    expect(await worksMatching('endless')).toHaveLength(1);
  });

  it('holds at its limits in hyphenated words of three-byte letters (each word indexed whole and in parts)', async () => {
    // Ethiopic syllables: one UTF-16 unit and three bytes each, the most bytes for what the limits count.
    const text = (weight: keyof typeof MAX_SEARCH_TEXT, from: number) =>
      hyphenated(0x1200, 72, from, MAX_SEARCH_TEXT[weight] + 100);
    const worst = record('00000cam a2200000 a 4500', [
      '001 worst-1',
      '041 0_$aeng$arus$aspa$afre$apor$ager',
      `245 10$aWorst ${text('a', 0)}`,
      `100 1_$a${text('b', 1_000_000)}`,
      `650 _0$a${text('c', 2_000_000)}`,
      `500 __$a${text('d', 3_000_000)}`,
    ]);
    const result = await importRecords(env.ctx, [{ record: worst, position: { index: 0 } }], {
      libraryId: library.id,
      flavour: 'marc21',
      sourceFormat: 'marcxml',
    });
    expect(result).toMatchObject({ added: 1, rejected: 0 });
    const found = await searchRecordsByCql(env.ctx, parseCql('cql.anywhere=worst'), { offset: 0, limit: 10 });
    expect(found.records).toHaveLength(1);
    expect(await worksMatching('worst')).toHaveLength(1);
    // At the limits indeed: each weight's text as long as a record keeps.
    const stored = await sql<Record<'a' | 'b' | 'c' | 'd', number>>`
      select length(search_doc->>'a') as a, length(search_doc->>'b') as b, length(search_doc->>'c') as c,
        length(search_doc->>'d') as d
      from catalog_records where fields->>'title' like 'Worst%'`.execute(env.ctx.db);
    expect(stored.rows).toEqual([MAX_SEARCH_TEXT]);
  });
});

describe('a work capped in hyphenated words of four-byte letters', () => {
  it('holds the capped texts (the limits there count characters, not UTF-16 units)', async () => {
    // Deseret small letters: two UTF-16 units and four bytes each. Twelve editions, each at the
    // record's limits, make more than a vector can hold, so the work is rebuilt capped.
    const text = (n: number, weight: number) => hyphenated(0x10428, 40, n * 400_000 + weight * 100_000, 75_000);
    const editions = Array.from({ length: 12 }, (_, n) =>
      record('00000cam a2200000 a 4500', [
        `001 deseret-${n}`,
        '020 __$a9780199535569',
        '041 0_$aeng$arus$aspa$afre$apor$ager',
        `245 10$aCapped ${text(n, 0)}`,
        `100 1_$a${text(n, 1)}`,
        `650 _0$a${text(n, 2)}`,
        `500 __$a${text(n, 3)}`,
      ]),
    );
    const result = await importRecords(
      env.ctx,
      editions.map((r, index) => ({ record: r, position: { index } })),
      { libraryId: library.id, flavour: 'marc21', sourceFormat: 'marcxml' },
    );
    expect(result).toMatchObject({ added: 12, rejected: 0 });
    const [work] = await worksMatching('capped');
    expect(work).toMatchObject({ record_count: 12 });
    // Capped indeed: some edition's note has words the work's vector left out.
    const lastWords = editions.map((_, n) => text(n, 3).split(' ').at(-2)!);
    const searchable = await Promise.all(lastWords.map(async (word) => (await worksMatching(word)).length));
    expect(searchable).toContain(0);
  });
});
