import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, openHome, text, useBrowser } from './helpers.js';

/** What has the keyboard focus: its tag, accessible-ish name and input name. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', name: el?.getAttribute('name') ?? '' };
  });
}

async function tabUntil(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focused(page))) return;
  }
  throw new Error(`Tab never reached the element (last focus: ${JSON.stringify(await focused(page))})`);
}

describe('keyboard only', () => {
  const browser = useBrowser();

  it('signs in with Tab and Enter alone, starting from the skip link', async () => {
    const { context, page } = await browser.newPage();
    await openHome(page);
    await page.getByRole('heading', { level: 1 }).waitFor();

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'A', text: text('en', 'common:skipToContent') });

    await tabUntil(page, (f) => f.tag === 'A' && f.text === text('en', 'common:nav.signIn'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { level: 1, name: text('en', 'auth:signIn.title') }).waitFor();

    await tabUntil(page, (f) => f.tag === 'INPUT' && f.name === 'email');
    await page.keyboard.type('patron2@demo.athenaeum.org');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');

    // Ana Lima's saved language is Portuguese: the interface switches to it once she is in.
    await page.getByRole('button', { name: text('pt', 'common:nav.signOut'), exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('pt');
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });

  it('shows the form errors and moves focus to the first wrong field', async () => {
    const { context, page } = await browser.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: text('en', 'auth:signIn.title') }).waitFor();
    await tabUntil(page, (f) => f.tag === 'INPUT' && f.name === 'email');
    await page.keyboard.type('not-an-address');
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: text('en', 'common:form.errorSummary_other', { count: 2 }) })
      .waitFor();
    await page.getByText(text('en', 'common:form.emailError')).waitFor();
    expect((await focused(page)).name).toBe('email');
    expect(await page.getByLabel(text('en', 'auth:fields.email')).getAttribute('aria-invalid')).toBe('true');

    // Errors update as the person types, so the submit button does not move under the pointer.
    await page.getByLabel(text('en', 'auth:fields.email')).fill('patron1@demo.athenaeum.org');
    await page.getByText(text('en', 'common:form.emailError')).waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: text('en', 'auth:fields.password'), exact: true }).fill('wrong password');
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: text('en', 'errors:ACCOUNTS_INVALID_CREDENTIALS') })
      .waitFor();
    await context.close();
  });

  it('changes the language and filters the directory with the keyboard', async () => {
    const { context, page } = await browser.newPage();
    await page.goto('/organizations');
    await page.getByRole('heading', { level: 1, name: text('en', 'org:directory.title') }).waitFor();

    await tabUntil(page, (f) => f.tag === 'BUTTON' && f.text.includes('English'));
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await page.keyboard.press('ArrowDown'); // English → Русский, the next language in the list
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    await page.getByRole('heading', { level: 1, name: text('ru', 'org:directory.title') }).waitFor();
    expect((await focused(page)).text).toContain('Русский');

    // Kind: a select; country: type to filter, arrow to the option, Enter to pick it.
    // (Typing Cyrillic here inserts text without key events, so the select is driven by arrows.)
    await tabUntil(page, (f) => f.tag === 'BUTTON' && f.text.includes(text('ru', 'org:directory.allKinds')));
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    // All kinds → alliance → association → library.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect((await focused(page)).text).toContain(text('ru', 'common:kinds.library'));
    await page.keyboard.press('Tab');
    await page.keyboard.type('Брази');
    await page.getByRole('option', { name: 'Бразилия' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await tabUntil(page, (f) => f.tag === 'BUTTON' && f.text === text('ru', 'org:directory.search'));
    await page.keyboard.press('Enter');
    await page.waitForURL(
      (url) => url.searchParams.get('kind') === 'library' && url.searchParams.get('country') === 'BR',
    );
    await page
      .getByRole('status')
      .filter({ hasText: text('ru', 'org:directory.found_few', { count: 2 }) })
      .waitFor();
    await context.close();
  });
});
