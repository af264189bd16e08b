// A guardian and an inter-library loan online. Ivan Petrov (patron1, in Russian) opens "My library"
// by keyboard, reaches his son Misha's page and renews one of Misha's loans; Layla Haddad (patron3,
// in Arabic, right to left) asks Novgorod to lend a title her Kazan library does not hold, follows
// the request on "My inter-library loans" and cancels it. Demo data: holds.seed.ts (seedDemoPeople).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, baseUrl, expectNoSeriousViolations, selectButton, signIn, text, useBrowser } from './helpers.js';

const GUARDIAN = 'patron1@demo.athenaeum.org';
const PATRON = 'patron3@demo.athenaeum.org';
const LIBRARIAN = 'librarian.novgorod@demo.athenaeum.org';

/** What has the keyboard focus: its tag, text and accessible label. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', label: el?.getAttribute('aria-label') ?? '' };
  });
}

async function pressUntil(
  page: Page,
  key: string,
  matches: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  limit = 60,
) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (matches(await focused(page))) return;
  }
  throw new Error(`${key} never reached the element (last focus: ${JSON.stringify(await focused(page))})`);
}

async function workId(title: string): Promise<string> {
  const found = (await (await fetch(`${baseUrl()}/api/v1/catalog/search?q=${encodeURIComponent(title)}`)).json()) as {
    items: Array<{ id: string; title: string }>;
  };
  const work = found.items.find((w) => w.title === title);
  if (!work) throw new Error(`no work ${title}`);
  return work.id;
}

describe('guardians and inter-library loans online', () => {
  const browser = useBrowser();

  it("lets a guardian reach their child's loans from the account menu and renew one, by keyboard", async () => {
    // Another journey may have changed Ivan's language: this one speaks Russian, then puts it back.
    const guardian = await apiAs(GUARDIAN);
    const before = guardian.person.locale;
    await guardian.call('PATCH', '/me', { locale: 'ru' });
    const ru = (key: string, values: Record<string, string | number> = {}) => text('ru', key, values);
    try {
      const { context, page } = await browser.newPage();
      await signIn(page, GUARDIAN, undefined, 'en', 'ru');
      await page.goto('/search');
      await page.getByRole('heading', { level: 1 }).waitFor();
      // A patron sees no staff menu.
      expect(await page.getByRole('button', { name: ru('circulation:family.nav.staff') }).count()).toBe(0);

      await pressUntil(page, 'Tab', (f) => f.tag === 'BUTTON' && f.text.startsWith(ru('circulation:family.nav.menu')));
      await page.keyboard.press('Enter');
      await page.getByRole('menu').waitFor();
      await pressUntil(page, 'ArrowDown', (f) => f.text === ru('circulation:family.children.nav'), 6);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: ru('circulation:family.children.title') }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Misha Petrov' }).waitFor();
      await page.getByRole('heading', { level: 4, name: 'Евгений Онегин' }).waitFor();
      await expectNoSeriousViolations(page, 'my children');

      const renew = ru('circulation:family.children.renew', { title: 'Евгений Онегин' });
      await pressUntil(page, 'Tab', (f) => f.tag === 'BUTTON' && f.label === renew);
      await page.keyboard.press('Enter');
      const status = page.getByRole('status').filter({ hasText: /\S/ }).first();
      await expect.poll(() => status.textContent()).toContain(ru('circulation:holds.renewed').split('{{')[0]!);
      await page.getByText(ru('circulation:family.children.renewals', { used: 1, allowed: 3 })).waitFor();
      await context.close();
    } finally {
      await guardian.call('PATCH', '/me', { locale: before });
    }

    // Staff reach their library's pages from the navigation.
    const librarian = await browser.newPage();
    await signIn(librarian.page, LIBRARIAN, undefined, 'en', 'ru');
    await librarian.page.getByRole('button', { name: ru('circulation:family.nav.staff') }).click();
    await librarian.page.getByRole('menuitem', { name: ru('circulation:ill.link') }).click();
    await librarian.page.getByRole('heading', { level: 2, name: ru('circulation:family.ill.staffTitle') }).waitFor();
    await expectNoSeriousViolations(librarian.page, 'inter-library loans with the request form');
    await librarian.context.close();
  }, 180_000);

  it('lets a patron ask another library for a title, follow the request and cancel it, right to left', async () => {
    const ar = (key: string, values: Record<string, string | number> = {}) => text('ar', key, values);
    const title = 'Вишнёвый сад';
    const work = await workId(title);
    const { context, page } = await browser.newPage();
    await signIn(page, PATRON, undefined, 'en', 'ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.goto(`/works/${work}`);
    await page.getByRole('button', { name: ar('circulation:family.ill.request') }).click();
    await selectButton(page, ar('circulation:family.ill.lender')).waitFor();
    // The form takes focus as it opens.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label')))
      .toBe(ar('circulation:family.ill.requestTitle'));
    await page.getByRole('textbox', { name: ar('circulation:family.ill.note') }).fill('للقراءة في الصيف');
    await expectNoSeriousViolations(page, 'work page with the inter-library loan form');
    await page.getByRole('button', { name: ar('circulation:family.ill.submit') }).click();
    const status = page.getByRole('status').filter({ hasText: ar('circulation:family.ill.requested').split('{{')[0]! });
    await status.waitFor();
    await status.getByRole('link', { name: ar('circulation:ill.mine') }).click();
    await page.getByRole('heading', { level: 1, name: ar('circulation:ill.mine') }).waitFor();
    const mine = page.getByRole('article').filter({ has: page.getByRole('heading', { name: title }) });
    await mine.getByText(ar('circulation:ill.status.requested'), { exact: true }).waitFor();
    // The demo request (from seedDemoPeople) is on its way.
    await page.getByText(ar('circulation:ill.status.shipped'), { exact: true }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await expectNoSeriousViolations(page, 'my inter-library loans');

    // Leave the network as it was: cancel the request (allowed until the lender approves).
    await page.getByRole('button', { name: ar('circulation:family.ill.cancelTitle', { title }) }).click();
    // It is asked first; keeping the request changes nothing, and focus returns to the button.
    const dialog = page.getByRole('alertdialog', { name: ar('circulation:family.ill.cancelConfirm.title', { title }) });
    await dialog.getByRole('button', { name: ar('circulation:family.ill.cancelConfirm.keep'), exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      ar('circulation:family.ill.cancelTitle', { title }),
    );
    await page.getByRole('button', { name: ar('circulation:family.ill.cancelTitle', { title }) }).click();
    await dialog.getByRole('button', { name: ar('circulation:family.ill.cancelConfirm.confirm'), exact: true }).click();
    // Shown as cancelled, or already gone from her list: once the cancellation's notice is sent, a
    // patron who keeps no reading history is forgotten by the request (the job may beat the refetch).
    const cancelled = mine.getByText(ar('circulation:ill.status.cancelled'), { exact: true });
    await expect
      .poll(async () => (await mine.count()) === 0 || (await cancelled.count()) > 0, { timeout: 15_000 })
      .toBe(true);
    // Focus on the request's heading, or the page's when the request has gone.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toMatch(/^H[13]$/);
    const patron = await apiAs(PATRON);
    const requests = await patron.call<Array<{ title: string; status: string }>>('GET', '/me/ill-requests');
    // Nothing of it is still open.
    expect(requests.filter((r) => r.title === title && r.status !== 'cancelled')).toEqual([]);
    await context.close();
  }, 180_000);
});
