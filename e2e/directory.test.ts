import { describe, expect, it } from 'vitest';
import { openHome, selectButton, text, useBrowser } from './helpers.js';

describe('the directory', () => {
  const browser = useBrowser();

  it('searches by name and filters by kind and country, keeping the filters in the URL', async () => {
    const { context, page } = await browser.newPage();
    await openHome(page);
    await page
      .getByRole('navigation', { name: text('en', 'common:nav.label') })
      .getByRole('link', { name: text('en', 'common:nav.directory') })
      .click();
    await page.getByRole('heading', { level: 1, name: text('en', 'org:directory.title') }).waitFor();
    const results = page.locator('.result-list > li');
    await results.first().waitFor();
    expect(await results.count()).toBeGreaterThan(10);

    // Search by name.
    await page.getByRole('searchbox', { name: text('en', 'org:directory.query') }).fill('Kazan');
    await page.getByRole('button', { name: text('en', 'org:directory.search'), exact: true }).click();
    await page.waitForURL(/q=Kazan/);
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'org:directory.found_one', { count: 1 }) })
      .waitFor();
    expect(await results.allInnerTexts()).toEqual([expect.stringContaining('Kazan City Library')]);

    // Filter by kind and country (the search box cleared).
    await page.getByRole('searchbox', { name: text('en', 'org:directory.query') }).fill('');
    await selectButton(page, text('en', 'org:directory.kind')).click();
    await page.getByRole('option', { name: text('en', 'common:kinds.branch') }).click();
    await page.getByRole('combobox', { name: text('en', 'org:directory.country') }).fill('Braz');
    await page.getByRole('option', { name: 'Brazil' }).click();
    await page.getByRole('button', { name: text('en', 'org:directory.search'), exact: true }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('kind') === 'branch' &&
        url.searchParams.get('country') === 'BR' &&
        !url.searchParams.has('q'),
    );
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'org:directory.found_other', { count: 4 }) })
      .waitFor();
    const texts = await results.allInnerTexts();
    expect(texts).toHaveLength(4);
    for (const t of texts) {
      expect(t).toContain(text('en', 'common:kinds.branch'));
      expect(t).toContain('Brazil');
    }
    await page.screenshot({ path: '/tmp/athenaeum-directory-en.png', fullPage: true });

    // The URL alone restores the filters (a shared link, or the back button).
    await page.goto('/organizations?kind=library&country=RU');
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'org:directory.found_other', { count: 2 }) })
      .waitFor();
    expect(await selectButton(page, text('en', 'org:directory.kind')).innerText()).toContain(
      text('en', 'common:kinds.library'),
    );
    expect(await page.getByRole('combobox', { name: text('en', 'org:directory.country') }).inputValue()).toBe('Russia');

    // An organization page from the results.
    await page.getByRole('link', { name: 'Novgorod Regional Library' }).click();
    await page.getByRole('heading', { level: 1, name: 'Novgorod Regional Library' }).waitFor();
    await page.getByRole('link', { name: 'Central Lending' }).click();
    await page.getByRole('heading', { level: 2, name: text('en', 'org:page.openingHours') }).waitFor();
    expect(await page.locator('table.hours').innerText()).toContain('Saturday');
    await context.close();
  });
});
