import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CATALOG_IMPORT_ENCODINGS,
  CATALOG_IMPORT_HOLDINGS,
  type CatalogImportEncoding,
  type CatalogImportHoldings,
} from '@athenaeum/contracts';
import { branchesOf, ensurePlatformAdmin, findOrganizationByCode } from './modules/accounts/index.js';
import { harvest, type HarvestProgress } from './modules/interop/index.js';
import {
  encodingRefusal,
  EXPORT_FORMATS,
  exportLibrary,
  fileFormat,
  importFile,
  renormalizeRecords,
  type ExportFormat,
  type FileImportProgress,
  type ImportFormat,
} from './modules/catalog/index.js';
import { loadConfig, type Config } from './config.js';
import { formatSignIns } from './demo/seed.js';
import { exitWithStartupError, serve } from './main.js';
import { backupDatabase, restoreDatabase } from './platform/db/backup.js';
import { openDatabase } from './platform/db/database.js';
import { listMigrations, migrate, MIGRATIONS_DIR } from './platform/db/migrate.js';
import { createLogger } from './platform/logger.js';
import { VERSION } from './platform/version.js';
import { openRuntime, seedIfEmpty } from './runtime.js';

const HELP = `athenaeum ${VERSION} — the operator's command line

Usage: athenaeum <command> [options]      (from a checkout: npm run cli -- <command>)

  serve                         run the server (the default; same as npm start)
  db migrate                    apply pending migrations
  db new NAME                   create migrations/NNNN_NAME.sql (NAME: module_what)
  db backup FILE                write a plain SQL dump (restore with psql into an empty PostgreSQL ≥ 15)
  db restore FILE               load a dump into an EMPTY database (embedded or DATABASE_URL)
  admin create --email E [--name N] [--password P]
                                create or promote a platform administrator
                                (password from --password, $ATHENAEUM_ADMIN_PASSWORD or standard input)
  import FILE… --library CODE [--format auto|marc21|unimarc|marcxml|json]
         [--holdings auto|952|852|949|none]
         [--encoding auto|utf-8|marc-8|iso-5426|windows-1251|iso-8859-1] [--report FILE]
                                import MARC records into a library's catalogue; rejected
                                records are listed with position and reason in the report;
                                copies come from the holdings field given (default auto: the
                                first of 952, 852 and 949 present in each record; none: no copies);
                                --encoding decodes every ISO 2709 record from that character set,
                                whatever its leader/09 or UNIMARC field 100 say (default auto:
                                what each record says; refused for MARCXML and MARC-in-JSON)
  export --library CODE --format marcxml|marc21|dc|jsonld|ris|bibtex FILE
                                write a library's catalogue to FILE (- for standard output)
  harvest URL --metadata-prefix marc21|oai_dc [--set S] --library CODE [--full]
                                harvest an OAI-PMH repository into a library's catalogue;
                                incremental (from the last datestamp) and resumable
  reindex [--library CODE]      derive the normalized fields of stored records again from their
                                MARC (after an upgrade that changes normalization or search),
                                and rebuild the works of those that changed
  seed demo                     load the demo network into an empty database
  help                          this text

Settings come from the environment: DATABASE_URL (unset: embedded database in
ATHENAEUM_DATA_DIR, default ./data), PORT, SMTP_URL, LOG_LEVEL … (see README).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    fail('Give the password with --password or $ATHENAEUM_ADMIN_PASSWORD, or pipe it on standard input.');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

async function dbBackup(config: Config, file: string): Promise<void> {
  const database = await openDatabase(config);
  try {
    const result = await backupDatabase(
      database.pool,
      path.resolve(file),
      { version: VERSION, kind: database.kind },
      (p) => progressLine(`backing up ${p.table}: ${p.rows.toLocaleString()} rows`),
    );
    progressLine('');
    process.stdout.write(`Wrote ${file}: ${result.rows.toLocaleString()} rows from ${result.tables} tables.\n`);
  } finally {
    await database.close();
  }
}

async function dbRestore(config: Config, file: string): Promise<void> {
  if (!fs.existsSync(file)) fail(`No such file: ${file}`);
  const database = await openDatabase(config);
  try {
    const result = await restoreDatabase(database.pool, path.resolve(file), (bytes, totalBytes) =>
      progressLine(`restoring: ${Math.round((100 * bytes) / Math.max(totalBytes, 1))}%`),
    );
    progressLine('');
    const applied = await migrate(database.db);
    process.stdout.write(
      `Restored ${file} (${result.statements.toLocaleString()} statements)${applied.length ? `; then applied ${applied.join(', ')}` : ''}.\n`,
    );
  } finally {
    await database.close();
  }
}

function dbNew(name: string): void {
  if (!/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(name)) fail('NAME must be module_what in lower case, e.g. catalog_add_items');
  const last = listMigrations().at(-1)?.version.slice(0, 4) ?? '0000';
  const file = path.join(MIGRATIONS_DIR, `${String(Number(last) + 1).padStart(4, '0')}_${name}.sql`);
  fs.writeFileSync(file, `-- ${name.replace(/_/g, ' ')}\n`, { flag: 'wx' });
  process.stdout.write(`Created ${path.relative(process.cwd(), file)}\n`);
}

const FORMATS = ['auto', 'marc21', 'unimarc', 'marcxml', 'json'] as const;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function progressReporter(file: string) {
  const started = performance.now();
  let lastLine = 0;
  return (p: FileImportProgress) => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = p.processed / Math.max(elapsed, 0.001);
    const fraction = p.totalBytes ? p.bytes / p.totalBytes : 0;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Number.NaN;
    const line = `${path.basename(file)}: ${p.processed.toLocaleString()} records, ${Math.round(rate).toLocaleString()}/s, ${Math.round(fraction * 100)}%, ETA ${formatDuration(eta)}`;
    if (process.stderr.isTTY) progressLine(line);
    else if (performance.now() - lastLine > 5_000) {
      lastLine = performance.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

/**
 * The report of rejected records (`file\tposition\treason` lines), written as they come: created
 * at the first one, so an import without rejects leaves no file, and nothing grows in memory.
 */
class RejectReport {
  private fd: number | null = null;
  private pending = '';

  constructor(readonly file: string) {}

  add(file: string, position: string, reason: string): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.file, 'w');
      this.pending = 'file\tposition\treason\n';
    }
    this.pending += `${file}\t${position}\t${reason}\n`;
    if (this.pending.length >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd !== null && this.pending) fs.writeSync(this.fd, this.pending);
    this.pending = '';
  }

  /** Writes what is left and closes the file; whether there was any reject. */
  close(): boolean {
    if (this.fd === null) return false;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = null;
    return true;
  }
}

async function reindexCommand(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  values: { library?: string },
): Promise<void> {
  const runtime = await openRuntime(config, logger);
  try {
    let libraryId: string | undefined;
    if (values.library) {
      const library = await findOrganizationByCode(runtime.ctx, values.library);
      if (!library || library.kind !== 'library') fail(`There is no library with the code ${values.library}.`);
      libraryId = library.id;
    }
    const started = performance.now();
    const result = await renormalizeRecords(runtime.ctx, {
      libraryId,
      onProgress: (p) =>
        progressLine(`${p.processed.toLocaleString()} records read, ${p.changed.toLocaleString()} changed`),
      onFailure: (f) => {
        progressLine('');
        process.stderr.write(`record ${f.recordId}: cannot be normalized: ${f.reason}\n`);
      },
    });
    progressLine('');
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${result.processed.toLocaleString()} records read, ${result.changed.toLocaleString()} changed, ${result.failed.toLocaleString()} could not be normalized (kept as they were) in ${seconds.toFixed(1)} s\n`,
    );
    if (result.failed > 0) process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

async function importCommand(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  files: string[],
  values: { library?: string; format?: string; holdings?: string; encoding?: string; report?: string },
): Promise<void> {
  if (files.length === 0 || !values.library)
    fail(
      'Usage: import FILE… --library CODE [--format auto|marc21|unimarc|marcxml|json] [--holdings auto|952|852|949|none] [--encoding auto|utf-8|marc-8|iso-5426|windows-1251|iso-8859-1] [--report FILE]',
    );
  const format = (values.format ?? 'auto') as ImportFormat;
  if (!FORMATS.includes(format)) fail(`Unknown format "${values.format}"; use one of ${FORMATS.join(', ')}.`);
  const holdings = (values.holdings ?? 'auto') as CatalogImportHoldings;
  if (!CATALOG_IMPORT_HOLDINGS.includes(holdings))
    fail(`Unknown holdings field "${values.holdings}"; use one of ${CATALOG_IMPORT_HOLDINGS.join(', ')}.`);
  const chosen = (values.encoding ?? 'auto') as CatalogImportEncoding;
  if (!CATALOG_IMPORT_ENCODINGS.includes(chosen))
    fail(`Unknown character set "${values.encoding}"; use one of ${CATALOG_IMPORT_ENCODINGS.join(', ')}.`);
  const encoding = chosen === 'auto' ? undefined : chosen;
  for (const file of files) if (!fs.existsSync(file)) fail(`No such file: ${file}`);
  // Every file is looked at before any is imported: a forced character set is refused for
  // MARCXML and MARC-in-JSON rather than ignored.
  if (encoding) {
    for (const file of files) {
      const refusal = encodingRefusal(file, fileFormat(file, format));
      if (refusal) fail(`${refusal} Import it without --encoding.`);
    }
  }
  const report = new RejectReport(
    values.report ?? `import-report-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`,
  );
  // Ctrl-C or a TERM signal stops the import between batches, and its run is marked interrupted; a
  // second signal kills the process at once (the run then shows as interrupted all the same).
  const stop = new AbortController();
  let caught: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    caught = signal;
    progressLine('');
    process.stderr.write(`${signal}: stopping the import after the batch being stored…\n`);
    stop.abort(new Error(`interrupted by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runtime = await openRuntime(config, logger);
  try {
    const library = await findOrganizationByCode(runtime.ctx, values.library);
    if (!library || library.kind !== 'library') fail(`There is no library with the code ${values.library}.`);
    const branches = await branchesOf(runtime.ctx, library.id);
    const totals = { processed: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (const file of files) {
      if (stop.signal.aborted) {
        process.stderr.write(`${file}: not imported (interrupted before it began).\n`);
        process.exitCode = caught === 'SIGTERM' ? 143 : 130;
        continue;
      }
      const started = performance.now();
      const result = await importFile(runtime.ctx, {
        file,
        libraryId: library.id,
        branches,
        format,
        holdings,
        encoding,
        onProgress: progressReporter(file),
        onReject: (r) => report.add(file, r.position, r.reason),
        signal: stop.signal,
      }).catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
        return null;
      });
      if (!result) {
        progressLine('');
        process.stderr.write(
          `${file}: interrupted; the run is marked failed (interrupted). The records stored until now are kept; import the same file again to finish it (nothing is imported twice).\n`,
        );
        process.exitCode = caught === 'SIGTERM' ? 143 : 130;
        continue;
      }
      progressLine('');
      const seconds = (performance.now() - started) / 1000;
      const c = result.counts;
      process.stdout.write(
        `${file}: ${c.added.toLocaleString()} added, ${c.updated.toLocaleString()} updated, ${c.unchanged.toLocaleString()} unchanged, ${c.rejected.toLocaleString()} rejected (${c.processed.toLocaleString()} records in ${seconds.toFixed(1)} s, ${Math.round(c.processed / Math.max(seconds, 0.001)).toLocaleString()}/s)\n`,
      );
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += c[key];
    }
    if (files.length > 1) {
      process.stdout.write(
        `Total: ${totals.added} added, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.rejected} rejected\n`,
      );
    }
    if (report.close())
      process.stdout.write(
        `Rejected records${stop.signal.aborted ? ' until then' : ''} are listed in ${report.file}\n`,
      );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    report.close();
    await runtime.close();
  }
}

const EXTENSION_FORMATS: Record<string, ExportFormat> = {
  '.xml': 'marcxml',
  '.mrc': 'marc21',
  '.marc': 'marc21',
  '.jsonld': 'jsonld',
  '.ris': 'ris',
  '.bib': 'bibtex',
};

async function exportCommand(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  file: string | undefined,
  values: { library?: string; format?: string },
): Promise<void> {
  const usage = `Usage: export --library CODE --format ${EXPORT_FORMATS.join('|')} FILE`;
  if (!file || !values.library) fail(usage);
  const given =
    values.format && values.format !== 'auto' ? values.format : EXTENSION_FORMATS[path.extname(file).toLowerCase()];
  if (!given)
    fail(`Give --format (one of ${EXPORT_FORMATS.join(', ')}); it cannot be told from the file name ${file}.`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(given))
    fail(`Unknown format "${given}"; use one of ${EXPORT_FORMATS.join(', ')}.`);
  const runtime = await openRuntime(config, logger);
  try {
    const library = await findOrganizationByCode(runtime.ctx, values.library);
    if (!library || library.kind !== 'library') fail(`There is no library with the code ${values.library}.`);
    const started = performance.now();
    const out = await exportLibrary(runtime.ctx, {
      libraryId: library.id,
      format: given as ExportFormat,
      links: { baseUrl: config.publicUrl?.replace(/\/+$/, '') ?? null },
    });
    const target = file === '-' ? process.stdout : fs.createWriteStream(file);
    for await (const chunk of out.chunks) {
      if (!target.write(chunk)) await new Promise<void>((resolve) => target.once('drain', () => resolve()));
      progressLine(`${values.library}: ${out.counts.written.toLocaleString()} records`);
    }
    progressLine('');
    if (target !== process.stdout)
      await new Promise<void>((resolve, reject) =>
        (target as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    const seconds = (performance.now() - started) / 1000;
    const { skipped, skippedRecords } = out.counts;
    process.stderr.write(
      `Wrote ${out.counts.written.toLocaleString()} records of ${library.code} as ${given} to ${file} in ${seconds.toFixed(1)} s${skipped ? `; ${skipped.toLocaleString()} left out, which ${given} cannot hold:` : '.'}\n`,
    );
    for (const r of skippedRecords) process.stderr.write(`  record ${r.id}: ${r.reason}\n`);
    if (skipped > skippedRecords.length)
      process.stderr.write(`  … and ${(skipped - skippedRecords.length).toLocaleString()} more, not named here.\n`);
  } finally {
    await runtime.close();
  }
}

async function harvestCommand(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  url: string | undefined,
  values: { library?: string; 'metadata-prefix'?: string; set?: string; full?: boolean },
): Promise<void> {
  const prefix = values['metadata-prefix'] ?? 'marc21';
  if (!url || !values.library)
    fail('Usage: harvest URL --metadata-prefix marc21|oai_dc [--set S] --library CODE [--full]');
  if (!/^https?:\/\//.test(url)) fail(`Not an http(s) URL: ${url}`);
  if (prefix !== 'marc21' && prefix !== 'oai_dc') fail(`Unknown metadata prefix "${prefix}"; use marc21 or oai_dc.`);
  const runtime = await openRuntime(config, logger);
  try {
    const library = await findOrganizationByCode(runtime.ctx, values.library);
    if (!library || library.kind !== 'library') fail(`There is no library with the code ${values.library}.`);
    const started = performance.now();
    const report = (p: HarvestProgress) =>
      progressLine(
        `${url}: ${p.records.toLocaleString()} records${p.completeListSize ? ` of ${p.completeListSize.toLocaleString()}` : ''}, ${p.pages} pages`,
      );
    const result = await harvest(runtime.ctx, {
      baseUrl: url,
      metadataPrefix: prefix,
      set: values.set,
      libraryId: library.id,
      full: values.full,
      onProgress: report,
    });
    progressLine('');
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${url}: ${result.records.toLocaleString()} records${result.resumed ? ' (resumed)' : ''}${result.from ? ` since ${result.from}` : ''}: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted, ${result.rejected} rejected in ${seconds.toFixed(1)} s\n`,
    );
  } finally {
    await runtime.close();
  }
}

/** Runs one command of the operator's command line. */
export async function runCli(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      library: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      holdings: { type: 'string' },
      encoding: { type: 'string' },
      report: { type: 'string' },
      'metadata-prefix': { type: 'string' },
      set: { type: 'string' },
      full: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'serve', sub, arg] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'serve':
      return serve(config);
    case 'db migrate': {
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database.db);
        process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'The database is up to date.\n');
      } finally {
        await database.close();
      }
      return;
    }
    case 'db new':
      return dbNew(arg ?? fail('Usage: db new NAME'));
    case 'db backup':
      return dbBackup(config, arg ?? fail('Usage: db backup FILE'));
    case 'db restore':
      return dbRestore(config, arg ?? fail('Usage: db restore FILE'));
    case 'admin create': {
      const email =
        values.email?.trim().toLowerCase() ?? fail('Usage: admin create --email E [--name N] [--password P]');
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) fail(`Not an e-mail address: ${email}`);
      const password = values.password ?? process.env.ATHENAEUM_ADMIN_PASSWORD ?? (await readStdin());
      if (password.length < 10) fail('The password must be at least 10 characters.');
      const runtime = await openRuntime(config, logger);
      try {
        const result = await ensurePlatformAdmin(runtime.ctx, {
          email,
          password,
          displayName: values.name ?? email.split('@')[0]!,
        });
        process.stdout.write(
          result.created
            ? `Created platform administrator ${email}.\n`
            : `${email} is now a platform administrator (password unchanged).\n`,
        );
      } finally {
        await runtime.close();
      }
      return;
    }
    case 'import':
    case `import ${sub}`:
      return importCommand(config, logger, positionals.slice(1), values);
    case 'harvest':
    case `harvest ${sub}`:
      return harvestCommand(config, logger, positionals[1], values);
    case 'export':
    case `export ${sub}`:
      return exportCommand(config, logger, positionals[1], values);
    case 'reindex':
      return reindexCommand(config, logger, values);
    case 'seed demo': {
      const runtime = await openRuntime({ ...config, seedDemo: true }, logger);
      try {
        const demo = await seedIfEmpty(runtime.ctx);
        process.stdout.write(
          demo ? `${formatSignIns(demo.signIns)}\n` : 'The database is not empty; the demo network was not loaded.\n',
        );
      } finally {
        await runtime.close();
      }
      return;
    }
    default:
      fail(`Unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).catch(exitWithStartupError);
}
