import { describe, expect, it } from 'vitest';
import { openHome, selectButton, text, useBrowser } from './helpers.js';

describe('the interface in Arabic', () => {
  const browser = useBrowser();

  it('turns right-to-left, speaks Arabic and remembers the choice', async () => {
    const { context, page } = await browser.newPage();
    await openHome(page);
    await page.getByRole('heading', { level: 1, name: text('en', 'common:home.title') }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');

    await selectButton(page, text('en', 'common:language.label')).click();
    await page.getByRole('option', { name: 'العربية' }).click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('heading', { level: 1, name: text('ar', 'common:home.title') }).waitFor();
    await page
      .getByRole('navigation', { name: text('ar', 'common:nav.label') })
      .getByRole('link', { name: text('ar', 'common:nav.directory') })
      .waitFor();
    await page.screenshot({ path: '/tmp/athenaeum-home-ar.png', fullPage: true });

    // The header is mirrored: the site name sits at the right edge.
    const brand = await page.locator('.brand').boundingBox();
    expect(brand && brand.x > 640).toBe(true);

    // The choice survives a reload.
    await openHome(page);
    await page.getByRole('heading', { level: 1, name: text('ar', 'common:home.title') }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

    await page.goto('/organizations?country=BR');
    await page.getByRole('heading', { level: 1, name: text('ar', 'org:directory.title') }).waitFor();
    await page.locator('.result-list').waitFor();
    await page.screenshot({ path: '/tmp/athenaeum-directory-ar.png', fullPage: true });
    await context.close();
  });
});
