// Check-out and check-in at the desk under load: 32 clients (BENCH_CIRC_CLIENTS), each with its
// own patron and copies, lend and take back copies through the circulation module's use cases
// (the same transactions the HTTP routes run: patron and item row locks, the rule, the calendar,
// the loan, the item's status and its history), on PostgreSQL 15 with durable settings.
// Two phases:
// - saturation (BENCH_CIRC_SATURATION_SECONDS, default 15): each client sends its next
//   transaction as soon as the last one answered — the most the machine does, where latency is
//   only queueing (32 clients / throughput);
// - paced (BENCH_CIRC_SECONDS, default 60): the 32 clients together send BENCH_CIRC_RATE
//   transactions per second (default 500, each client on its own fixed schedule), and each
//   latency counts from the moment the transaction was due, so a slow answer also charges the
//   ones queued behind it (no coordinated omission).
// Target (issue 4), on the paced phase: at least 500 transactions per second sustained for 60 s,
// p95 ≤ 25 ms for check-out and for check-in, no errors.
// Environment: those above, BENCH_CIRC_COPIES (per client, default 20), and BENCH_PG_URL /
// BENCH_PG_PORT of bench/catalog-db.mjs.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { benchPostgres, demoLibraries, openBenchRuntime, postgresDatabase, postgresSettings } from './catalog-db.mjs';
import { percentile } from './stats.mjs';
import { root } from './generate.mjs';

const CLIENTS = Number(process.env.BENCH_CIRC_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_CIRC_SECONDS ?? 60);
const SATURATION_SECONDS = Number(process.env.BENCH_CIRC_SATURATION_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_CIRC_RATE ?? 500);
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

    const desk = { libraryId: library.id, branchId, actorId: null };
    // One phase: each client alternates check-out and check-in of its copies; `interval` (ms
    // between a client's transactions) paces it, 0 runs it flat out.
    const phase = async (seconds, interval) => {
      const latencies = { checkOut: [], checkIn: [] };
      const errors = { count: 0, first: null };
      const startedAt = performance.now();
      const endAt = startedAt + seconds * 1000;
      await Promise.all(
        cards.map(async (cardNumber, c) => {
          // Clients start spread over one interval, so the load is even from the first moment.
          let due = startedAt + (interval * c) / cards.length;
          for (let round = 0; ; round++) {
            const barcode = `BC-${c}-${round % COPIES}`;
            // A phase ends between rounds, so no copy is left on loan for the next.
            if (performance.now() >= endAt) return;
            for (const kind of ['checkOut', 'checkIn']) {
              if (interval) {
                const wait = due - performance.now();
                if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
              }
              const start = interval ? due : performance.now();
              try {
                await (kind === 'checkOut'
                  ? circulation.checkOut(ctx, { ...desk, cardNumber, barcode })
                  : circulation.checkIn(ctx, { ...desk, barcode }));
                latencies[kind].push(performance.now() - start);
              } catch (error) {
                errors.count++;
                errors.first ??= error;
              }
              due += interval;
            }
          }
        }),
      );
      const elapsed = (performance.now() - startedAt) / 1000;
      const sorted = (kind) => [...latencies[kind]].sort((x, y) => x - y);
      const stats = Object.fromEntries(
        ['checkOut', 'checkIn'].map((kind) => [
          kind,
          { p50: percentile(sorted(kind), 50), p95: percentile(sorted(kind), 95) },
        ]),
      );
      return { tps: (latencies.checkOut.length + latencies.checkIn.length) / elapsed, stats, errors };
    };
    const saturation = await phase(SATURATION_SECONDS, 0);
    const paced = await phase(SECONDS, (1000 * CLIENTS) / RATE);
    const fmt = (ms) => `${ms.toFixed(1)} ms`;
    const pair = (s) => `${fmt(s.p50)} / ${fmt(s.p95)}`;
    const errorText = (e) => (e.count ? `${e.count} (first: ${e.first?.message})` : '0');
    return {
      pass:
        paced.errors.count === 0 &&
        saturation.errors.count === 0 &&
        paced.stats.checkOut.p95 <= 25 &&
        paced.stats.checkIn.p95 <= 25 &&
        paced.tps >= RATE * 0.99,
      rows: [
        { metric: 'engine', value: await postgresSettings(url) },
        { metric: 'clients', value: String(CLIENTS) },
        {
          metric: `saturation (${SATURATION_SECONDS} s, no pause): transactions per second`,
          value: saturation.tps.toFixed(0),
        },
        { metric: 'saturation: check-out p50 / p95', value: pair(saturation.stats.checkOut) },
        { metric: 'saturation: check-in p50 / p95', value: pair(saturation.stats.checkIn) },
        {
          metric: `paced at ${RATE}/s for ${SECONDS} s: transactions per second`,
          value: `**${paced.tps.toFixed(0)}**`,
        },
        { metric: 'paced: check-out p50 / p95', value: `**${pair(paced.stats.checkOut)}**` },
        { metric: 'paced: check-in p50 / p95', value: `**${pair(paced.stats.checkIn)}**` },
        { metric: 'errors (saturation, paced)', value: `${errorText(saturation.errors)}, ${errorText(paced.errors)}` },
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
