// Test factories for the circulation module (its tests, and other modules' tests).
import type { PatronCategory, PolicyFields } from '@athenaeum/contracts';
import { buildOrganization } from '../accounts/accounts.factories.js';
import { importRecords } from '../catalog/index.js';
import { marcRecord } from '../catalog/catalog.factories.js';
import type { AppContext } from '../../platform/context/context.js';
import { buildHoldPatron, buildWork, type TestLibrary } from './holds/holds.factories.js';
import { checkOut } from './loans.service.js';
import { registerPatron } from './patrons.service.js';
import { DEFAULT_POLICY } from './rules.service.js';

let counter = 0;
const next = () => `${Date.now().toString(36).slice(-4)}${(++counter).toString(36)}`.toUpperCase();

/** A rule for any patron category and item type with the default terms (three weeks, two renewals, fines-free). */
export const GENERAL_RULE = { patronCategory: null, itemType: null, ...DEFAULT_POLICY } satisfies PolicyFields;

/** A library with two branches. */
export async function buildLibrary(ctx: AppContext) {
  const library = await buildOrganization(ctx, { kind: 'library' });
  const main = await buildOrganization(ctx, { kind: 'branch', parentId: library.id, code: `${library.code}-MAIN` });
  const east = await buildOrganization(ctx, { kind: 'branch', parentId: library.id, code: `${library.code}-EAST` });
  return {
    library,
    main,
    east,
    branches: new Map([
      [main.code, main.id],
      [east.code, east.id],
    ]),
  };
}

/** Copies of one new title at a library's branch; returns their barcodes. */
export async function buildCopies(
  ctx: AppContext,
  lib: { library: { id: string }; branches: Map<string, string> },
  values: { count?: number; branchCode?: string; itemType?: string; title?: string } = {},
): Promise<string[]> {
  const id = next();
  const count = values.count ?? 1;
  const branch = values.branchCode ?? [...lib.branches.keys()][0]!;
  const barcodes = Array.from({ length: count }, (_, i) => `B${id}-${i + 1}`);
  const record = marcRecord('00000nam a2200000 a 4500', [
    `001 T${id}`,
    `245 10 $a${values.title ?? `Circulation title ${id}`}`,
    ...barcodes.map((b) => `952 __ $p${b}$b${branch}$y${values.itemType ?? 'book'}`),
  ]);
  await importRecords(ctx, [{ record, position: { index: 0 } }], {
    libraryId: lib.library.id,
    flavour: 'marc21',
    sourceFormat: 'json',
    branches: lib.branches,
  });
  return barcodes;
}

/** A patron of a library with a fresh card number. */
export async function buildPatron(
  ctx: AppContext,
  libraryId: string,
  values: { category?: PatronCategory; keepHistory?: boolean; personId?: string; expiresOn?: string } = {},
) {
  return registerPatron(ctx, libraryId, {
    cardNumber: `C${next()}`,
    category: values.category ?? 'adult',
    givenName: 'Test',
    familyName: `Patron ${next()}`,
    preferredLanguage: 'en',
    staffNotes: 'staff only',
    keepHistory: values.keepHistory ?? false,
    ...(values.personId ? { personId: values.personId } : {}),
    ...(values.expiresOn ? { expiresOn: values.expiresOn } : {}),
  });
}

/** A work with one copy at a library's main branch, on loan to a new patron (`borrower`) of that library. */
export async function buildLentWork(ctx: AppContext, library: TestLibrary) {
  const work = await buildWork(ctx, [{ library, branch: 'main' }]);
  const copy = work.copies[0]!;
  const borrower = await buildHoldPatron(ctx, library.id);
  await checkOut(ctx, {
    libraryId: library.id,
    cardNumber: borrower.patron.cardNumber,
    barcode: copy.barcode,
    branchId: library.main,
    actorId: null,
  });
  return { work, copy, borrower };
}
