// npm run bench: runs every benchmark and prints a Markdown table for docs/BENCHMARKS.md.
// Pass names to run a subset: npm run bench -- startup
import os from 'node:os';
import { ensureBuilt } from '../scripts/build.mjs';
import { benchCatalogImport } from './catalog-import.mjs';
import { benchCatalogSearch } from './catalog-search.mjs';
import { benchCirculation } from './circulation.mjs';
import { benchGenerate } from './generate.mjs';
import { benchHoldPlacement } from './holds.mjs';
import { benchMarcParse } from './marc-parse.mjs';
import { benchOaiHarvest } from './oai-harvest.mjs';
import { benchStartup } from './startup.mjs';
import { benchSru } from './sru.mjs';

const suites = {
  startup: benchStartup,
  'marc-parse': benchMarcParse,
  generate: benchGenerate,
  'catalog-import': benchCatalogImport,
  'catalog-search': benchCatalogSearch,
  'oai-harvest': benchOaiHarvest,
  sru: benchSru,
  circulation: benchCirculation,
  holds: benchHoldPlacement,
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
ensureBuilt();

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
console.log(`Machine: ${machine}\nDate: ${new Date().toISOString()}\n`);
let allPass = true;
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const result = await run();
  allPass &&= result.pass;
  console.log(`### ${name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target\n`);
}
process.exit(allPass ? 0 : 1);
