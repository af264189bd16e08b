// Placing title-level holds on a popular work: one work with 500 copies across 20 libraries of one
// association (the demo network's RLA plus libraries made here), and patrons of a member library
// placing holds on it through the holds module's use case (the same one POST /me/holds runs: the
// patron, the network, the rules, the queue, the best copy set aside when one is free). The first
// holds each take a copy; the rest wait in the queue, which grows to BENCH_HOLDS_PATRONS holds.
// Target (issue 4): p95 ≤ 50 ms per hold, on PostgreSQL 15.
// Environment: BENCH_HOLDS_PATRONS (default 1,000), BENCH_HOLDS_CLIENTS (concurrent clients,
// default 8), and BENCH_PG_URL / BENCH_PG_PORT of bench/catalog-db.mjs.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { benchPostgres, demoLibraries, openBenchRuntime, postgresDatabase, postgresSettings } from './catalog-db.mjs';
import { percentile } from './stats.mjs';
import { root } from './generate.mjs';

const LIBRARIES = 20;
const COPIES = 500;
const PATRONS = Number(process.env.BENCH_HOLDS_PATRONS ?? 1000);
const CLIENTS = Number(process.env.BENCH_HOLDS_CLIENTS ?? 8);
const dist = (relative) => pathToFileURL(path.join(root, relative)).href;

/** The same edition (one ISBN) held by a library, with its share of the copies. */
function edition(library, copies, branch) {
  return {
    record: {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `BENCH-HOLDS-${library}` },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '9780306406157' }] },
        {
          tag: '100',
          ind1: '1',
          ind2: ' ',
          subfields: [{ code: 'a', value: 'Popular, Author' }],
        },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'The much wanted book' }] },
        ...Array.from({ length: copies }, (_, i) => ({
          tag: '952',
          ind1: ' ',
          ind2: ' ',
          subfields: [{ code: 'p', value: `HOLD-${library}-${i}` }, ...(branch ? [{ code: 'b', value: branch }] : [])],
        })),
      ],
    },
    position: { index: 0 },
  };
}

export async function benchHoldPlacement() {
  const pg = await benchPostgres();
  const url = await postgresDatabase(pg.url, 'ath_bench_holds', { fresh: true });
  const runtime = await openBenchRuntime({ url }, { poolSize: CLIENTS + 4 });
  try {
    const { ctx } = runtime;
    const accounts = await import(dist('apps/server/dist/modules/accounts/index.js'));
    // Not exported by the module (no use case needs to make libraries in bulk); the bench may.
    const organizations = await import(dist('apps/server/dist/modules/accounts/organizations.service.js'));
    const catalog = await import(dist('apps/server/dist/modules/catalog/index.js'));
    const circulation = await import(dist('apps/server/dist/modules/circulation/index.js'));
    const holds = await import(dist('apps/server/dist/modules/circulation/holds/index.js'));

    const demo = await demoLibraries(ctx);
    const home = demo.NOVLIB;
    const association = await accounts.findOrganizationByCode(ctx, 'RLA');
    const actor = await accounts.personIdByEmail(ctx, 'admin@demo.athenaeum.org');
    const libraries = [
      { id: home.id, branch: [...home.branches.keys()][0], branches: home.branches },
      ...['KAZLIB', 'RECBIB'].map((code) => ({
        id: demo[code].id,
        branch: [...demo[code].branches.keys()][0],
        branches: demo[code].branches,
      })),
    ];
    for (let i = libraries.length; i < LIBRARIES; i++) {
      const code = `HOLDLIB${String(i).padStart(2, '0')}`;
      const library = await organizations.createOrganization(ctx, actor, {
        code,
        kind: 'library',
        country: 'RU',
        names: { en: `Bench library ${i}` },
        memberOf: [association.id],
      });
      libraries.push({ id: library.id, branch: null, branches: new Map() });
    }
    const perLibrary = COPIES / LIBRARIES;
    for (const [i, library] of libraries.entries()) {
      await catalog.importRecords(ctx, [edition(i, perLibrary, library.branch)], {
        libraryId: library.id,
        flavour: 'marc21',
        sourceFormat: 'json',
        branches: library.branches,
      });
    }
    const { sql } = await import('kysely');
    const { rows: works } = await sql`select distinct work_id from catalog_records where deleted_at is null`.execute(
      ctx.db,
    );
    if (works.length !== 1) throw new Error(`expected the ${LIBRARIES} editions in one work, found ${works.length}`);
    const workId = works[0].work_id;

    await circulation.createPolicy(ctx, home.id, {
      patronCategory: null,
      itemType: null,
      loanDays: 21,
      renewals: 2,
      holdBlocksRenewal: true,
      maxLoans: 50,
      holdsAllowed: 20,
      dailyFine: null,
      fineCap: null,
      graceDays: 0,
    });
    const pickupBranchId = home.branches.get(libraries[0].branch);
    const patrons = [];
    for (let p = 0; p < PATRONS; p++) {
      const patron = await circulation.registerPatron(ctx, home.id, {
        cardNumber: `HOLDS-${p}`,
        category: 'adult',
        givenName: 'Reader',
        familyName: `${p}`,
        preferredLanguage: 'en',
        staffNotes: '',
        keepHistory: false,
      });
      patrons.push(patron.id);
    }

    const latencies = [];
    let errors = 0;
    let firstError = null;
    let next = 0;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < patrons.length) {
          const patronId = patrons[next++];
          const start = performance.now();
          try {
            await holds.placeHold(ctx, { patronId, workId, pickupBranchId, actorId: null });
            latencies.push(performance.now() - start);
          } catch (error) {
            errors++;
            firstError ??= error;
          }
        }
      }),
    );
    const elapsed = (performance.now() - startedAt) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    return {
      pass: errors === 0 && p95 <= 50,
      rows: [
        { metric: 'engine', value: await postgresSettings(url) },
        {
          metric: 'work',
          value: `${COPIES} copies in ${LIBRARIES} libraries of one association`,
        },
        { metric: 'holds placed × concurrent clients', value: `${latencies.length} × ${CLIENTS}` },
        { metric: 'holds per second', value: (latencies.length / elapsed).toFixed(0) },
        {
          metric: 'placement p50 / p95 / max',
          value: `${percentile(sorted, 50).toFixed(1)} / ${p95.toFixed(1)} / ${sorted.at(-1)?.toFixed(1)} ms`,
        },
        { metric: 'errors', value: errors ? `${errors} (first: ${firstError?.message})` : '0' },
      ],
    };
  } finally {
    await runtime.close();
    await pg.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchHoldPlacement();
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(result.pass ? 'meets its target' : 'MISSES its target');
}
