import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { organizationId, PLATFORM_ADMIN, seriousViolations, signIn, text, useBrowser } from './helpers.js';

async function settled(page: Page) {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'));
}

async function check(page: Page, label: string, { popupOpen = false } = {}) {
  // An open dialog hides the rest of the page from assistive technology (and from role queries).
  if (!popupOpen)
    await settled(page).catch((error: unknown) => {
      throw new Error(`${label} did not finish loading: ${String(error)}`);
    });
  const violations = await seriousViolations(page);
  if (violations.length > 0) console.error(`axe on ${label}:\n${JSON.stringify(violations, null, 2)}`);
  expect(violations, label).toEqual([]);
}

describe('axe finds no serious or critical violation', () => {
  const browser = useBrowser();

  it('on the public pages', async () => {
    const { context, page } = await browser.newPage();
    const novlib = await organizationId('NOVLIB');
    const branch = await organizationId('NOVLIB-CENTRAL');
    // `/index.html` is the home page (see openHome in helpers.ts for why not `/`).
    for (const path of [
      '/index.html',
      '/sign-in',
      '/sign-up',
      '/forgot-password',
      '/reset-password?token=some-token-from-an-email',
      '/reset-password',
      '/verify-email?token=not-a-real-token-12345',
      '/organizations',
      '/organizations?kind=library&country=RU',
      '/organizations?q=nothing-matches-this',
      `/organizations/${novlib}`,
      `/organizations/${branch}`,
      '/no-such-page',
    ]) {
      await page.goto(path);
      await check(page, path);
    }

    // Forms showing their errors.
    await page.goto('/sign-up');
    await settled(page);
    await page.getByRole('button', { name: text('en', 'auth:signUp.submit') }).click();
    await page.getByText(text('en', 'common:form.requiredError')).first().waitFor();
    await check(page, '/sign-up with errors');

    // Not checked with the country list open: React Aria then aria-hides the rest of the page
    // while focus stays in the combobox (Tab closes the list), which axe reports as
    // aria-hidden-focus (adobe/react-spectrum#4937).
    await context.close();
  });

  it('in Arabic', async () => {
    const { context, page } = await browser.newPage();
    await page.addInitScript(() => localStorage.setItem('athenaeum.language', 'ar'));
    for (const path of ['/index.html', '/sign-in', '/organizations']) {
      await page.goto(path);
      await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      await check(page, `${path} (ar)`);
    }
    await context.close();
  });

  it('on the signed-in and admin pages', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, PLATFORM_ADMIN);
    const novlib = await organizationId('NOVLIB');
    for (const path of ['/account', `/organizations/${novlib}/members`, '/admin/emails', '/sign-out']) {
      await page.goto(path);
      await check(page, path);
    }

    // An open message in the outbox.
    await page.goto('/admin/emails');
    await settled(page);
    const first = page.locator('tbody tr').first().getByRole('link');
    if (await first.count()) {
      await first.click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await check(page, '/admin/emails with a message open');
    }

    // A confirmation dialog.
    await page.goto(`/organizations/${novlib}/members`);
    await settled(page);
    await page
      .getByRole('button', { name: text('en', 'org:members.revoke') })
      .first()
      .click();
    await page.getByRole('alertdialog').waitFor();
    await check(page, 'the revoke dialog', { popupOpen: true });
    await page.keyboard.press('Escape');
    await context.close();
  });
});
