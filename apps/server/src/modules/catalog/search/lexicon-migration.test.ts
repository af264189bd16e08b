import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../platform/db/migrate.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';

// Migration 0040 bounds the texts catalog_lexicon_words reads. The lexicon's triggers subtract a
// work's words as the function gives them at the time, so words that the old function counted
// past the bounds would stay in the lexicon for ever: 0040 counts the lexicon again when some work
// has longer texts, and leaves it alone otherwise. Here the migration's SQL runs on a database
// whose lexicon was built by 0034's function.

let env: TestEnv;
let library: string;

const migration = (name: string) => fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
const runMigration0040 = () => sql.raw(migration('0040_catalog_lexicon_bounded_text.sql')).execute(env.ctx.db);

/** 0034's catalog_lexicon_words, which read the whole title, author and subjects. */
const restoreUnboundedFunction = async () => {
  const statement = /create or replace function catalog_lexicon_words[\s\S]*?\$\$[\s\S]*?\$\$;/.exec(
    migration('0034_catalog_lexicon_folded_words.sql'),
  );
  await sql.raw(statement![0]).execute(env.ctx.db);
};

/** Letters-only words (the lexicon skips words with digits): tail + n in base 26. */
const word = (prefix: string, n: number) =>
  prefix + [...n.toString(26).padStart(3, '0')].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');

/** The lexicon's counted words: the triggers leave a word's row at 0 when its last work goes, and suggestions skip it. */
const lexicon = async () =>
  (
    await sql<{
      word: string;
      works: number;
    }>`select word, works from catalog_lexicon where works <> 0 order by word`.execute(env.ctx.db)
  ).rows;

const recount = async () =>
  (
    await sql<{ word: string; works: number }>`
      select w as word, count(*)::int as works
      from catalog_works, unnest(catalog_lexicon_words(title, author, subjects)) w
      where record_count > 0 group by w order by w`.execute(env.ctx.db)
  ).rows;

const importTitle = (id: string, title: string) =>
  importRecords(
    env.ctx,
    [
      {
        record: record('00000cam a2200000 a 4500', [
          `001 ${id}`,
          '003 LEX',
          '008 850101s1990    xx            000 1 eng d',
          '100 1_$aLongfellow, Henry.',
          `245 10$a${title}`,
        ]),
        position: { index: 0 },
      },
    ],
    { libraryId: library, flavour: 'marc21', sourceFormat: 'iso2709' },
  );

beforeAll(async () => {
  env = await createTestEnv();
  library = (await buildOrganization(env.ctx)).id;
});

describe('migration 0040 (the lexicon reads bounded texts)', () => {
  it('leaves the lexicon alone when no work has texts past the bounds', async () => {
    await importTitle('short', 'Evangeline, a tale of Acadie.');
    await sql`insert into catalog_lexicon (word, works) values ('zzuntouched', 3)`.execute(env.ctx.db);
    await runMigration0040();
    expect(await lexicon()).toContainEqual({ word: 'zzuntouched', works: 3 });
    await sql`delete from catalog_lexicon where word = 'zzuntouched'`.execute(env.ctx.db);
  });

  it('counts the lexicon again when a work has a title past 5,000 characters, dropping the words past it', async () => {
    await restoreUnboundedFunction();
    // About 5,400 characters of one repeated word, then 200 words that only the old function reads.
    const head = Array.from({ length: 600 }, () => 'hiawatha').join(' ');
    const tail = Array.from({ length: 200 }, (_, i) => word('tail', i));
    await importTitle('long', `${head} ${tail.join(' ')}`);
    const before = await lexicon();
    expect(before.map((r) => r.word)).toEqual(expect.arrayContaining(tail));
    await sql`insert into catalog_lexicon (word, works) values ('zzstale', 3)`.execute(env.ctx.db);

    await runMigration0040();

    const after = await lexicon();
    expect(after).toEqual(await recount());
    const words = new Set(after.map((r) => r.word));
    expect(tail.filter((w) => words.has(w))).toEqual([]);
    expect(words.has('zzstale')).toBe(false);
    expect(after).toContainEqual({ word: 'hiawatha', works: 1 });
    expect(after).toContainEqual({ word: 'evangeline', works: 1 });
  });

  it('keeps the lexicon true as the long work changes after the migration', async () => {
    await importTitle('long', 'Hiawatha, abridged.');
    expect(await lexicon()).toEqual(await recount());
    expect((await lexicon()).map((r) => r.word)).toContain('abridged');
  });
});
