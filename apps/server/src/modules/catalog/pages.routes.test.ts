import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, principalOf } from '../../test/helpers.js';
import { tempDir } from '../../test/processes.js';
import { xmlWellFormedErrors } from '../../test/xml-schemas.js';
import { buildOrganization, buildPerson } from '../accounts/accounts.factories.js';
import { catalogDb } from './catalog.repository.js';
import { importRecords } from './import/import-records.js';
import { record } from './normalize/marc-fixtures.js';
import { sitemapXml } from './seo/sitemap.js';
import { mergeWorks } from './works/merge-works.js';
import { injectHead, jsonForScript } from './seo/work-page.js';

// The web app's index.html as Vite builds it: what matters is what the server puts in its head.
const INDEX = `<!doctype html>
<html lang="en" dir="ltr">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="Athenaeum: a common information field for libraries and library associations" />
    <title>Athenaeum</title>
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

let env: TestEnv;
let app: FastifyInstance;
const root = tempDir('seo-root');
let wizardWork: string;
let evilWork: string;
let north: { id: string };
let south: { id: string };

async function load(libraryId: string, lines: string[][], branches?: Map<string, string>) {
  await importRecords(
    env.ctx,
    lines.map((l, index) => ({ record: record('00000cam a2200000 a 4500', l), position: { index } })),
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709', branches },
  );
}

async function workOf(recordKey: string): Promise<string> {
  const row = await catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select('work_id')
    .where('record_key', '=', recordKey)
    .executeTakeFirstOrThrow();
  return row.work_id;
}

beforeAll(async () => {
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  env = await createTestEnv({ PUBLIC_URL: 'https://catalogue.example.org/' });
  app = await buildApp({
    ctx: { ...env.ctx, logger: pino({ level: 'silent' }) },
    database: env.database,
    version: 'test',
    webRoot: root,
  });
  north = await buildOrganization(env.ctx, {
    code: 'SEO-NORTH',
    names: { en: 'North Library', ru: 'Северная библиотека' },
  });
  south = await buildOrganization(env.ctx, { code: 'SEO-SOUTH', names: { pt: 'Biblioteca do Sul' } });
  const wizard = (id: string, barcodes: string[]) => [
    `001 ${id}`,
    '008 850101s1968    cau           000 1 eng d',
    '020 __$a9780547773742',
    '100 1_$aLe Guin, Ursula K.',
    '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
    '264 _1$aBoston :$bHoughton Mifflin,$c1968.',
    ...barcodes.map((b) => `952 __$p${b}$oFIC LEG`),
  ];
  await load(north.id, [wizard('N-1', ['N-0001', 'N-0002'])]);
  await load(south.id, [wizard('S-1', ['S-0001'])]);
  await load(north.id, [
    [
      '001 N-EVIL',
      '008 850101s2001    xxu           000 1 eng d',
      '100 1_$aMallory, "Quote" <b>',
      '245 10$aClosing </script><script>alert(1)</script> & <!-- tags',
      '520 __$aA summary with </SCRIPT > and \u2028 a line separator.',
      '952 __$pN-0100',
    ],
  ]);
  wizardWork = await workOf('-/N-1');
  evilWork = await workOf('-/N-EVIL');
  expect(await workOf('-/S-1')).toBe(wizardWork);
  // South's only copy is out on loan.
  await catalogDb(env.ctx.db)
    .updateTable('catalog_items')
    .set({ status: 'on_loan' })
    .where('barcode', '=', 'S-0001')
    .execute();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const page = (url: string) => app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });

function jsonLdOf(html: string): Record<string, unknown> {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  expect(blocks).toHaveLength(1);
  return JSON.parse(blocks[0]![1]!) as Record<string, unknown>;
}

describe('GET /works/:id (the page search engines read)', () => {
  it("sends the app with the work's title, description, canonical address and schema.org Book", async () => {
    const res = await page(`/works/${wizardWork}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    const html = res.body;
    expect(html).toContain('<div id="root"></div>');
    expect(html).toContain('<script type="module" crossorigin src="/assets/index-abc.js"></script>');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html).toContain('<title>The wizard of Earthsea — Le Guin, Ursula K. — Athenaeum</title>');
    expect(html.match(/<meta name="description"/g)).toHaveLength(1);
    const description = /<meta name="description" content="([^"]*)"/.exec(html)![1]!;
    expect(description).toContain('The wizard of Earthsea');
    expect(description).toContain('North Library');
    expect(description).toContain('Biblioteca do Sul');
    expect(html).toContain(`<link rel="canonical" href="https://catalogue.example.org/works/${wizardWork}" />`);
    expect(html).not.toContain('noindex');

    const doc = jsonLdOf(html);
    expect(doc).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Book',
      '@id': `https://catalogue.example.org/works/${wizardWork}`,
      url: `https://catalogue.example.org/works/${wizardWork}`,
      name: 'The wizard of Earthsea',
      author: [{ '@type': 'Person', name: 'Le Guin, Ursula K' }],
      isbn: '9780547773742',
      inLanguage: 'en',
      datePublished: '1968',
      publisher: { '@type': 'Organization', name: 'Houghton Mifflin' },
    });
    const offers = doc.offers as Array<{
      availability: string;
      offeredBy: { name: string; '@id': string };
      inventoryLevel: { value: number };
    }>;
    expect(offers).toHaveLength(2);
    const byName = Object.fromEntries(offers.map((o) => [o.offeredBy.name, o]));
    expect(byName['North Library']).toMatchObject({
      '@type': 'Offer',
      availability: 'https://schema.org/InStock',
      inventoryLevel: { value: 2 },
      offeredBy: { '@type': 'Library', '@id': `https://catalogue.example.org/organizations/${north.id}` },
    });
    expect(byName['Biblioteca do Sul']).toMatchObject({
      availability: 'https://schema.org/OutOfStock',
      inventoryLevel: { value: 0 },
    });
  });

  it('keeps record data from breaking out of the script, the title or an attribute', async () => {
    const html = (await page(`/works/${evilWork}`)).body;
    expect(html).not.toMatch(/<script>alert/i);
    expect(html).not.toContain('<!-- tags');
    expect(html).not.toContain('<b>');
    // Only the app's own script and the JSON-LD block close.
    expect(html.match(/<\/script>/gi)).toHaveLength(2);
    expect(html).toContain(
      '<title>Closing &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- tags — Mallory, &quot;Quote&quot; &lt;b&gt; — Athenaeum</title>',
    );
    expect(/<meta name="description" content="([^"]*)"/.exec(html)![1]).toContain('&lt;/script&gt;');
    const doc = jsonLdOf(html);
    expect(doc.name).toBe('Closing </script><script>alert(1)</script> & <!-- tags');
    expect(doc.description).toMatch(/^A summary with <\/SCRIPT > and\s+a line separator/);
  });

  it('answers an unknown or malformed id with the app, status 404 and noindex', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-work', "%3Cscript%3E'"]) {
      const res = await page(`/works/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.body).toContain('<meta name="robots" content="noindex" />');
      expect(res.body).not.toContain('application/ld+json');
      expect(res.body).not.toContain("<script>'");
    }
  });
});

describe('helpers', () => {
  it('escapes JSON for a script block so that it parses back to the same value', () => {
    const value = { a: '</script><!--<script>', b: '\u2028\u2029&<>', c: [1, null, 'ok'] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('adds a head to a page that has no title or description', () => {
    const html = injectHead('<html><head></head><body></body></html>', {
      title: 'T & U',
      description: 'D',
      canonical: 'https://x.org/works/1',
    });
    expect(html).toContain('<title>T &amp; U</title>');
    expect(html).toContain('<meta name="description" content="D" />');
    expect(html.indexOf('<title>')).toBeLessThan(html.indexOf('</head>'));
  });
});

describe('/sitemap.xml and /robots.txt', () => {
  it('lists every work page with its last change', async () => {
    const res = await app.inject({ method: 'GET', url: '/sitemap.xml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(xmlWellFormedErrors(res.body)).toBeNull();
    expect(res.body).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const works = await catalogDb(env.ctx.db)
      .selectFrom('catalog_works')
      .select(['id', 'updated_at'])
      .where('record_count', '>', 0)
      .execute();
    expect(works.length).toBe(2);
    const locs = [...res.body.matchAll(/<loc>([^<]+)<\/loc><lastmod>([^<]+)<\/lastmod>/g)].map((m) => [m[1], m[2]]);
    expect(locs.sort()).toEqual(
      works.map((w) => [`https://catalogue.example.org/works/${w.id}`, new Date(w.updated_at).toISOString()]).sort(),
    );
  });

  it('becomes an index of numbered pages past the size of one sitemap', async () => {
    const baseUrl = 'https://catalogue.example.org';
    const index = await sitemapXml(env.ctx, { baseUrl, perFile: 1 });
    expect(xmlWellFormedErrors(index!)).toBeNull();
    expect(index).toContain('<sitemapindex');
    expect([...index!.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      `${baseUrl}/sitemap.xml?page=1`,
      `${baseUrl}/sitemap.xml?page=2`,
    ]);
    const first = await sitemapXml(env.ctx, { baseUrl, perFile: 1, page: 1 });
    const second = await sitemapXml(env.ctx, { baseUrl, perFile: 1, page: 2 });
    const ids = [first, second].map((xml) => /<loc>[^<]+\/works\/([^<]+)<\/loc>/.exec(xml!)![1]);
    expect(ids.sort()).toEqual([wizardWork, evilWork].sort());
    expect(await sitemapXml(env.ctx, { baseUrl, perFile: 1, page: 3 })).toBeNull();
    expectProblem(await app.inject({ method: 'GET', url: '/sitemap.xml?page=2' }), 404, 'NOT_FOUND');
    expectProblem(await app.inject({ method: 'GET', url: '/sitemap.xml?page=0' }), 400, 'VALIDATION_FAILED');
  });

  it('may be kept by shared caches for an hour, since the address is PUBLIC_URL', async () => {
    for (const url of ['/sitemap.xml', '/robots.txt']) {
      const res = await app.inject({ method: 'GET', url, headers: { host: 'evil.example' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.body).toContain('https://catalogue.example.org/');
      expect(res.body).not.toContain('evil.example');
    }
  });

  it("without PUBLIC_URL, is made from the request's host behind a trusted proxy and kept private", async () => {
    const ctx = { ...env.ctx, config: { ...env.ctx.config, publicUrl: undefined, trustProxy: true } };
    const hostApp = await buildApp({
      ctx: { ...ctx, logger: pino({ level: 'silent' }) },
      database: env.database,
      version: 'test',
      webRoot: root,
    });
    try {
      const headers = { host: 'internal:3000', 'x-forwarded-host': 'forged.example', 'x-forwarded-proto': 'https' };
      const kept = {
        '/sitemap.xml': 'max-age=3600',
        '/robots.txt': 'max-age=3600',
        [`/works/${wizardWork}`]: 'no-cache',
      };
      for (const [url, lifetime] of Object.entries(kept)) {
        const res = await hostApp.inject({ method: 'GET', url, headers: { ...headers, accept: 'text/html' } });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).toContain('https://forged.example/');
        expect(res.headers['cache-control'], url).toBe(`private, ${lifetime}`);
        expect(String(res.headers.vary).toLowerCase().split(/,\s*/)).toEqual(
          expect.arrayContaining(['host', 'x-forwarded-host', 'x-forwarded-proto']),
        );
      }
    } finally {
      await hostApp.close();
    }
  });

  it('points robots to the sitemap and keeps them out of accounts and the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toContain('Sitemap: https://catalogue.example.org/sitemap.xml\n');
    expect(res.body).toContain('Disallow: /api/\n');
    expect(res.body).toContain('Allow: /api/v1/catalog/\n');
    expect(res.body).toContain('Disallow: /account\n');
  });
});

describe('the address of a work merged into another', () => {
  it('answers 301 to the work it joined, query string kept, and is not in the sitemap', async () => {
    await load(north.id, [
      [
        '001 N-TOMBS',
        '008 850101s1971    cau           000 1 eng d',
        '100 1_$aLe Guin, Ursula K.',
        '245 14$aThe tombs of Atuan /$cUrsula K. Le Guin.',
      ],
    ]);
    const tombs = await workOf('-/N-TOMBS');
    expect(tombs).not.toBe(wizardWork);
    const admin = await buildPerson(env.ctx, { platformAdmin: true });
    await mergeWorks(env.ctx, principalOf(admin.id, true), tombs, wizardWork);

    for (const id of [tombs, tombs.toUpperCase()]) {
      const res = await page(`/works/${id}?lang=fr&from=bookmark`);
      expect(res.statusCode, id).toBe(301);
      expect(res.headers.location).toBe(`https://catalogue.example.org/works/${wizardWork}?lang=fr&from=bookmark`);
      expect(res.headers['cache-control']).toBe('public, no-cache');
    }
    expect((await page(`/works/${tombs}`)).headers.location).toBe(`https://catalogue.example.org/works/${wizardWork}`);
    expect((await page(`/works/${wizardWork}`)).statusCode).toBe(200);

    const sitemap = (await app.inject({ method: 'GET', url: '/sitemap.xml' })).body;
    expect(sitemap).toContain(`/works/${wizardWork}</loc>`);
    expect(sitemap).not.toContain(tombs);
  });
});
