import { frameIso2709, readIso2709, writeIso2709, type MarcRecord } from '@athenaeum/marc';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb, insertImport, refreshPendingWorks } from '../catalog.repository.js';
import { importsDb, rejectsOf } from '../imports.repository.js';
import { record } from '../normalize/marc-fixtures.js';
import { HOLDINGS_MAPPINGS } from './holdings.js';
import { importRecords, REJECTS_KEPT, type ReaderItem, type Reject } from './import-records.js';

let env: TestEnv;
let libA: string;
let libB: string;

const items = (records: MarcRecord[]): ReaderItem[] =>
  records.map((r, index) => ({ record: r, position: { index, byteOffset: index * 1000 } }));
const book = (id: string, lines: string[]) => record('00000cam a2200000 a 4500', [`001 ${id}`, '003 TEST', ...lines]);

const earthseaA = book('A1', [
  '008 850101s1968    cau           000 1 eng d',
  '020 __$a0-306-40615-2',
  '100 1_$aLe Guin, Ursula K.',
  '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
]);
const earthseaB = book('B7', [
  '008 850101s1969    enk           000 1 eng d',
  '100 1_$aLe Guin, Ursula K.',
  '245 12$aA wizard of earthsea.',
]);
const tombs = book('A2', [
  '008 850101s1971    cau           000 1 eng d',
  '100 1_$aLe Guin, Ursula K.',
  '245 14$aThe tombs of Atuan.',
]);
const sameIsbnOtherTitle = book('B8', [
  '008 850101s1975    fr            000 1 fre d',
  '020 __$a9780306406157',
  '100 1_$aLe Guin, Ursula K.',
  '245 10$aTerremer.',
]);

async function works() {
  return catalogDb(env.ctx.db).selectFrom('catalog_works').selectAll().orderBy('sort_title').execute();
}
async function records(libraryId: string) {
  return catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .orderBy('record_key')
    .execute();
}

/** A copy's status changes, oldest first: from, to, why. */
async function history(itemId: string) {
  const { rows } = await sql<{ from_status: string; to_status: string; reason: string }>`
    select from_status, to_status, reason from catalog_item_status_history where item_id = ${itemId} order by id`.execute(
    catalogDb(env.ctx.db),
  );
  return rows.map((r) => [r.from_status, r.to_status, r.reason]);
}

async function itemStatus(barcode: string, libraryId = libA) {
  return (
    await catalogDb(env.ctx.db)
      .selectFrom('catalog_items')
      .select('status')
      .where('organization_id', '=', libraryId)
      .where('barcode', '=', barcode)
      .executeTakeFirstOrThrow()
  ).status;
}

/** What two imports of the same input must store alike, record by record (ids and times aside). */
async function stored(libraryId: string) {
  return (await records(libraryId)).map((r) => [
    r.record_key,
    r.content_hash,
    r.marc,
    r.fields,
    r.search_doc,
    r.cluster_keys,
    r.title_author_key,
    r.languages,
    r.match_reason,
    r.provenance,
    r.source,
    r.source_format,
    r.warnings,
  ]);
}

beforeAll(async () => {
  env = await createTestEnv();
  libA = (await buildOrganization(env.ctx, { kind: 'library' })).id;
  libB = (await buildOrganization(env.ctx, { kind: 'library' })).id;
});

describe('importing records', () => {
  it('adds records, clusters editions across libraries into works, and explains each match', async () => {
    const a = await importRecords(env.ctx, items([earthseaA, tombs]), {
      libraryId: libA,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    expect(a).toMatchObject({ processed: 2, added: 2, updated: 0, unchanged: 0, rejected: 0 });
    const b = await importRecords(env.ctx, items([earthseaB, sameIsbnOtherTitle]), {
      libraryId: libB,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    expect(b).toMatchObject({ added: 2 });

    const all = await works();
    expect(all.map((w) => [w.title, w.record_count, w.library_ids.length])).toEqual([
      ['The tombs of Atuan', 1, 1],
      ['The wizard of Earthsea', 3, 2],
    ]);
    const [byTitle, byIsbn] = (await records(libB)).map((r) => r.match_reason);
    expect(byTitle).toBe('title and author match, dates differ by 1');
    expect(byIsbn).toBe('same ISBN 9780306406157');
    const wizard = all.find((w) => w.title === 'The wizard of Earthsea')!;
    expect(wizard.languages.sort()).toEqual(['eng', 'fre']);
    expect([wizard.year_min, wizard.year_max]).toEqual([1968, 1975]);
  });

  it('changes nothing when the same records are imported again', async () => {
    const before = await records(libA);
    const again = await importRecords(env.ctx, items([earthseaA, tombs]), {
      libraryId: libA,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    expect(again).toMatchObject({ processed: 2, added: 0, updated: 0, unchanged: 2 });
    expect(await records(libA)).toEqual(before);
  });

  it('updates a record when a newer version with the same 001/003 arrives', async () => {
    const newer = book('A2', [
      '008 850101s1971    cau           000 1 eng d',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe tombs of Atuan /$cUrsula K. Le Guin ; revised.',
      '250 __$a2nd ed.',
    ]);
    const result = await importRecords(env.ctx, items([newer]), {
      libraryId: libA,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    expect(result).toMatchObject({ added: 0, updated: 1 });
    const stored = (await records(libA)).find((r) => r.record_key === 'TEST/A2')!;
    expect(stored.fields.edition).toBe('2nd ed');
    expect((await works()).length).toBe(2);
  });

  it('rejects damaged records with their position and reason, and stores the rest', async () => {
    const input: ReaderItem[] = [
      { error: { index: 0, byteOffset: 0, reason: 'bad leader: record length "12a45" is not a number' } },
      { record: book('A3', ['245 10$aGifts.', '100 1_$aLe Guin, Ursula K.']), position: { index: 1, byteOffset: 812 } },
    ];
    const result = await importRecords(env.ctx, input, { libraryId: libA, flavour: 'marc21', sourceFormat: 'iso2709' });
    expect(result).toMatchObject({ processed: 2, added: 1, rejected: 1 });
    expect(result.rejects).toEqual([
      { position: 'record 1, byte 0', reason: 'bad leader: record length "12a45" is not a number' },
    ]);
  });

  it('keeps only the first rejects in its result, and gives every one to onReject and to the run', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const run = await insertImport(catalogDb(env.ctx.db), {
      organizationId: lib,
      filename: 'damaged.mrc',
      format: 'auto',
      createdBy: null,
    });
    // 250 damaged records, every tenth record sound, in batches of 40.
    const input: ReaderItem[] = Array.from({ length: 275 }, (_, index) =>
      index % 11 === 10
        ? { record: book(`RJ${index}`, [`245 10$aSound record ${index}.`]), position: { index } }
        : { error: { index, byteOffset: index * 100, reason: `bad leader ${index}` } },
    );
    const seen: Reject[] = [];
    const result = await importRecords(env.ctx, input, {
      libraryId: lib,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      importId: run.id,
      batchSize: 40,
      onReject: (r) => seen.push(r),
    });
    const damaged = input.flatMap((item) =>
      'error' in item
        ? [{ position: `record ${item.error.index + 1}, byte ${item.error.byteOffset}`, reason: item.error.reason }]
        : [],
    );
    expect(damaged).toHaveLength(250);
    expect(result).toMatchObject({ processed: 275, added: 25, rejected: 250 });
    expect(seen).toEqual(damaged);
    expect(result.rejects).toEqual(damaged.slice(0, REJECTS_KEPT));
    expect(await rejectsOf(importsDb(env.ctx.db), run.id)).toEqual(damaged);
  });

  it('keeps library B’s copy of a record apart from library A’s: records belong to their library', async () => {
    const result = await importRecords(env.ctx, items([earthseaA]), {
      libraryId: libB,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    expect(result.added).toBe(1);
    expect((await records(libA)).filter((r) => r.record_key === 'TEST/A1')).toHaveLength(1);
    expect((await records(libB)).filter((r) => r.record_key === 'TEST/A1')).toHaveLength(1);
  });

  it('finds works by folded words, stems and ISBN through the search vector', async () => {
    const db = catalogDb(env.ctx.db);
    const hit = async (q: string, cfg = 'simple') =>
      (
        await db
          .selectFrom('catalog_works')
          .select('title')
          .where(sql<boolean>`search_vector @@ websearch_to_tsquery(${cfg}::regconfig, unaccent(${q}))`)
          .execute()
      ).map((r) => r.title);
    expect(await hit('wizard guin')).toEqual(['The wizard of Earthsea']);
    expect(await hit('tomb', 'english')).toEqual(['The tombs of Atuan']);
    expect(await hit('9780306406157')).toEqual(['The wizard of Earthsea']);
  });
});

describe('holdings in imported records', () => {
  it('creates items from 952 fields with their branch, and updates them on re-import', async () => {
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: libA, code: 'T-HOLD-BR' });
    const withItems = book('H1', [
      '100 1_$aLe Guin, Ursula K.',
      '245 10$aThe other wind.',
      '952 __$bMAIN$pB0001$oF LEG$cADULT$yBK',
      '952 __$bMAIN$pB0002$oF LEG$cADULT$yBK',
    ]);
    await importRecords(env.ctx, items([withItems]), {
      libraryId: libA,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      branches: new Map([['MAIN', branch.id]]),
    });
    const db = catalogDb(env.ctx.db);
    const stored = await db
      .selectFrom('catalog_items')
      .selectAll()
      .where('barcode', 'in', ['B0001', 'B0002'])
      .orderBy('barcode')
      .execute();
    expect(stored.map((i) => [i.barcode, i.call_number, i.location, i.item_type, i.branch_id, i.status])).toEqual([
      ['B0001', 'F LEG', 'ADULT', 'BK', branch.id, 'available'],
      ['B0002', 'F LEG', 'ADULT', 'BK', branch.id, 'available'],
    ]);
    const work = await db
      .selectFrom('catalog_works')
      .selectAll()
      .where('title', '=', 'The other wind')
      .executeTakeFirstOrThrow();
    expect(work.available_library_ids).toEqual([libA]);

    const moved = book('H1', [
      '100 1_$aLe Guin, Ursula K.',
      '245 10$aThe other wind.',
      '952 __$bMAIN$pB0001$oF LEG 2$cTEEN$yBK',
    ]);
    await importRecords(env.ctx, items([moved]), { libraryId: libA, flavour: 'marc21', sourceFormat: 'iso2709' });
    const again = await db
      .selectFrom('catalog_items')
      .select(['call_number', 'location'])
      .where('barcode', '=', 'B0001')
      .executeTakeFirstOrThrow();
    expect(again).toEqual({ call_number: 'F LEG 2', location: 'TEEN' });
    // B0002 is no longer in the record: withdrawn, and the copy's history says why.
    const dropped = await db
      .selectFrom('catalog_items')
      .select(['id', 'status'])
      .where('barcode', '=', 'B0002')
      .executeTakeFirstOrThrow();
    expect(dropped.status).toBe('withdrawn');
    expect(await history(dropped.id)).toEqual([['available', 'withdrawn', 'no longer in the imported record']]);
    expect(await itemStatus('B0001')).toBe('available');
  });

  it('gives copies the status Koha’s 952 says, and changes a stored copy’s, never one circulation holds', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const version = (edition: string, fields: string[]) =>
      book('S1', ['100 1_$aLe Guin, Ursula K.', '245 10$aTales from Earthsea.', `250 __$a${edition}`, ...fields]);
    const run = (record: MarcRecord) =>
      importRecords(env.ctx, items([record]), { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' });
    await run(
      version('1st', [
        '952 __$pS-1$00$10$40$70',
        '952 __$pS-2$01',
        '952 __$pS-3$11',
        '952 __$pS-4$41',
        '952 __$pS-5$71',
        '952 __$pS-6$71$41',
        '952 __$pS-7',
        '952 __$pS-8',
        '952 __$pS-9',
        '952 __$pS-10$qdue 2026-12-01',
      ]),
    );
    const statuses = async () =>
      Object.fromEntries(
        (
          await catalogDb(env.ctx.db)
            .selectFrom('catalog_items')
            .select(['barcode', 'status'])
            .where('organization_id', '=', lib)
            .execute()
        ).map((i) => [i.barcode, i.status]),
      );
    expect(await statuses()).toEqual({
      'S-1': 'available',
      'S-2': 'withdrawn',
      'S-3': 'lost',
      'S-4': 'damaged',
      'S-5': 'not_for_loan',
      'S-6': 'damaged',
      'S-7': 'available',
      'S-8': 'available',
      'S-9': 'available',
      'S-10': 'available',
    });
    // Meanwhile circulation lends S-7 and S-9 and puts S-8 on the hold shelf.
    const db = catalogDb(env.ctx.db);
    await db
      .updateTable('catalog_items')
      .set({ status: 'on_loan' })
      .where('organization_id', '=', lib)
      .where('barcode', 'in', ['S-7', 'S-9'])
      .execute();
    await db
      .updateTable('catalog_items')
      .set({ status: 'on_hold_shelf' })
      .where('organization_id', '=', lib)
      .where('barcode', '=', 'S-8')
      .execute();
    const result = await run(
      version('2nd', [
        '952 __$pS-1$41',
        '952 __$pS-2$00',
        '952 __$pS-3$10',
        '952 __$pS-4$71',
        '952 __$pS-5$70',
        '952 __$pS-6$71$41',
        '952 __$pS-7$01',
        '952 __$pS-8$11',
      ]),
    );
    expect(result).toMatchObject({ updated: 1 });
    expect(await statuses()).toEqual({
      'S-1': 'damaged',
      'S-2': 'available',
      // Lost is the desk's to clear (a loan or a bill may stand with it).
      'S-3': 'lost',
      'S-4': 'not_for_loan',
      'S-5': 'available',
      'S-6': 'damaged',
      // Copies circulation holds keep their status, in the file or dropped from it (S-9).
      'S-7': 'on_loan',
      'S-8': 'on_hold_shelf',
      'S-9': 'on_loan',
      'S-10': 'withdrawn',
    });
    const id = async (barcode: string) =>
      (
        await db
          .selectFrom('catalog_items')
          .select('id')
          .where('organization_id', '=', lib)
          .where('barcode', '=', barcode)
          .executeTakeFirstOrThrow()
      ).id;
    expect(await history(await id('S-1'))).toEqual([['available', 'damaged', 'changed by an import']]);
    expect(await history(await id('S-6'))).toEqual([]);
    expect(await history(await id('S-7'))).toEqual([]);
    expect(await history(await id('S-10'))).toEqual([['available', 'withdrawn', 'no longer in the imported record']]);
  });

  it('leaves copies staff added to a record when a newer version arrives, and never withdraws twice', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const version = (edition: string, fields: string[]) =>
      book('S2', ['100 1_$aLe Guin, Ursula K.', '245 10$aThe farthest shore.', `250 __$a${edition}`, ...fields]);
    const run = (record: MarcRecord) =>
      importRecords(env.ctx, items([record]), { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' });
    await run(version('1st', ['852 0_$pF-1$hPZ7', '852 0_$pF-2$hPZ7']));
    const db = catalogDb(env.ctx.db);
    const first = await db
      .selectFrom('catalog_items')
      .select(['record_id', 'organization_id'])
      .where('organization_id', '=', lib)
      .where('barcode', '=', 'F-1')
      .executeTakeFirstOrThrow();
    // A copy added by staff, not in any version of the record.
    await db
      .insertInto('catalog_items')
      .values({ organization_id: lib, record_id: first.record_id, barcode: 'F-STAFF', branch_id: null })
      .execute();
    await run(version('2nd', ['852 0_$pF-1$hPZ7']));
    await run(version('3rd', ['852 0_$pF-1$hPZ7 .L4']));
    expect(await itemStatus('F-1', lib)).toBe('available');
    expect(await itemStatus('F-2', lib)).toBe('withdrawn');
    expect(await itemStatus('F-STAFF', lib)).toBe('available');
  });

  it('reads the holdings field it is told to: 949 of a record that also has 852', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const both = book('S3', [
      '100 1_$aLe Guin, Ursula K.',
      '245 10$aTehanu.',
      '852 0_$bMAIN$pFROM-852$hPZ7',
      '949 __$aPZ7 .L4$iFROM-949-A$lADULT$tBOOK',
      '949 __$aPZ7 .L4$iFROM-949-B$lTEEN$tBOOK',
    ]);
    await importRecords(env.ctx, items([both]), {
      libraryId: lib,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      holdings: HOLDINGS_MAPPINGS['949'],
    });
    const stored = await catalogDb(env.ctx.db)
      .selectFrom('catalog_items')
      .select(['barcode', 'call_number', 'location', 'item_type', 'status'])
      .where('organization_id', '=', lib)
      .orderBy('barcode')
      .execute();
    expect(stored).toEqual([
      { barcode: 'FROM-949-A', call_number: 'PZ7 .L4', location: 'ADULT', item_type: 'BOOK', status: 'available' },
      { barcode: 'FROM-949-B', call_number: 'PZ7 .L4', location: 'TEEN', item_type: 'BOOK', status: 'available' },
    ]);
  });

  it('rebuilds the work a copy moves out of: it is no longer available there, and is in the work it moved to', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const db = catalogDb(env.ctx.db);
    const availableAt = async (title: string) =>
      (
        await db
          .selectFrom('catalog_works')
          .select(['available_library_ids', 'library_ids'])
          .where('title', '=', title)
          .executeTakeFirstOrThrow()
      ).available_library_ids;
    const run = (records: MarcRecord[]) =>
      importRecords(env.ctx, items(records), { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' });
    // One copy the file gives no status, one it gives a status (952 $7 0: for loan): both kinds of upsert.
    await run([
      book('MV-A1', ['100 1_$aHerbert, Frank.', '245 10$aDune messiah.', '952 __$pMV-X']),
      book('MV-A2', ['100 1_$aHerbert, Frank.', '245 10$aChildren of Dune.', '952 __$pMV-Y$70']),
    ]);
    expect(await availableAt('Dune messiah')).toEqual([lib]);
    expect(await availableAt('Children of Dune')).toEqual([lib]);

    // The next file lists the copies under records of other works; the first records stay as they were.
    await run([
      book('MV-B1', ['100 1_$aHerbert, Brian.', '245 10$aHouse Atreides.', '952 __$pMV-X']),
      book('MV-B2', ['100 1_$aHerbert, Brian.', '245 10$aHouse Harkonnen.', '952 __$pMV-Y$70']),
    ]);
    const copies = await db
      .selectFrom('catalog_items as i')
      .innerJoin('catalog_records as r', 'r.id', 'i.record_id')
      .select(['i.barcode', 'r.record_key', 'i.status'])
      .where('i.organization_id', '=', lib)
      .orderBy('i.barcode')
      .execute();
    expect(copies).toEqual([
      { barcode: 'MV-X', record_key: 'TEST/MV-B1', status: 'available' },
      { barcode: 'MV-Y', record_key: 'TEST/MV-B2', status: 'available' },
    ]);
    expect(await availableAt('House Atreides')).toEqual([lib]);
    expect(await availableAt('House Harkonnen')).toEqual([lib]);
    // The works the copies left hold the library's records still, but no copy of it.
    expect(await availableAt('Dune messiah')).toEqual([]);
    expect(await availableAt('Children of Dune')).toEqual([]);
    expect(
      (
        await db
          .selectFrom('catalog_works')
          .select('library_ids')
          .where('title', '=', 'Dune messiah')
          .executeTakeFirstOrThrow()
      ).library_ids,
    ).toEqual([lib]);
    // Nothing is left marked for a refresh.
    expect((await sql`select work_id from catalog_work_refresh`.execute(db)).rows).toEqual([]);
  });

  it('reads no copies when told none', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    await importRecords(env.ctx, items([book('S4', ['245 10$aNo copies.', '952 __$pN-1'])]), {
      libraryId: lib,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      holdings: null,
    });
    expect(
      await catalogDb(env.ctx.db).selectFrom('catalog_items').select('id').where('organization_id', '=', lib).execute(),
    ).toEqual([]);
  });
});

describe('preparing records in worker threads', () => {
  it('stores what preparing on the calling thread stores, and rejects what it rejects', async () => {
    const libC = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const libD = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const input = (): ReaderItem[] => [
      ...items([earthseaA, tombs, sameIsbnOtherTitle]),
      { error: { index: 3, byteOffset: 3000, reason: 'bad directory' } },
      {
        record: {
          leader: '00000cam a2200000 a 4500',
          fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'ok' }] }],
        },
        position: { index: 4 },
      },
    ];
    const here = await importRecords(env.ctx, input(), { libraryId: libC, flavour: 'marc21', sourceFormat: 'iso2709' });
    const there = await importRecords(env.ctx, input(), {
      libraryId: libD,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      workers: 2,
      batchSize: 2,
    });
    expect(there).toEqual(here);
    expect(await stored(libD)).toEqual(await stored(libC));
  });
});

describe('ISO 2709 records given framed (not yet parsed)', () => {
  it('are parsed where they are prepared: stored as read records are, damaged ones rejected with the reader’s reason', async () => {
    const damaged = new TextEncoder().encode('00042xxxxx2200000   4500\x1d');
    const bytes = Buffer.concat([
      writeIso2709(earthseaA),
      writeIso2709(tombs),
      damaged,
      writeIso2709(sameIsbnOtherTitle),
    ]);
    const libs = await Promise.all(
      [1, 2, 3].map(async () => (await buildOrganization(env.ctx, { kind: 'library' })).id),
    );
    const run = (libraryId: string, source: AsyncIterable<ReaderItem>, workers: number) =>
      importRecords(env.ctx, source, { libraryId, flavour: 'marc21', sourceFormat: 'iso2709', workers, batchSize: 2 });
    const read = await run(libs[0]!, readIso2709(bytes, { keepRaw: true }), 0);
    const framedHere = await run(libs[1]!, frameIso2709(bytes), 0);
    const framedThere = await run(libs[2]!, frameIso2709(bytes), 2);
    expect(read).toMatchObject({ added: 3, rejected: 1 });
    expect(read.rejects[0]).toMatchObject({
      position: 'record 3, byte ' + (bytes.length - damaged.length - writeIso2709(sameIsbnOtherTitle).length),
    });
    expect(framedHere).toEqual(read);
    expect(framedThere).toEqual(read);
    expect(await stored(libs[1]!)).toEqual(await stored(libs[0]!));
    expect(await stored(libs[2]!)).toEqual(await stored(libs[0]!));
  });
});

describe('works left to refresh', () => {
  it('are refreshed by the next import, even one that brings nothing new (a killed run is finished)', async () => {
    const db = catalogDb(env.ctx.db);
    const work = await db
      .selectFrom('catalog_works')
      .selectAll()
      .where('title', '=', 'The tombs of Atuan')
      .executeTakeFirstOrThrow();
    // As a run killed between a batch and its refresh leaves it: stale aggregates, marked for a refresh.
    await db
      .updateTable('catalog_works')
      .set({ title: 'stale', record_count: 0, languages: [] })
      .where('id', '=', work.id)
      .execute();
    await sql`insert into catalog_work_refresh (work_id, rekey) values (${work.id}, true)`.execute(db);
    await importRecords(env.ctx, [], { libraryId: libA, flavour: 'marc21', sourceFormat: 'iso2709' });
    const after = await db.selectFrom('catalog_works').selectAll().where('id', '=', work.id).executeTakeFirstOrThrow();
    expect([after.title, after.record_count, after.languages]).toEqual([work.title, work.record_count, work.languages]);
  });
});

describe('refreshes side by side', () => {
  it('leave works and lexicon as one refresh after another does, for works rebuilt and works that gained records', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    // Works whose titles share words, so that refreshes running together update the same lexicon words.
    const words = ['river', 'stone', 'garden', 'winter', 'harbour', 'lantern'];
    const input = Array.from({ length: 48 }, (_, i) =>
      book(`P${i}`, [
        `008 850101s${1950 + i}    xxu           000 1 eng d`,
        `100 1_$aAuthor${i}, Pat.`,
        `245 10$a${words[i % 6]} ${words[(i + 1) % 6]} ${words[(i * 5) % 6]} number ${i}.`,
      ]),
    );
    await importRecords(env.ctx, items(input), { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' });
    const db = catalogDb(env.ctx.db);
    const state = async () => ({
      works: (
        await sql<Record<string, unknown>>`
          select title, record_count, years, languages, identifiers, title_author_key, search_vector::text as v
          from catalog_works where ${lib} = any(library_ids) order by title`.execute(db)
      ).rows,
      lexicon: (
        await sql<
          Record<string, unknown>
        >`select word, works from catalog_lexicon where word = any(${words}) order by word`.execute(db)
      ).rows,
    });
    const before = await state();
    expect(before.works).toHaveLength(48);
    expect(before.lexicon.map((r) => r.word)).toEqual([...words].sort());

    // Half the works made stale and marked to be rebuilt whole; the other half marked as having
    // gained their record (counted one short until then).
    const { rows: marked } = await sql<{ work_id: string; record_id: string; n: number }>`
      select r.work_id, r.id as record_id, row_number() over (order by r.work_id)::int as n
      from catalog_records r where r.organization_id = ${lib}`.execute(db);
    for (const m of marked) {
      const whole = m.n % 2 === 0;
      await db
        .updateTable('catalog_works')
        .set(whole ? { title: 'stale', languages: [] } : (eb) => ({ record_count: eb('record_count', '-', 1) }))
        .where('id', '=', m.work_id)
        .execute();
      await sql`insert into catalog_work_refresh (work_id, rekey, added)
        values (${m.work_id}, ${whole}, ${whole ? [] : [m.record_id]}::uuid[])`.execute(db);
    }
    // Three sides, a few works at a time, each kind in turn.
    const side = async () => {
      for (const kind of ['whole', 'added'] as const)
        while ((await refreshPendingWorks(db, 5, { kind, parallel: true })) > 0) {
          // next chunk
        }
    };
    await Promise.all([side(), side(), side()]);
    expect(await state()).toEqual(before);
    const { rows: left } = await sql`select 1 from catalog_work_refresh`.execute(db);
    expect(left).toEqual([]);
  });
});

describe('matching keys', () => {
  /** Each work's "ta:" matching keys, next to the title|author key the work has. */
  async function titleAuthorKeys(lib: string) {
    const { rows } = await sql<{ title_author_key: string | null; keys: string[] }>`
      select w.title_author_key,
        array(select k.key from catalog_work_keys k where k.work_id = w.id and k.key like 'ta:%' order by k.key) as keys
      from catalog_works w where ${lib} = any(w.library_ids)`.execute(env.ctx.db);
    return rows;
  }

  it('are exactly the keys of the works’ records, however batches split them', async () => {
    const libE = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const libF = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const again = book('E9', [
      '008 850101s1968    cau           000 1 eng d',
      '020 __$a0-306-40615-2',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea.',
    ]);
    for (const [lib, input] of [
      [libE, [earthseaA, tombs, again]],
      // A new ISBN on an edition found by title and author: the work gains the key.
      [
        libF,
        [
          earthseaB,
          sameIsbnOtherTitle,
          again,
          book('F4', [
            '008 850101s2012    nyu           000 1 eng d',
            '020 __$a9780553383041',
            '100 1_$aLe Guin, Ursula K.',
            '245 12$aA wizard of Earthsea.',
          ]),
        ],
      ],
    ] as const)
      await importRecords(env.ctx, items([...input]), {
        libraryId: lib,
        flavour: 'marc21',
        sourceFormat: 'iso2709',
        batchSize: 1,
      });
    // What a rebuild would write (refreshWorks with rekey), against what the batches wrote.
    const { rows } = await sql<{ side: string; work_id: string; key: string }>`
      with mine as (select id from catalog_works where ${libE} = any(library_ids) or ${libF} = any(library_ids)),
      rebuilt as (
        select w.id as work_id, k as key from catalog_works w, unnest(w.identifiers) k where w.id in (select id from mine)
        union select w.id, 'year:' || y from catalog_works w, unnest(w.years) y where w.id in (select id from mine)
        union select w.id, 'ta:' || w.title_author_key from catalog_works w where w.id in (select id from mine) and w.title_author_key is not null
      ),
      written as (select work_id, key from catalog_work_keys where work_id in (select id from mine))
      (select 'missing' as side, * from (select * from rebuilt except select * from written) m)
      union all (select 'extra', * from (select * from written except select * from rebuilt) e)`.execute(env.ctx.db);
    expect(rows).toEqual([]);
  });

  it('a work answers to its title|author key from the first record that has one, in later imports too', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const load = (r: MarcRecord) =>
      importRecords(env.ctx, items([r]), { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' });
    // No title: the work has no title|author key, only the ISBN.
    await load(
      book('K1', ['008 850101s1959    pl            000 1 pol d', '020 __$a9780156027601', '100 1_$aLem, Stanisław.']),
    );
    expect(await titleAuthorKeys(lib)).toEqual([{ title_author_key: null, keys: [] }]);
    // The same ISBN with a title: the record joins, and the work gains the key.
    await load(
      book('K2', [
        '008 850101s1961    pl            000 1 pol d',
        '020 __$a9780156027601',
        '100 1_$aLem, Stanisław.',
        '245 10$aSolaris.',
      ]),
    );
    expect(await titleAuthorKeys(lib)).toEqual([{ title_author_key: 'solaris|lem', keys: ['ta:solaris|lem'] }]);
    // No ISBN: found by title and author alone.
    await load(
      book('K3', [
        '008 850101s1970    pl            000 1 pol d',
        '100 1_$aLem, Stanisław.',
        '245 10$aSolaris /$cStanisław Lem.',
      ]),
    );
    const [k1, k2, k3] = await records(lib);
    expect(new Set([k1!.work_id, k2!.work_id, k3!.work_id]).size).toBe(1);
    expect(k3!.match_reason).toMatch(/^title and author match/);
  });
});

describe('batches queued ahead of the database', () => {
  it('stores them in order, and a failed batch stops the import: nothing after it is stored', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const input: ReaderItem[] = [];
    for (let i = 0; i < 12; i++) {
      if (i === 5) input.push({ error: { index: i, byteOffset: i * 100, reason: 'bad leader' } });
      else input.push({ record: book(`Q${i}`, [`245 10$aQueued ${i}.`]), position: { index: i, byteOffset: i * 100 } });
    }
    // The third batch (records 5-6) fails as it stores its reject: this run has no catalog_imports row.
    const run = importRecords(env.ctx, input, {
      libraryId: lib,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
      batchSize: 2,
      importId: '00000000-0000-7000-8000-000000000000',
    });
    await expect(run).rejects.toThrow();
    expect((await records(lib)).map((r) => r.record_key)).toEqual(['TEST/Q0', 'TEST/Q1', 'TEST/Q2', 'TEST/Q3']);
  });
});

describe('records the database cannot store', () => {
  const withNul = book('N1', ['245 10$aBroken\u0000title.']);
  const withSurrogate = book('N2', ['245 10$aHalf \ud800 a pair.']);
  const longKey = book('K'.repeat(600), ['245 10$aA long control number.']);
  const longBarcode = book('N3', ['245 10$aA long barcode.', `952 __$bMAIN$p${'9'.repeat(300)}`]);
  const fine = (n: number) => book(`F${n}`, [`245 10$aFine record ${n}.`]);

  it('are rejected with their position and the reason, and the rest of the file is stored, on any thread', async () => {
    const input = () => items([fine(0), withNul, fine(2), withSurrogate, longKey, longBarcode, fine(6)]);
    const libs = await Promise.all([1, 2].map(async () => (await buildOrganization(env.ctx, { kind: 'library' })).id));
    const here = await importRecords(env.ctx, input(), {
      libraryId: libs[0]!,
      flavour: 'marc21',
      sourceFormat: 'json',
    });
    const there = await importRecords(env.ctx, input(), {
      libraryId: libs[1]!,
      flavour: 'marc21',
      sourceFormat: 'json',
      workers: 2,
      batchSize: 3,
    });
    expect(here).toMatchObject({ processed: 7, added: 3, rejected: 4 });
    expect(here.rejects).toEqual([
      {
        position: 'record 2, byte 1000',
        reason: 'cannot be catalogued: field 245 $a contains a NUL character (U+0000), which cannot be stored',
      },
      {
        position: 'record 4, byte 3000',
        reason:
          'cannot be catalogued: field 245 $a contains an unpaired surrogate (not valid Unicode), which cannot be stored',
      },
      {
        position: 'record 5, byte 4000',
        reason:
          'cannot be catalogued: its identifier (001 with 003, or 035 $a) is 605 characters long; at most 500 are supported',
      },
      {
        position: 'record 6, byte 5000',
        reason: 'cannot be catalogued: a holdings barcode is 300 characters long; at most 200 are supported',
      },
    ]);
    expect(there).toEqual(here);
    expect((await records(libs[0]!)).map((r) => r.record_key)).toEqual(['TEST/F0', 'TEST/F2', 'TEST/F6']);
  });

  it('keep a title of any length: its sort title and matching key are cut to what an index takes', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    // Words that do not compress (an index entry is compressed before its size is checked).
    let seed = 7;
    const word = () =>
      Array.from({ length: 6 }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const title = `Endless ${Array.from({ length: 1500 }, word).join(' ')}`;
    const long = (id: string) => book(id, ['100 1_$aLongwinded, Author.', `245 10$a${title}`]);
    const result = await importRecords(env.ctx, items([long('L1'), long('L2')]), {
      libraryId: lib,
      flavour: 'marc21',
      sourceFormat: 'json',
    });
    expect(result).toMatchObject({ added: 2, rejected: 0 });
    const stored = await records(lib);
    expect(stored[0]!.fields.title).toBe(title);
    expect(stored[0]!.work_id).toBe(stored[1]!.work_id);
    expect(stored[1]!.match_reason).toBe('title and author match, no date to compare');
    const work = await catalogDb(env.ctx.db)
      .selectFrom('catalog_works')
      .selectAll()
      .where('id', '=', stored[0]!.work_id)
      .executeTakeFirstOrThrow();
    expect(work.title).toBe(title);
    expect(work.sort_title.length).toBeLessThanOrEqual(500);
    expect(work.title_author_key!.length).toBeLessThanOrEqual(701);
  });

  it('should the database still refuse one, it alone is rejected with its position and the database’s reason', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const db = catalogDb(env.ctx.db);
    // A value only the database refuses (as a limit that preparing does not know of would be).
    await sql`create function test_refuse_poisoned() returns trigger language plpgsql as $$
      begin
        if new.fields->>'title' = 'Poisoned' then
          raise exception 'the test refuses this value' using errcode = '22023';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger test_refuse_poisoned before insert on catalog_records
      for each row execute function test_refuse_poisoned()`.execute(db);
    try {
      const input = items([fine(10), fine(11), book('P1', ['245 10$aPoisoned.']), fine(13)]);
      const result = await importRecords(env.ctx, input, {
        libraryId: lib,
        flavour: 'marc21',
        sourceFormat: 'json',
        batchSize: 4,
      });
      expect(result).toMatchObject({ processed: 4, added: 3, rejected: 1 });
      expect(result.rejects).toEqual([
        { position: 'record 3, byte 2000', reason: 'cannot be stored: the test refuses this value' },
      ]);
      expect((await records(lib)).map((r) => r.record_key)).toEqual(['TEST/F10', 'TEST/F11', 'TEST/F13']);
      const refreshed = await db
        .selectFrom('catalog_works')
        .select('record_count')
        .where('title', '=', 'Fine record 13')
        .executeTakeFirstOrThrow();
      expect(refreshed.record_count).toBe(1);
    } finally {
      await sql`drop trigger test_refuse_poisoned on catalog_records`.execute(db);
      await sql`drop function test_refuse_poisoned()`.execute(db);
    }
  });
});
