import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  expectNoSeriousViolations,
  organizationId,
  selectButton,
  signIn,
  text,
  useBrowser,
  waitForCatalogue,
} from './helpers.js';

const pt = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);

describe('interoperability: harvest sources, copy cataloguing, edition links', () => {
  const browser = useBrowser();
  beforeAll(async () => {
    await waitForCatalogue();
  }, 300_000);

  it('a librarian adds a harvest source at this server’s /oai, harvests it now and sees its status', async () => {
    const { context, page } = await browser.newPage();
    // The first page of the run may wait for a server still busy loading the demo catalogue.
    page.setDefaultTimeout(60_000);
    await signIn(page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    page.setDefaultTimeout(15_000);
    const library = await organizationId('SPBIB');
    await page.goto(`/organizations/${library}`);
    await page.getByRole('link', { name: pt('interop:links.harvest') }).click();
    await page.getByRole('heading', { level: 1, name: pt('interop:harvest.title') }).waitFor();
    await page.getByText(pt('interop:harvest.empty')).waitFor();

    // Submitting an empty form says what is missing; a bad address is explained.
    await page.getByRole('button', { name: pt('interop:harvest.create') }).click();
    await page.getByText(pt('interop:harvest.errors.nameRequired')).waitFor();
    await page.getByText(pt('interop:harvest.errors.urlRequired')).waitFor();
    const url = page.getByRole('textbox', { name: pt('interop:harvest.baseUrl') });
    await url.fill('ftp://example.org/oai');
    await page.getByText(pt('interop:harvest.errors.urlInvalid')).waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    // The demo catalogue is loaded by a background job; the set must offer records to harvesters
    // (rows still being written are held back by the provider) before the harvest proves anything.
    await expect
      .poll(
        async () =>
          (
            await fetch(`${baseUrl()}/oai?verb=ListIdentifiers&metadataPrefix=marc21&set=library:RECBIB`).then((r) =>
              r.text(),
            )
          ).includes('<header'),
        { timeout: 240_000, interval: 1_000 },
      )
      .toBe(true);
    await page.getByRole('textbox', { name: pt('interop:harvest.name') }).fill('Recife');
    await url.fill(`${baseUrl()}/oai`);
    await page.getByRole('textbox', { name: pt('interop:harvest.set') }).fill('library:RECBIB');
    await selectButton(page, pt('interop:harvest.schedule')).click();
    await page.getByRole('option', { name: pt('interop:harvest.schedules.daily') }).click();
    await page.getByRole('textbox', { name: pt('interop:harvest.at') }).fill('03:30');
    await page.getByRole('button', { name: pt('interop:harvest.create') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: pt('interop:harvest.created', { name: 'Recife' }) })
      .waitFor();

    const row = page.getByRole('row').filter({ hasText: 'Recife' });
    await row.getByText(pt('interop:harvest.scheduleText.daily', { at: '03:30' })).waitFor();
    await row.getByText(pt('interop:harvest.never')).waitFor();
    await expectNoSeriousViolations(page, 'harvest sources page');

    await row.getByRole('button', { name: pt('interop:harvest.harvestNow') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: pt('interop:harvest.queued', { name: 'Recife' }) })
      .waitFor();
    // The job queue runs it; the page polls and shows the finished run. Wait for the run to have
    // finished by the API (the row is idle before the run starts too, and has counts while it runs).
    type Source = {
      name: string;
      status: string;
      lastRunFinishedAt: string | null;
      lastRun: { records: number; added: number };
      lastError: string | null;
    };
    const recifeNow = async () =>
      (
        (await (await page.request.get(`/api/v1/organizations/${library}/harvest-sources`)).json()) as {
          items: Source[];
        }
      ).items.find((s) => s.name === 'Recife')!;
    await expect
      .poll(
        async () => {
          const source = await recifeNow();
          return source.lastRunFinishedAt !== null && source.status !== 'running' && source.status !== 'queued';
        },
        { timeout: 180_000, interval: 1_000 },
      )
      .toBe(true);
    const recife = await recifeNow();
    expect(recife.lastError).toBeNull();
    expect(recife.lastRun.records).toBeGreaterThan(0);
    expect(recife.lastRun.added).toBe(recife.lastRun.records);
    await row.locator('.harvest-status-idle').waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getByText(pt('interop:harvest.never')).count(), { timeout: 30_000 }).toBe(0);
    await row
      .locator('.harvest-counts')
      .filter({ hasText: String(recife.lastRun.added) })
      .waitFor();
    await expectNoSeriousViolations(page, 'harvest sources page after a run');
    await context.close();
  }, 300_000);

  it('a librarian searches a copy-cataloguing target, views a record, imports it, and sees remote errors', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    const library = await organizationId('SPBIB');
    const { items } = await waitForCatalogue();
    const title = items[0]!.title;
    await page.goto(`/organizations/${library}`);
    await page.getByRole('link', { name: pt('interop:links.copy') }).click();
    await page.getByRole('heading', { level: 1, name: pt('interop:copy.title') }).waitFor();
    await page.getByText(pt('interop:copy.targetsEmpty')).waitFor();

    const addTarget = async (name: string, address: string) => {
      await page.getByRole('textbox', { name: pt('interop:copy.targetName') }).fill(name);
      await page.getByRole('textbox', { name: pt('interop:copy.targetUrl') }).fill(address);
      await page.getByRole('button', { name: pt('interop:copy.saveTarget') }).click();
      await page
        .getByRole('status')
        .filter({ hasText: pt('interop:copy.targetAdded', { name }) })
        .waitFor();
    };
    await addTarget('Athenaeum', `${baseUrl()}/sru`);

    await page.getByRole('textbox', { name: pt('interop:copy.query') }).fill(title);
    await page.getByRole('button', { name: pt('interop:copy.searchButton') }).click();
    const results = page.getByRole('table', { name: pt('interop:copy.results') });
    await results.waitFor();
    const first = results.getByRole('row').nth(1);
    await first.getByRole('rowheader').waitFor();
    const found = (await first.getByRole('rowheader').textContent())!;
    await first.getByRole('button', { name: pt('interop:copy.view') }).click();
    await page.getByLabel(pt('interop:copy.recordOf', { title: found })).waitFor();
    expect(await page.getByLabel(pt('interop:copy.recordOf', { title: found })).textContent()).toMatch(/^LDR /);
    await expectNoSeriousViolations(page, 'copy cataloguing with results');

    await first.getByRole('button', { name: pt('interop:copy.import') }).click();
    const outcomes = ['added', 'updated', 'unchanged'].map((o) => pt(`interop:copy.imported.${o}`, { title: found }));
    await page
      .getByRole('status')
      .filter({ hasText: new RegExp(outcomes.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) })
      .waitFor();

    // A remote that does not speak SRU: the message says so, with the server's details.
    await addTarget('Not SRU', `${baseUrl()}/api/health`);
    await selectButton(page, pt('interop:copy.target')).click();
    await page.getByRole('option', { name: 'Not SRU' }).click();
    await page.getByRole('button', { name: pt('interop:copy.searchButton') }).click();
    const alert = page.getByRole('alert').filter({ hasText: pt('interop:errors.INTEROP_REMOTE_BAD_RESPONSE') });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('/api/health');
    // React Aria announces pending buttons through a live log whose entries name the button; the
    // import buttons of the replaced results are gone, so wait for those entries to be cleared.
    await page.waitForFunction(() => !document.querySelector('[role=log] [role=img]'), undefined, { timeout: 30_000 });
    await expectNoSeriousViolations(page, 'copy cataloguing with an error');
    await context.close();
  }, 180_000);

  it('a work page links each edition’s OAI-PMH record and MARCXML, Dublin Core and JSON-LD downloads', async () => {
    const { context, page } = await browser.newPage();
    const { items } = await waitForCatalogue();
    const work = items[0]!;
    await page.goto(`/works/${work.id}`);
    await page.getByRole('heading', { level: 2, name: text('en', 'interop:editions.title') }).waitFor();
    const section = page.locator('.edition-links');
    const oai = section.getByRole('link', { name: text('en', 'interop:editions.oai'), exact: false }).first();
    await oai.waitFor();
    const oaiHref = (await oai.getAttribute('href'))!;
    expect(oaiHref).toMatch(/^\/oai\?verb=GetRecord&identifier=oai%3A[^&]+%3A[0-9a-f-]{36}&metadataPrefix=marc21$/);
    const record = await page.request.get(oaiHref);
    expect(record.status()).toBe(200);
    expect(record.headers()['content-type']).toMatch(/^text\/xml/);
    const xml = await record.text();
    expect(xml).toContain('<GetRecord>');
    expect(xml).not.toContain('<error');

    const expected: Record<string, RegExp> = {
      marcxml: /^application\/marcxml\+xml/,
      dc: /^application\/xml/,
      jsonld: /^application\/ld\+json/,
    };
    for (const [format, type] of Object.entries(expected)) {
      const link = section.getByRole('link', { name: new RegExp(`^${text('en', `interop:editions.${format}`)} `) });
      const href = (await link.first().getAttribute('href'))!;
      expect(href).toMatch(new RegExp(`^/api/v1/catalog/records/[0-9a-f-]{36}\\?format=${format}$`));
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
      expect(response.headers()['content-type'], href).toMatch(type);
    }
    await expectNoSeriousViolations(page, 'work page with edition links');
    await context.close();
  }, 120_000);
});
