import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  expectNoSeriousViolations,
  openHome,
  organizationId,
  searchCatalogue,
  signIn,
  text,
  useBrowser,
  waitForCatalogue,
} from './helpers.js';

// A real file from the shared test data, read in place: one good record among damaged ones.
const BAD_RECORDS = fileURLToPath(new URL('../../shared/data/marc/pymarc/bad_records.mrc', import.meta.url));
const LATIN_OR_CYRILLIC = ['eng', 'rus', 'spa', 'fre', 'por', 'ger'];

interface Work {
  id: string;
  title: string;
  languages: string[];
  libraryIds: string[];
  availableLibraryIds: string[];
}

async function api<T>(url: string): Promise<T> {
  const response = await fetch(`${baseUrl()}/api/v1${url}`);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function libraryName(id: string): Promise<string> {
  return (await api<{ names: Record<string, string> }>(`/organizations/${id}`)).names.en!;
}

/** A work held by at least two libraries, in a language written with spaces between words. */
async function workInTwoLibraries(): Promise<Work> {
  const page = await waitForCatalogue();
  const hit = page.items.find(
    (h) => h.libraryCount >= 2 && h.availableLibraryCount >= 1 && LATIN_OR_CYRILLIC.includes(h.languages[0] ?? ''),
  );
  if (!hit) throw new Error('No work held by two libraries among the first 50');
  return api<Work>(`/catalog/works/${hit.id}`);
}

const languageName = (code: string, locale = 'en') => {
  const tag = { ger: 'deu', fre: 'fra' }[code] ?? code;
  return new Intl.DisplayNames([locale], { type: 'language' }).of(tag)!;
};

describe('the public catalogue', () => {
  const browser = useBrowser();
  let work: Work;
  beforeAll(async () => {
    work = await workInTwoLibraries();
  }, 300_000);

  it('searches, narrows by a facet from the keyboard, opens a record and shows copies in two libraries', async () => {
    const { context, page } = await browser.newPage();
    await openHome(page);
    await page
      .getByRole('navigation', { name: text('en', 'common:nav.label') })
      .getByRole('link', { name: text('en', 'catalog:nav.search') })
      .click();
    await page.getByRole('heading', { level: 1, name: text('en', 'catalog:search.title') }).waitFor();

    await page.getByRole('searchbox', { name: text('en', 'catalog:search.query') }).fill(`"${work.title}"`);
    await page.getByRole('button', { name: text('en', 'catalog:search.submit'), exact: true }).click();
    await page.waitForURL((url) => url.searchParams.has('q'));
    const status = page.locator('p[role="status"].result-count');
    await status.filter({ hasText: /\d/ }).waitFor();
    await page.locator(`a[href="/works/${work.id}"]`).waitFor();

    // Library names come from the directory, not ids.
    const libraries = page.getByRole('group', { name: text('en', 'catalog:facets.library') });
    for (const id of work.libraryIds) await libraries.getByText(await libraryName(id), { exact: true }).waitFor();

    // Tick the work's language with the keyboard: the URL keeps it, the count is announced again.
    const language = page
      .getByRole('group', { name: text('en', 'catalog:facets.language') })
      .getByRole('checkbox', { name: new RegExp(`^${languageName(work.languages[0]!)} \\(`) });
    await language.focus();
    await page.keyboard.press('Space');
    await page.waitForURL((url) => url.searchParams.get('language') === work.languages[0]);
    await expect.poll(() => language.isChecked()).toBe(true);
    expect(await language.evaluate((el) => el === document.activeElement)).toBe(true);
    await status.filter({ hasText: /\d/ }).waitFor();
    expect(await status.textContent()).toMatch(/works? found/);

    // Open the record at its stable address.
    await page.locator(`a[href="/works/${work.id}"]`).click();
    await page.waitForURL(`**/works/${work.id}`);
    const heading = page.getByRole('heading', { level: 1, name: work.title });
    await heading.waitFor();
    expect(await page.title()).toContain(work.title);
    // The heading, which came once the work had loaded, has focus (as after a page load).
    await expect.poll(() => heading.evaluate((el) => el === document.activeElement)).toBe(true);

    const holdings = page.locator('section[aria-labelledby="work-holdings"]');
    const names = await Promise.all(work.libraryIds.map(libraryName));
    for (const name of names) {
      const section = holdings.getByRole('region', { name: new RegExp(name) });
      await section.waitFor();
      const rows = section.getByRole('table').locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      // The demo's copies are all on the shelf: the status reads as a person would say it.
      await rows.first().getByText(text('en', 'catalog:status.available'), { exact: true }).waitFor();
    }
    expect(names.length).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: '/tmp/athenaeum-work.png', fullPage: true });
    await context.close();
  });

  it('sends record pages with a title, a description and schema.org JSON-LD in the HTML itself', async () => {
    const response = await fetch(`${baseUrl()}/works/${work.id}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<link rel="canonical" href="${baseUrl()}/works/${work.id}" />`);
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const doc = JSON.parse(json) as { '@type': string; name: string; offers: Array<{ availability: string }> };
    expect(doc['@type']).toBe('Book');
    expect(doc.offers).toHaveLength(work.libraryIds.length);
    expect(doc.offers.map((o) => o.availability)).toContain('https://schema.org/InStock');
    const sitemap = await (await fetch(`${baseUrl()}/sitemap.xml`)).text();
    expect(sitemap).toContain(`${baseUrl()}/works/${work.id}</loc>`);
  });

  it('passes axe on the search page with its facets open and on a record page', async () => {
    const { context, page } = await browser.newPage();
    await page.goto(`/search?q=${encodeURIComponent(work.title.split(' ')[0]!)}`);
    await page.locator('p[role="status"].result-count').filter({ hasText: /\d/ }).waitFor();
    const toggle = page.getByRole('button', { name: text('en', 'catalog:facets.hide') });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // Every long facet list opened, and one result's editions.
    for (const more of await page.locator('.facet-more[aria-expanded="false"]').all()) await more.click();
    await page.locator('.editions summary').first().click();
    await expectNoSeriousViolations(page, 'search page, facets open');

    // With filters ticked (the decade range too) and sorted by date.
    await page.locator('.facet').nth(3).getByRole('checkbox').first().check();
    await page.waitForURL((url) => url.searchParams.has('yearFrom'));
    await page.locator('p[role="status"].result-count').filter({ hasText: /\d/ }).waitFor();
    await expectNoSeriousViolations(page, 'search page, decade ticked');

    await page.goto(`/works/${work.id}`);
    await page.getByRole('heading', { level: 1, name: work.title }).waitFor();
    await page.locator('section[aria-labelledby="work-holdings"] table').first().waitFor();
    await expectNoSeriousViolations(page, 'record page');

    await page.goto('/works/00000000-0000-4000-8000-000000000000');
    await page.getByRole('heading', { level: 1, name: text('en', 'catalog:record.notFoundTitle') }).waitFor();
    await expectNoSeriousViolations(page, 'record page of an unknown work');
    await context.close();
  });

  it('reads right to left in Arabic, facets and all', async () => {
    const { context, page } = await browser.newPage();
    await page.addInitScript(() => localStorage.setItem('athenaeum.language', 'ar'));
    await page.goto(`/search?q=${encodeURIComponent(work.title.split(' ')[0]!)}`);
    await page.getByRole('heading', { level: 1, name: text('ar', 'catalog:search.title') }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('group', { name: text('ar', 'catalog:facets.language') }).waitFor();
    await page.locator('p[role="status"].result-count').filter({ hasText: /\S/ }).waitFor();
    // The facets column sits at the right, the results at its left.
    const facets = await page.locator('.catalog-facets').boundingBox();
    const results = await page.locator('.catalog-results').boundingBox();
    expect(facets!.x).toBeGreaterThan(results!.x);
    // Language names in Arabic, from Intl.
    await page
      .getByRole('group', { name: text('ar', 'catalog:facets.language') })
      .getByText(languageName(work.languages[0]!, 'ar'), { exact: false })
      .first()
      .waitFor();
    await page.screenshot({ path: '/tmp/athenaeum-search-ar.png', fullPage: true });
    await expectNoSeriousViolations(page, 'Arabic search page');
    await context.close();
  });
});

describe('catalogue import from the staff web app', () => {
  const browser = useBrowser();
  beforeAll(async () => {
    await waitForCatalogue();
  }, 300_000);

  it('a librarian uploads a MARC file and follows it to the final counts and the report', async () => {
    const { context, page } = await browser.newPage();
    const pt = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);
    await signIn(page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    const library = await organizationId('SPBIB');
    await page.goto(`/organizations/${library}`);
    await page.getByRole('link', { name: pt('catalog:imports.link') }).click();
    await page.getByRole('heading', { level: 1, name: pt('catalog:imports.title') }).waitFor();
    await expectNoSeriousViolations(page, 'imports page');

    // Submitting without a file says what is missing.
    await page.getByRole('button', { name: pt('catalog:imports.submit') }).click();
    await page.getByText(pt('catalog:imports.fileRequired')).waitFor();
    const file = page.getByLabel(pt('catalog:imports.file'));
    expect(await file.getAttribute('aria-invalid')).toBe('true');

    await file.setInputFiles(BAD_RECORDS);
    await page.getByRole('button', { name: pt('catalog:imports.submit') }).click();
    await page.waitForURL((url) => url.searchParams.has('import'));
    const progressTitle = page.getByRole('heading', {
      level: 2,
      name: pt('catalog:imports.progressTitle', { file: path.basename(BAD_RECORDS) }),
    });
    await progressTitle.waitFor();
    const bar = page.getByRole('progressbar', { name: pt('catalog:imports.progress') });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuetext')).toBeTruthy();

    // The job may wait behind the demo catalogue's; the page polls until it is done.
    await page.locator('.import-status-done').waitFor({ timeout: 240_000 });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('100');
    const importId = new URL(page.url()).searchParams.get('import')!;
    const run = (await (
      await page.request.get(`/api/v1/organizations/${library}/catalog-imports/${importId}`)
    ).json()) as {
      processed: number;
      added: number;
      updated: number;
      unchanged: number;
      rejected: number;
    };
    expect(run.rejected).toBeGreaterThan(0);
    expect(run.processed).toBe(run.added + run.updated + run.unchanged + run.rejected);

    const counts = page.locator('.import-progress .import-counts');
    for (const key of ['processed', 'added', 'updated', 'unchanged', 'rejected'] as const) {
      expect(
        await counts
          .locator('div')
          .filter({ hasText: pt(`catalog:imports.counts.${key}`) })
          .locator('dd')
          .textContent(),
      ).toBe(String(run[key]));
    }
    // The live region said it once, with the final counts.
    await page
      .getByRole('status')
      .filter({
        hasText: pt('catalog:imports.announce.done', {
          file: path.basename(BAD_RECORDS),
          added: run.added,
          updated: run.updated,
          unchanged: run.unchanged,
          rejected: run.rejected,
        }),
      })
      .waitFor();

    const plural = new Intl.PluralRules('pt').select(run.rejected);
    const report = page.getByRole('link', { name: pt(`catalog:imports.report_${plural}`, { count: run.rejected }) });
    const href = await report.getAttribute('href');
    expect(href).toBe(`/api/v1/organizations/${library}/catalog-imports/${importId}/report`);
    const tsv = await page.request.get(href!);
    expect(tsv.headers()['content-type']).toContain('text/tab-separated-values');
    const lines = (await tsv.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('position\treason');
    expect(lines).toHaveLength(run.rejected + 1);

    // The import is listed with its final status.
    const listed = page.getByRole('table').filter({ hasText: path.basename(BAD_RECORDS) });
    await listed.getByText(pt('catalog:imports.statuses.done')).first().waitFor();
    await page.screenshot({ path: '/tmp/athenaeum-imports.png', fullPage: true });
    await expectNoSeriousViolations(page, 'imports page with a finished import');

    // Its records are in the catalogue now.
    expect((await searchCatalogue('q=pragmatic+programmer')).total).toBeGreaterThan(0);

    // Another library's imports are not hers: no upload form, a reason instead.
    await page.goto(`/organizations/${await organizationId('NOVLIB')}/catalog-imports`);
    await page
      .getByRole('alert')
      .filter({ hasText: pt('errors:FORBIDDEN') })
      .waitFor();
    expect(await page.getByLabel(pt('catalog:imports.file')).count()).toBe(0);
    await context.close();
  }, 300_000);
});
