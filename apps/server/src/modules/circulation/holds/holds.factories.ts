// Test factories for holds, pickup and inter-library loans: a network of libraries and copies of
// one work spread over it.
import type { Locale } from '@athenaeum/contracts';
import { buildOrganization, buildPerson } from '../../accounts/accounts.factories.js';
import { marcRecord } from '../../catalog/catalog.factories.js';
import { describeItems, findItemsByBarcode, importRecords } from '../../catalog/index.js';
import type { AppContext } from '../../../platform/context/context.js';
import { registerPatron } from '../patrons.service.js';

let counter = 0;
const next = () => `${Date.now().toString(36).slice(-4)}${(++counter).toString(36)}`.toUpperCase();

export interface TestLibrary {
  id: string;
  code: string;
  main: string;
  east: string;
  branches: Map<string, string>;
}

async function library(ctx: AppContext, memberOf: string[]): Promise<TestLibrary> {
  const lib = await buildOrganization(ctx, { kind: 'library', memberOf });
  const main = await buildOrganization(ctx, { kind: 'branch', parentId: lib.id, code: `${lib.code}-MAIN` });
  const east = await buildOrganization(ctx, { kind: 'branch', parentId: lib.id, code: `${lib.code}-EAST` });
  return {
    id: lib.id,
    code: lib.code,
    main: main.id,
    east: east.id,
    branches: new Map([
      [main.code, main.id],
      [east.code, east.id],
    ]),
  };
}

/** Two libraries of one association (a network) and a third outside it, each with branches MAIN and EAST. */
export async function buildNetwork(ctx: AppContext) {
  const association = await buildOrganization(ctx, { kind: 'association' });
  const a = await library(ctx, [association.id]);
  const b = await library(ctx, [association.id]);
  const outsider = await library(ctx, []);
  return { association, a, b, outsider };
}

export interface TestCopy {
  id: string;
  barcode: string;
  libraryId: string;
  branchId: string;
}

/**
 * Copies of one work (the same ISBN, so every library's record joins one work), placed as asked:
 * `[{ library, branch: 'main' | 'east', count }]`.
 */
export async function buildWork(
  ctx: AppContext,
  placements: Array<{ library: TestLibrary; branch?: 'main' | 'east'; count?: number }>,
  values: { title?: string } = {},
): Promise<{ workId: string; copies: TestCopy[]; recordIds: string[] }> {
  const id = next();
  const isbn = `978${String(((Date.now() % 1e6) * 1000 + (counter % 1000)) % 1e9).padStart(9, '0')}`;
  const check = (10 - ([...isbn].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0) % 10)) % 10;
  const copies: TestCopy[] = [];
  for (const [index, place] of placements.entries()) {
    const branchId = place.branch === 'east' ? place.library.east : place.library.main;
    const branchCode = [...place.library.branches].find(([, v]) => v === branchId)![0];
    const barcodes = Array.from({ length: place.count ?? 1 }, (_, i) => `H${id}-${index}-${i + 1}`);
    const record = marcRecord('00000nam a2200000 a 4500', [
      `001 H${id}-${index}`,
      `020 __ $a${isbn}${check}`,
      '100 1_ $aHoldsworth, Ada',
      `245 10 $a${values.title ?? `Held title ${id}`}`,
      ...barcodes.map((b) => `952 __ $p${b}$b${branchCode}$ybook`),
    ]);
    await importRecords(ctx, [{ record, position: { index: 0 } }], {
      libraryId: place.library.id,
      flavour: 'marc21',
      sourceFormat: 'json',
      branches: place.library.branches,
    });
    for (const barcode of barcodes) {
      const [found] = await findItemsByBarcode(ctx.db, barcode, { libraryId: place.library.id });
      copies.push({ id: found!.id, barcode, libraryId: place.library.id, branchId });
    }
  }
  const summaries = await describeItems(
    ctx.db,
    copies.map((c) => c.id),
  );
  const workIds = new Set([...summaries.values()].map((s) => s.workId));
  if (workIds.size !== 1) throw new Error(`copies landed in ${workIds.size} works`);
  return { workId: [...workIds][0]!, copies, recordIds: [] };
}

/** A patron with an account (for self-service) and an e-mail address. */
export async function buildHoldPatron(
  ctx: AppContext,
  libraryId: string,
  values: { language?: Locale; email?: boolean } = {},
) {
  const person = await buildPerson(ctx, { locale: values.language ?? 'en' });
  const patron = await registerPatron(ctx, libraryId, {
    cardNumber: `P${next()}`,
    category: 'adult',
    givenName: 'Reader',
    familyName: next(),
    preferredLanguage: values.language ?? 'en',
    staffNotes: '',
    keepHistory: false,
    personId: person.id,
    ...(values.email === false ? {} : { email: person.email }),
  });
  return { person, patron };
}
