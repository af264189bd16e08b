import type { AppContext } from '../../platform/context/context.js';
import { importRecords, type ReaderItem } from './import/import-records.js';
import { generateRecords } from './synthetic/generate.js';

/** How many records the demo network's libraries hold together. */
export const DEMO_RECORDS = 3000;

/**
 * The demo catalogue: synthetic records in nine languages across the demo libraries, with
 * shared editions and other editions of the same works so that clustering shows, and copies in
 * the libraries' branches.
 */
export async function seedCatalogDemo(
  ctx: AppContext,
  network: { libraries: Record<string, string>; branches: Record<string, Record<string, string>> },
): Promise<{ records: number }> {
  const codes = Object.keys(network.libraries);
  const branches = Object.fromEntries(codes.map((code) => [code, Object.keys(network.branches[code] ?? {})]));
  const byLibrary = new Map<string, ReaderItem[]>();
  let index = 0;
  for (const { library, record } of generateRecords(DEMO_RECORDS, { seed: 2026, libraries: codes, branches })) {
    const list = byLibrary.get(library) ?? [];
    list.push({ record, position: { index: index++ } });
    byLibrary.set(library, list);
  }
  for (const [code, items] of byLibrary) {
    await importRecords(ctx, items, {
      libraryId: network.libraries[code]!,
      flavour: 'marc21',
      sourceFormat: 'json',
      provenance: { source: 'demo' },
      branches: new Map(Object.entries(network.branches[code] ?? {})),
    });
  }
  return { records: index };
}
