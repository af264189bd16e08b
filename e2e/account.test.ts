import { describe, expect, it } from 'vitest';
import { baseUrl, signIn, text, useBrowser } from './helpers.js';

const OFFICER = 'officer@demo.athenaeum.org';

describe('my account', () => {
  const browser = useBrowser();

  it('creates an API token from my roles, shows the secret once, and revokes it', async () => {
    const { context, page } = await browser.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    // Dmitri Volkov's saved language is Russian.
    await signIn(page, OFFICER, undefined, 'en', 'ru');
    const ru = (key: string, values?: Record<string, string | number>) => text('ru', key, values);
    await page.goto('/account');
    await page.getByRole('heading', { level: 2, name: ru('account:tokens.title') }).waitFor();

    await page.getByRole('textbox', { name: ru('account:tokens.name') }).fill('Catalogue sync');
    const scope = ru('account:tokens.scope', {
      role: ru('common:roles.officer'),
      organization: 'Российская библиотечная ассоциация',
    });
    // React Aria keeps the real checkbox visually hidden inside its label; a person clicks the label.
    await page.locator('label').filter({ hasText: scope }).click();
    expect(await page.getByRole('checkbox', { name: scope }).isChecked()).toBe(true);
    await page.getByRole('button', { name: ru('account:tokens.create'), exact: true }).click();

    const secretField = page.getByRole('textbox', { name: ru('account:tokens.secret') });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^ath_/);
    await page.getByRole('button', { name: ru('account:tokens.copy'), exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: ru('account:tokens.copied') })
      .waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The token works against the API, carrying the chosen role.
    const asToken = (path: string) =>
      fetch(`${baseUrl()}/api/v1${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asToken('/sessions/current')).status).toBe(200);

    // Once dismissed, the secret is gone for good; the list shows only its prefix.
    await page.getByRole('button', { name: ru('account:tokens.done') }).click();
    await secretField.waitFor({ state: 'detached' });
    const row = page
      .getByRole('table', { name: ru('account:tokens.caption') })
      .getByRole('row')
      .filter({ hasText: 'Catalogue sync' });
    await row.waitFor();
    expect(await row.innerText()).toContain(secret.slice(0, 10));
    expect(await row.innerText()).not.toContain(secret);
    expect(await row.innerText()).toContain(scope);

    await row.getByRole('button', { name: ru('account:tokens.revokeLabel', { name: 'Catalogue sync' }) }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: ru('account:tokens.revoke'), exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: ru('account:tokens.revoked', { name: 'Catalogue sync' }) })
      .waitFor();
    expect((await asToken('/sessions/current')).status).toBe(401);
    await context.close();
  });

  it('lists my sessions and signs out the others', async () => {
    const other = await browser.newPage();
    await signIn(other.page, 'librarian.novgorod@demo.athenaeum.org', undefined, 'en', 'ru');
    const { context, page } = await browser.newPage();
    await signIn(page, 'librarian.novgorod@demo.athenaeum.org', undefined, 'en', 'ru');
    const ru = (key: string, values?: Record<string, string | number>) => text('ru', key, values);
    await page.goto('/account');
    const sessions = page.getByRole('table', { name: ru('account:sessions.caption') });
    await sessions.waitFor();
    expect(await sessions.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await sessions.getByText(ru('account:sessions.current')).count()).toBe(1);
    // Other journeys on this server may have left sessions of hers too.
    const others = (await sessions.locator('tbody tr').count()) - 1;

    await page.getByRole('button', { name: ru('account:sessions.endOthers') }).click();
    // It asks first, naming how many sessions will end.
    const dialog = page.getByRole('alertdialog', { name: ru('account:sessions.endOthersTitle') });
    const form = new Intl.PluralRules('ru').select(others);
    await dialog.getByText(ru(`account:sessions.endOthersQuestion_${form}`, { count: others })).waitFor();
    await dialog.getByRole('button', { name: ru('account:sessions.endOthers') }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: ru(`account:sessions.endedOthers_${new Intl.PluralRules('ru').select(others)}`, { count: others }),
      })
      .waitFor();
    expect(await sessions.locator('tbody tr').count()).toBe(1);

    // The other browser is signed out: its next page load shows the sign-in link.
    await other.page.goto('/organizations');
    await other.page.getByRole('link', { name: ru('common:nav.signIn'), exact: true }).waitFor();
    await other.context.close();
    await context.close();
  });

  it('saves the display name and the preferred language, which the interface then speaks', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, 'patron1@demo.athenaeum.org', undefined, 'en', 'ru');
    const ru = (key: string) => text('ru', key);
    await page.goto('/account');
    await page.getByRole('textbox', { name: ru('account:profile.displayName') }).fill('Иван Петров');
    await page
      .getByRole('button', { name: ru('account:profile.language') })
      .and(page.locator('[aria-haspopup="listbox"]'))
      .click();
    await page.getByRole('option', { name: 'Français' }).click();
    await page.getByRole('button', { name: ru('account:profile.save') }).click();

    await page
      .getByRole('status')
      .filter({ hasText: text('fr', 'account:profile.saved') })
      .waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('link', { name: 'Иван Петров' }).waitFor();

    // A new browser signing in gets the saved language.
    const fresh = await browser.newPage();
    await signIn(fresh.page, 'patron1@demo.athenaeum.org', undefined, 'en', 'fr');
    await fresh.context.close();
    await context.close();
  });
});
