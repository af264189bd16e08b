import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { CATALOG_IMPORT_INTERRUPTED } from '@athenaeum/contracts/vocabulary';
import { writeIso2709 } from '@athenaeum/marc';
import { buildOrganization, signInAs } from './modules/accounts/accounts.factories.js';
import { tempDir } from './test/processes.js';
import { windows1251Record } from './modules/catalog/charsets.factories.js';
import { createTestEnv, type TestEnv } from './test/context.js';
import { SERVER_ROOT } from './platform/version.js';

function cli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(SERVER_ROOT, 'src/cli.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let env: TestEnv;
let db: Record<string, string>;
beforeAll(async () => {
  env = await createTestEnv();
  db = { DATABASE_URL: env.database.url };
});

describe('athenaeum command line', () => {
  it('creates a platform administrator who can then sign in and act as one', async () => {
    const result = await cli(
      ['admin', 'create', '--email', 'Root@Example.org', '--name', 'Root'],
      db,
      'a-strong-password\n',
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Created platform administrator root@example.org');
    const session = await signInAs(env.app, 'root@example.org', 'a-strong-password');
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/admin/emails', headers: session.headers });
    expect(res.statusCode).toBe(200);
  });

  it('promotes an existing person without changing their password', async () => {
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { email: 'later-admin@example.org', password: 'original-password', displayName: 'Later' },
    });
    const result = await cli(
      ['admin', 'create', '--email', 'later-admin@example.org', '--password', 'ignored-password'],
      db,
    );
    expect(result.stdout).toContain('is now a platform administrator');
    const session = await signInAs(env.app, 'later-admin@example.org', 'original-password');
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: session.headers })).json().person
        .isPlatformAdmin,
    ).toBe(true);
  });

  it('refuses a short password and a malformed e-mail with exit code 2', async () => {
    const short = await cli(['admin', 'create', '--email', 'x@example.org', '--password', 'short'], db);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 10 characters');
    const bad = await cli(['admin', 'create', '--email', 'not-an-email', '--password', 'long-enough-pw'], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Not an e-mail address');
  });

  it('reports an up-to-date database on db migrate', async () => {
    const result = await cli(['db', 'migrate'], db);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The database is up to date.');
  });

  it('lists every invalid setting at once and exits non-zero', async () => {
    const result = await cli(['serve'], { PORT: 'eighty', DATABASE_URL: 'mysql://db/x', SMTP_URL: 'http://mail' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(result.stderr).toContain('SMTP_URL: must be an smtp:// or smtps:// URL');
  });

  it('imports MARC files into a library, reports rejected records with positions, and changes nothing the second time', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-LIB' });
    const data = path.resolve(SERVER_ROOT, '../../../shared/data/marc/pymarc');
    const report = path.join(tempDir('cli-import'), 'report.tsv');
    const files = [path.join(data, 'test.dat'), path.join(data, 'bad_records.mrc')];
    const first = await cli(['import', ...files, '--library', 'CLI-LIB', '--report', report], db);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/test\.dat: 10 added, 0 updated, 0 unchanged, 0 rejected/);
    expect(first.stdout).toMatch(/bad_records\.mrc: \d+ added, \d+ updated, \d+ unchanged, 4 rejected/);
    const lines = fs.readFileSync(report, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/bad_records\.mrc\trecord \d+, byte \d+\t.+/);
    const again = await cli(['import', files[0]!, '--library', 'CLI-LIB'], db);
    expect(again.stdout).toMatch(/test\.dat: 0 added, 0 updated, 10 unchanged, 0 rejected/);
    const count = await env.database.db
      .withTables<{ catalog_records: { organization_id: string } }>()
      .selectFrom('catalog_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', lib.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThanOrEqual(10);
  });

  it('stops an import on SIGINT between batches, marks its run interrupted and exits 130', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-INT' });
    const file = path.join(tempDir('cli-interrupt'), 'many.mrc');
    const many = Array.from({ length: 6000 }, (_, i) =>
      writeIso2709({
        leader: '00000nam a2200000 a 4500',
        fields: [
          { tag: '001', value: `CLI-INT-${i}` },
          { tag: '003', value: 'TEST' },
          { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `Interrupted book ${i}.` }] },
        ],
      }),
    );
    fs.writeFileSync(file, Buffer.concat(many));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(SERVER_ROOT, 'src/cli.ts'), 'import', file, '--library', 'CLI-INT'],
      {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...db },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runs = () =>
      env.database.db
        .withTables<{
          catalog_imports: { organization_id: string; status: string; processed: number; error: string | null };
        }>()
        .selectFrom('catalog_imports')
        .select(['status', 'processed', 'error'])
        .where('organization_id', '=', lib.id)
        .execute();
    // Once its first batch is stored, the import is interrupted.
    for (let tries = 0; ; tries++) {
      const [run] = await runs();
      if (run && run.processed > 0) break;
      if (tries > 600) throw new Error(`the import never started: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('interrupted');
    const [run] = await runs();
    expect(run).toMatchObject({ status: 'failed', error: CATALOG_IMPORT_INTERRUPTED });
    expect(run!.processed).toBeLessThan(6000);
  }, 120_000);

  it('refuses an unknown library or format without importing anything', async () => {
    const unknown = await cli(
      ['import', path.resolve(SERVER_ROOT, '../../../shared/data/marc/pymarc/test.dat'), '--library', 'NOPE'],
      db,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no library with the code NOPE');
    const badFormat = await cli(['import', 'x.mrc', '--library', 'CLI-LIB', '--format', 'pdf'], db);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('Unknown format "pdf"');
    const badHoldings = await cli(['import', 'x.mrc', '--library', 'CLI-LIB', '--holdings', '990'], db);
    expect(badHoldings.code).toBe(2);
    expect(badHoldings.stderr).toContain('Unknown holdings field "990"; use one of auto, 952, 852, 949, none.');
    const badEncoding = await cli(['import', 'x.mrc', '--library', 'CLI-LIB', '--encoding', 'koi8-r'], db);
    expect(badEncoding.code).toBe(2);
    expect(badEncoding.stderr).toContain(
      'Unknown character set "koi8-r"; use one of auto, utf-8, marc-8, iso-5426, windows-1251, iso-8859-1.',
    );
  });

  it('decodes every ISO 2709 record from the character set given with --encoding, whatever its leader says', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-ENC' });
    const dir = tempDir('cli-encoding');
    const file = path.join(dir, 'legacy.mrc');
    fs.writeFileSync(file, windows1251Record('CLI-E1', 'Война и мир'));
    const stored = () =>
      env.database.db
        .withTables<{
          catalog_records: {
            organization_id: string;
            fields: { title: string };
            source_encoding: string | null;
          };
        }>()
        .selectFrom('catalog_records')
        .select(['fields', 'source_encoding'])
        .where('organization_id', '=', lib.id)
        .execute();

    // Its leader says UTF-8: read as such, the Windows-1251 bytes are invalid and the record rejected.
    const report = path.join(dir, 'report.tsv');
    const plain = await cli(['import', file, '--library', 'CLI-ENC', '--report', report], db);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/legacy\.mrc: 0 added, 0 updated, 0 unchanged, 1 rejected/);
    expect(fs.readFileSync(report, 'utf8')).toContain('invalid UTF-8');
    expect(await stored()).toEqual([]);

    const forced = await cli(['import', file, '--library', 'CLI-ENC', '--encoding', 'windows-1251'], db);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/legacy\.mrc: 1 added, 0 updated, 0 unchanged, 0 rejected/);
    const rows = await stored();
    expect(rows.map((r) => [r.fields.title, r.source_encoding])).toEqual([['Война и мир', 'windows-1251']]);
  });

  it('refuses --encoding for a MARCXML file, before importing any of the files', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-ENC-X' });
    const dir = tempDir('cli-encoding-xml');
    const iso = path.join(dir, 'legacy.mrc');
    fs.writeFileSync(iso, windows1251Record('CLI-EX1', 'Война и мир'));
    const xml = path.join(dir, 'records.xml');
    fs.writeFileSync(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim"><record>' +
        '<leader>00000cam a2200000 a 4500</leader><controlfield tag="001">CLI-EX2</controlfield>' +
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Anna Karenina</subfield></datafield></record></collection>',
    );
    const run = await cli(['import', iso, xml, '--library', 'CLI-ENC-X', '--encoding', 'windows-1251'], db);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${xml} is MARCXML, which says its own character set: a character set is forced for ISO 2709 files (MARC 21, UNIMARC) only. Import it without --encoding.`,
    );
    const runs = await env.database.db
      .withTables<{ catalog_imports: { organization_id: string } }>()
      .selectFrom('catalog_imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', lib.id)
      .executeTakeFirstOrThrow();
    expect(Number(runs.n)).toBe(0);
  });

  it('reads copies from the holdings field given with --holdings', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-HOLD' });
    const file = path.join(tempDir('cli-holdings'), 'both.mrc');
    const data = (tag: string, subfields: Array<[string, string]>) => ({
      tag,
      ind1: ' ',
      ind2: ' ',
      subfields: subfields.map(([code, value]) => ({ code, value })),
    });
    const both = {
      leader: '00000cam a2200000 a 4500',
      fields: [
        { tag: '001', value: 'CLI-H1' },
        { tag: '003', value: 'TEST' },
        data('245', [['a', 'A record with two holdings fields.']]),
        data('852', [
          ['p', 'CLI-852'],
          ['h', 'PZ7'],
        ]),
        data('949', [
          ['i', 'CLI-949'],
          ['a', 'PZ7 .L4'],
        ]),
      ],
    };
    fs.writeFileSync(file, writeIso2709(both));
    const run = await cli(['import', file, '--library', 'CLI-HOLD', '--holdings', '949'], db);
    expect(run.code, run.stderr).toBe(0);
    const copies = await env.database.db
      .withTables<{ catalog_items: { organization_id: string; barcode: string } }>()
      .selectFrom('catalog_items')
      .select('barcode')
      .where('organization_id', '=', lib.id)
      .execute();
    expect(copies).toEqual([{ barcode: 'CLI-949' }]);
  });

  it('exports a library as MARCXML and RIS files, telling the format from --format or the file name', async () => {
    await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-EXP' });
    const data = path.resolve(SERVER_ROOT, '../../../shared/data/marc/pymarc/test.dat');
    expect((await cli(['import', data, '--library', 'CLI-EXP'], db)).code).toBe(0);
    const dir = tempDir('cli-export');
    const xml = path.join(dir, 'out.xml');
    const result = await cli(['export', '--library', 'CLI-EXP', '--format', 'marcxml', xml], db);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Wrote 10 records of CLI-EXP as marcxml to .*out\.xml/);
    const text = fs.readFileSync(xml, 'utf8');
    expect(
      text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">'),
    ).toBe(true);
    expect(text.match(/<record>/g)).toHaveLength(10);
    const ris = path.join(dir, 'out.ris');
    expect((await cli(['export', '--library', 'CLI-EXP', ris], db)).code).toBe(0);
    expect(fs.readFileSync(ris, 'utf8').match(/^TY {2}- /gm)).toHaveLength(10);
    const unknown = await cli(['export', '--library', 'CLI-EXP', path.join(dir, 'out.pdf')], db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Give --format');
  });

  it('names each record an export leaves out, with the reason', async () => {
    const lib = await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-SKIP' });
    const data = path.resolve(SERVER_ROOT, '../../../shared/data/marc/pymarc/test.dat');
    expect((await cli(['import', data, '--library', 'CLI-SKIP'], db)).code).toBe(0);
    const records = env.database.db.withTables<{
      catalog_records: { id: string; organization_id: string; marc: { fields: unknown[] } };
    }>();
    const first = await records
      .selectFrom('catalog_records')
      .select(['id', 'marc'])
      .where('organization_id', '=', lib.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // Stored before the editor refused such a field (MARCXML can hold it; ISO 2709 cannot).
    const long = { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(12_000) }] };
    await records
      .updateTable('catalog_records')
      .set({ marc: JSON.stringify({ ...first.marc, fields: [...first.marc.fields, long] }) as never })
      .where('id', '=', first.id)
      .execute();
    const result = await cli(['export', '--library', 'CLI-SKIP', path.join(tempDir('cli-skip'), 'out.mrc')], db);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Wrote 9 records of CLI-SKIP as marc21 .*; 1 left out, which marc21 cannot hold:/);
    expect(result.stderr).toContain(`  record ${first.id}: `);
    expect(result.stderr).toMatch(/field 500 is 12\d{3} bytes; ISO 2709 allows at most 9999/);
    expect(result.stderr).not.toContain('see the log');
  });

  it('harvests an OAI-PMH repository into a library, then only what changed', async () => {
    await buildOrganization(env.ctx, { kind: 'library', code: 'CLI-HARV' });
    const address = await env.app.listen({ host: '127.0.0.1', port: 0 });
    const args = [
      'harvest',
      `${address}/oai`,
      '--metadata-prefix',
      'marc21',
      '--set',
      'library:CLI-EXP',
      '--library',
      'CLI-HARV',
    ];
    // This server listens on 127.0.0.1, an internal address: refused unless allowed.
    const refused = await cli(args, db);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('127.0.0.1 is an internal address (loopback)');
    const allowed = { ...db, INTEROP_ALLOW_PRIVATE_REMOTES: 'true' };
    const first = await cli(args, allowed);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/10 records: 10 added, 0 updated, 0 unchanged, 0 deleted, 0 rejected/);
    const again = await cli(args, allowed);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/since \d{4}-\d{2}-\d{2}T[\d:]+Z: 0 added, 0 updated/);
    const bad = await cli(['harvest', `${address}/oai`, '--metadata-prefix', 'mods', '--library', 'CLI-HARV'], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown metadata prefix');
  });

  it('reindexes a library: records normalized by older code are derived again from their MARC', async () => {
    const library = await buildOrganization(env.ctx, { code: 'CLI-REINDEX' });
    const file = path.join(tempDir('cli-reindex'), 'one.mrc');
    fs.writeFileSync(
      file,
      writeIso2709({
        leader: '00000cam a2200000 a 4500',
        fields: [
          { tag: '001', value: 'RX1' },
          { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Quillwort herbal.' }] },
        ],
      }),
    );
    expect((await cli(['import', file, '--library', 'CLI-REINDEX'], db)).code).toBe(0);
    await sql`update catalog_records set search_doc = '{"a": "", "b": "", "c": "", "d": ""}'
      where organization_id = ${library.id}`.execute(env.ctx.db);
    const result = await cli(['reindex', '--library', 'CLI-REINDEX'], db);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 records read, 1 changed, 0 could not be normalized/);
    const {
      rows: [row],
    } = await sql<{ search_doc: unknown }>`select search_doc from catalog_records
      where organization_id = ${library.id}`.execute(env.ctx.db);
    expect(row!.search_doc).toMatchObject({ a: 'quillwort herbal' });
    expect((await cli(['reindex', '--library', 'NO-SUCH'], db)).code).toBe(2);
  });

  it('explains an unknown command', async () => {
    const result = await cli(['frobnicate'], db);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command: frobnicate');
    expect(result.stderr).toContain('db backup FILE');
  });
});
