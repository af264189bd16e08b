import type { CataloguingItem, WorkView } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem } from '../../../test/helpers.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { catalogDb } from '../catalog.repository.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { changeItemStatus, itemStatusHistory, lockItem } from './item-status.js';

let env: TestEnv;
let library: { id: string };
let branch: { id: string };
let other: { id: string };
let otherBranch: { id: string };
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let recordId: string;
let workId: string;
let otherRecordId: string;

async function importOne(libraryId: string, id: string) {
  await importRecords(
    env.ctx,
    [
      {
        record: record('00000cam a2200000 i 4500', [
          `001 ${id}`,
          '100 1_$aJansson, Tove.',
          '245 10$aComet in Moominland',
        ]),
        position: { index: 0 },
      },
    ],
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
  return catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select(['id', 'work_id'])
    .where('organization_id', '=', libraryId)
    .where('record_key', '=', `-/${id}`)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  env = await createTestEnv();
  library = await buildOrganization(env.ctx, { code: 'ITM-LIB' });
  branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: library.id, code: 'ITM-LIB-B1' });
  other = await buildOrganization(env.ctx, { code: 'ITM-OTHER' });
  otherBranch = await buildOrganization(env.ctx, { kind: 'branch', parentId: other.id, code: 'ITM-OTHER-B1' });
  ({ id: recordId, work_id: workId } = await importOne(library.id, 'ITM-1'));
  ({ id: otherRecordId } = await importOne(other.id, 'ITM-2'));
  staff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'staff']] })).email)).headers;
  otherStaff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[other.id, 'staff']] })).email)).headers;
});

const add = (id: string, payload: object, headers = staff) =>
  env.app.inject({ method: 'POST', url: `/api/v1/catalog/records/${id}/items`, headers, payload });
const patch = (id: string, payload: object, headers = staff) =>
  env.app.inject({ method: 'PATCH', url: `/api/v1/catalog/items/${id}`, headers, payload });
const remove = (id: string, headers = staff) =>
  env.app.inject({ method: 'DELETE', url: `/api/v1/catalog/items/${id}`, headers });
const work = async () =>
  (await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${workId}` })).json() as WorkView;
const itemRow = (id: string) =>
  catalogDb(env.ctx.db).selectFrom('catalog_items').selectAll().where('id', '=', id).executeTakeFirst();

describe('items of a record', () => {
  it('adds a copy with its details; the public work page shows it and counts the library as available', async () => {
    const res = await add(recordId, {
      barcode: 'ITM-0001',
      branchId: branch.id,
      callNumber: 'J JAN',
      location: 'Children',
      itemType: 'book',
      notes: 'gift of the friends',
    });
    expect(res.statusCode).toBe(201);
    const item = res.json() as CataloguingItem;
    expect(item).toMatchObject({
      libraryId: library.id,
      branchId: branch.id,
      barcode: 'ITM-0001',
      callNumber: 'J JAN',
      location: 'Children',
      status: 'available',
      notes: 'gift of the friends',
    });
    const view = await work();
    expect(view.availableLibraryIds).toEqual([library.id]);
    expect(view.records[0]!.holdings.map((h) => h.barcode)).toEqual(['ITM-0001']);
  });

  it('refuses a barcode the library already uses (409 naming it), even from two requests at once', async () => {
    const res = await add(recordId, { barcode: 'ITM-0001' });
    const problem = expectProblem(res, 409, 'CATALOG_ITEM_BARCODE_TAKEN');
    expect(problem.detail).toContain('ITM-0001');
    // Another library may use the same barcode.
    expect((await add(otherRecordId, { barcode: 'ITM-0001' }, otherStaff)).statusCode).toBe(201);
    const racing = await Promise.all([add(recordId, { barcode: 'ITM-RACE' }), add(recordId, { barcode: 'ITM-RACE' })]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('refuses a branch of another library (422) and statuses that circulation sets (422)', async () => {
    expectProblem(
      await add(recordId, { barcode: 'ITM-0002', branchId: otherBranch.id }),
      422,
      'CATALOG_ITEM_BRANCH_INVALID',
    );
    expectProblem(await add(recordId, { barcode: 'ITM-0002', status: 'on_loan' }), 422, 'CATALOG_ITEM_STATUS_RESERVED');
    expect(
      await catalogDb(env.ctx.db).selectFrom('catalog_items').select('id').where('barcode', '=', 'ITM-0002').execute(),
    ).toEqual([]);
  });

  it('changes details; a status change is recorded in the item history with who', async () => {
    const item = (await add(recordId, { barcode: 'ITM-0003' })).json() as CataloguingItem;
    const res = await patch(item.itemId, {
      barcode: 'ITM-0003B',
      callNumber: 'J JAN 2',
      status: 'damaged',
      notes: null,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ barcode: 'ITM-0003B', callNumber: 'J JAN 2', status: 'damaged', notes: null });
    const history = await itemStatusHistory(env.ctx.db, item.itemId);
    expect(history).toMatchObject([{ from: 'available', to: 'damaged', reason: 'changed in cataloguing' }]);
    expect(history[0]!.actorId).not.toBeNull();
    expectProblem(await patch(item.itemId, { barcode: 'ITM-0001' }), 409, 'CATALOG_ITEM_BARCODE_TAKEN');
    expect((await itemRow(item.itemId))!.barcode).toBe('ITM-0003B');
  });

  it('refuses to delete a copy on loan; deletes one that is not', async () => {
    const item = (await add(recordId, { barcode: 'ITM-0004' })).json() as CataloguingItem;
    await catalogDb(env.ctx.db)
      .transaction()
      .execute(async (trx) => {
        const locked = (await lockItem(trx, item.itemId))!;
        await changeItemStatus(trx, locked, 'on_loan', { actorId: null, reason: 'check-out' });
      });
    expectProblem(await remove(item.itemId), 409, 'CATALOG_ITEM_IN_CIRCULATION');
    expect(await itemRow(item.itemId)).toBeDefined();
    const free = (await add(recordId, { barcode: 'ITM-0005' })).json() as CataloguingItem;
    expect((await remove(free.itemId)).statusCode).toBe(200);
    expect(await itemRow(free.itemId)).toBeUndefined();
    expectProblem(await remove(free.itemId), 404, 'CATALOG_ITEM_NOT_FOUND');
  });

  it('leaves the status of a copy on loan or on the hold shelf to circulation, its other details not', async () => {
    for (const [barcode, held] of [
      ['ITM-0007', 'on_loan'],
      ['ITM-0008', 'on_hold_shelf'],
      ['ITM-0009', 'in_transit'],
    ] as const) {
      const item = (await add(recordId, { barcode })).json() as CataloguingItem;
      await catalogDb(env.ctx.db)
        .transaction()
        .execute(async (trx) => {
          const locked = (await lockItem(trx, item.itemId))!;
          await changeItemStatus(trx, locked, held, { actorId: null, reason: 'circulation' });
        });
      for (const status of ['available', 'withdrawn', 'lost'])
        expectProblem(await patch(item.itemId, { status }), 409, 'CATALOG_ITEM_IN_CIRCULATION');
      expect((await itemRow(item.itemId))!.status).toBe(held);
      const res = await patch(item.itemId, { callNumber: 'J JAN 9', status: held });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ callNumber: 'J JAN 9', status: held });
      expect((await itemStatusHistory(env.ctx.db, item.itemId)).map((h) => h.to)).toEqual([held]);
    }
  });

  it("keeps staff of another library away from the library's items", async () => {
    const item = (await add(recordId, { barcode: 'ITM-0006' })).json() as CataloguingItem;
    const before = await itemRow(item.itemId);
    expectProblem(await add(recordId, { barcode: 'ITM-X' }, otherStaff), 403, 'FORBIDDEN');
    expectProblem(await patch(item.itemId, { callNumber: 'MINE' }, otherStaff), 403, 'FORBIDDEN');
    expectProblem(await remove(item.itemId, otherStaff), 403, 'FORBIDDEN');
    expect(await itemRow(item.itemId)).toEqual(before);
    expect(
      await catalogDb(env.ctx.db).selectFrom('catalog_items').select('id').where('barcode', '=', 'ITM-X').execute(),
    ).toEqual([]);
  });
});

describe('two librarians changing the same copy', () => {
  // What the item dialog sends: every detail, with the details as it read them.
  const seen = (item: CataloguingItem) => ({
    barcode: item.barcode,
    branchId: item.branchId,
    callNumber: item.callNumber,
    location: item.location,
    itemType: item.itemType,
    notes: item.notes,
  });
  const dialog = (item: CataloguingItem, changes: object) => ({ ...seen(item), ...changes, expected: seen(item) });

  it('refuses the second save made from the same state (409, nothing changed), naming what changed', async () => {
    const opened = (await add(recordId, { barcode: 'ITM-C1', callNumber: 'J JAN' })).json() as CataloguingItem;
    // Librarian A relabels the copy; librarian B, whose dialog was opened before, changes its note.
    const relabelled = await patch(opened.itemId, dialog(opened, { barcode: 'ITM-C2' }));
    expect(relabelled.statusCode, relabelled.body).toBe(200);
    const before = await itemRow(opened.itemId);
    const problem = expectProblem(
      await patch(opened.itemId, dialog(opened, { notes: 'spine repaired' })),
      409,
      'CATALOG_ITEM_CHANGED',
    ) as unknown as { changed: string[]; current: CataloguingItem };
    expect(problem.changed).toEqual(['barcode']);
    expect(problem.current).toMatchObject({ barcode: 'ITM-C2', notes: null });
    expect(await itemRow(opened.itemId)).toEqual(before);
    // Saved again from what it holds now, B's change goes through and A's barcode stays.
    const again = await patch(opened.itemId, dialog(problem.current, { notes: 'spine repaired' }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ barcode: 'ITM-C2', callNumber: 'J JAN', notes: 'spine repaired' });
  });

  it('lets one save follow another, each made from what the previous one returned', async () => {
    let item = (await add(recordId, { barcode: 'ITM-C3' })).json() as CataloguingItem;
    for (const changes of [{ callNumber: 'J JAN 3' }, { location: 'Children' }, { barcode: 'ITM-C3B', notes: 'ok' }]) {
      const res = await patch(item.itemId, dialog(item, changes));
      expect(res.statusCode, res.body).toBe(200);
      item = res.json() as CataloguingItem;
    }
    expect(item).toMatchObject({ barcode: 'ITM-C3B', callNumber: 'J JAN 3', location: 'Children', notes: 'ok' });
  });

  it('lets only one of two saves made at once from the same state through', async () => {
    const item = (await add(recordId, { barcode: 'ITM-C4' })).json() as CataloguingItem;
    const racing = await Promise.all([
      patch(item.itemId, dialog(item, { callNumber: 'A' })),
      patch(item.itemId, dialog(item, { callNumber: 'B' })),
    ]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('does not refuse a change of the call number because circulation changed the status meanwhile', async () => {
    const item = (await add(recordId, { barcode: 'ITM-C5' })).json() as CataloguingItem;
    await catalogDb(env.ctx.db)
      .transaction()
      .execute(async (trx) => {
        await changeItemStatus(trx, (await lockItem(trx, item.itemId))!, 'on_loan', {
          actorId: null,
          reason: 'check-out',
        });
      });
    const res = await patch(item.itemId, dialog(item, { callNumber: 'J JAN 5' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ callNumber: 'J JAN 5', status: 'on_loan' });
    // A status change made from a status that is no longer the copy's is refused as a conflict.
    expectProblem(
      await patch(item.itemId, { status: 'lost', expected: { status: 'available' } }),
      409,
      'CATALOG_ITEM_CHANGED',
    );
    expect((await itemRow(item.itemId))!.status).toBe('on_loan');
  });
});

describe("a work's availability follows its copies' statuses", () => {
  it('stays available at a library while any copy there is, stops with the last, and comes back with one', async () => {
    await importRecords(
      env.ctx,
      [
        {
          record: record('00000cam a2200000 i 4500', ['001 ITM-AV', '100 1_$aLindgren, Astrid.', '245 10$aRonja']),
          position: { index: 0 },
        },
      ],
      { libraryId: library.id, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
    const ronja = await catalogDb(env.ctx.db)
      .selectFrom('catalog_records')
      .select(['id', 'work_id'])
      .where('record_key', '=', '-/ITM-AV')
      .executeTakeFirstOrThrow();
    const first = (await add(ronja.id, { barcode: 'ITM-AV-1' })).json() as CataloguingItem;
    const second = (await add(ronja.id, { barcode: 'ITM-AV-2' })).json() as CataloguingItem;
    const availableAt = async () =>
      ((await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${ronja.work_id}` })).json() as WorkView)
        .availableLibraryIds;
    const move = (itemId: string, status: 'on_loan' | 'available') =>
      catalogDb(env.ctx.db)
        .transaction()
        .execute(async (trx) => {
          await changeItemStatus(trx, (await lockItem(trx, itemId))!, status, { actorId: null, reason: 'test' });
        });
    expect(await availableAt()).toEqual([library.id]);
    await move(first.itemId, 'on_loan');
    expect(await availableAt()).toEqual([library.id]);
    await move(second.itemId, 'on_loan');
    expect(await availableAt()).toEqual([]);
    await move(first.itemId, 'available');
    expect(await availableAt()).toEqual([library.id]);
    expect((await itemStatusHistory(env.ctx.db, first.itemId)).map((e) => `${e.from}>${e.to}`)).toEqual([
      'on_loan>available',
      'available>on_loan',
    ]);
  });
});
