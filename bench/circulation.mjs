// Check-out and check-in at the desk under load: 32 clients (BENCH_CIRC_CLIENTS), each with its
// own patrons and copies, lend and take back copies for 60 s (BENCH_CIRC_SECONDS) through the
// circulation module's use cases (the same transactions the HTTP routes run: patron and item row
// locks, the rule, the calendar, the loan, the item's status and its history), on PostgreSQL 15
// with durable settings. Target (issue 4): p95 ≤ 25 ms for check-out and for check-in, and at
// least 500 transactions per second sustained, with no errors.
// Environment: BENCH_CIRC_CLIENTS, BENCH_CIRC_SECONDS, BENCH_CIRC_COPIES (per client, default 20),
// and BENCH_PG_URL / BENCH_PG_PORT of bench/catalog-db.mjs.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { benchPostgres, demoLibraries, openBenchRuntime, postgresDatabase, postgresSettings } from './catalog-db.mjs';
import { percentile } from './stats.mjs';
import { root } from './generate.mjs';

const CLIENTS = Number(process.env.BENCH_CIRC_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_CIRC_SECONDS ?? 60);
const COPIES = Number(process.env.BENCH_CIRC_COPIES ?? 20);
const dist = (relative) => pathToFileURL(path.join(root, relative)).href;

/** One record per client with its copies in 952 fields, all at the library's first branch. */
function records(clients, copies, branch) {
  return Array.from({ length: clients }, (_, c) => ({
    record: {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `BENCH-CIRC-${c}` },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `Circulation bench title ${c}` }] },
        ...Array.from({ length: copies }, (_, i) => ({
          tag: '952',
          ind1: ' ',
          ind2: ' ',
          subfields: [
            { code: 'p', value: `BC-${c}-${i}` },
            { code: 'b', value: branch },
          ],
        })),
      ],
    },
    position: { index: c },
  }));
}

export async function benchCirculation() {
  const pg = await benchPostgres();
  const url = await postgresDatabase(pg.url, 'ath_bench_circulation', { fresh: true });
  const runtime = await openBenchRuntime({ url }, { poolSize: CLIENTS + 4 });
  try {
    const { ctx } = runtime;
    const catalog = await import(dist('apps/server/dist/modules/catalog/index.js'));
    const circulation = await import(dist('apps/server/dist/modules/circulation/index.js'));
    const library = (await demoLibraries(ctx)).NOVLIB;
    const [branchCode, branchId] = [...library.branches.entries()][0];
    await catalog.importRecords(ctx, records(CLIENTS, COPIES, branchCode), {
      libraryId: library.id,
      flavour: 'marc21',
      sourceFormat: 'json',
      branches: library.branches,
    });
    await circulation.createPolicy(ctx, library.id, {
      patronCategory: null,
      itemType: null,
      loanDays: 21,
      renewals: 2,
      holdBlocksRenewal: true,
      maxLoans: 1000,
      holdsAllowed: 20,
      dailyFine: null,
      fineCap: null,
      graceDays: 0,
    });
    const cards = [];
    for (let c = 0; c < CLIENTS; c++) {
      const patron = await circulation.registerPatron(ctx, library.id, {
        cardNumber: `BENCH-${c}`,
        category: 'adult',
        givenName: 'Bench',
        familyName: `Client ${c}`,
        preferredLanguage: 'en',
        staffNotes: '',
        keepHistory: false,
      });
      cards.push(patron.cardNumber);
    }

    const latencies = { checkOut: [], checkIn: [] };
    let errors = 0;
    let firstError = null;
    const desk = { libraryId: library.id, branchId, actorId: null };
    const timed = async (kind, call) => {
      const start = performance.now();
      try {
        await call();
        latencies[kind].push(performance.now() - start);
      } catch (error) {
        errors++;
        firstError ??= error;
      }
    };
    const startedAt = performance.now();
    const endAt = startedAt + SECONDS * 1000;
    await Promise.all(
      cards.map(async (cardNumber, c) => {
        for (let round = 0; performance.now() < endAt; round++) {
          const barcode = `BC-${c}-${round % COPIES}`;
          await timed('checkOut', () => circulation.checkOut(ctx, { ...desk, cardNumber, barcode }));
          await timed('checkIn', () => circulation.checkIn(ctx, { ...desk, barcode }));
        }
      }),
    );
    const elapsed = (performance.now() - startedAt) / 1000;
    const transactions = latencies.checkOut.length + latencies.checkIn.length;
    const tps = transactions / elapsed;
    const p95 = {};
    for (const kind of ['checkOut', 'checkIn'])
      p95[kind] = percentile(
        [...latencies[kind]].sort((a, b) => a - b),
        95,
      );
    const fmt = (ms) => `${ms.toFixed(1)} ms`;
    return {
      pass: errors === 0 && p95.checkOut <= 25 && p95.checkIn <= 25 && tps >= 500,
      rows: [
        { metric: 'engine', value: await postgresSettings(url) },
        { metric: 'clients × duration', value: `${CLIENTS} × ${SECONDS} s` },
        { metric: 'transactions per second (check-out + check-in)', value: tps.toFixed(0) },
        {
          metric: 'check-out p50 / p95',
          value: `${fmt(
            percentile(
              [...latencies.checkOut].sort((a, b) => a - b),
              50,
            ),
          )} / ${fmt(p95.checkOut)}`,
        },
        {
          metric: 'check-in p50 / p95',
          value: `${fmt(
            percentile(
              [...latencies.checkIn].sort((a, b) => a - b),
              50,
            ),
          )} / ${fmt(p95.checkIn)}`,
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
  const result = await benchCirculation();
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(result.pass ? 'meets its target' : 'MISSES its target');
}
