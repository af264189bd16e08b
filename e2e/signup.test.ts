import { describe, expect, it } from 'vitest';
import { baseUrl, openHome, PLATFORM_ADMIN, signIn, text, useBrowser } from './helpers.js';

describe('a new person', () => {
  const browser = useBrowser();

  it('signs up, confirms the address from the e-mail the admin finds in the outbox, and signs in', async () => {
    const email = `new.reader.${Date.now()}@example.org`;
    const password = 'a-long-enough-password';
    const person = await browser.newPage();
    const page = person.page;

    await openHome(page);
    await page.getByRole('link', { name: text('en', 'common:nav.signUp'), exact: true }).click();
    await page.getByRole('heading', { level: 1, name: text('en', 'auth:signUp.title') }).waitFor();
    await page.getByLabel(text('en', 'auth:fields.displayName')).fill('Nadia Reader');
    await page.getByLabel(text('en', 'auth:fields.email')).fill(email);
    await page.getByRole('textbox', { name: text('en', 'auth:fields.password'), exact: true }).fill(password);
    await page.getByRole('button', { name: text('en', 'auth:signUp.submit') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'auth:signUp.doneTitle') })
      .waitFor();

    // The platform administrator reads the outbox and opens the verification link.
    const admin = await browser.newPage();
    await signIn(admin.page, PLATFORM_ADMIN);
    await admin.page.getByRole('link', { name: text('en', 'common:nav.outbox') }).click();
    await admin.page.getByLabel(text('en', 'admin:outbox.recipient')).fill(email);
    await admin.page.getByRole('button', { name: text('en', 'admin:outbox.filter'), exact: true }).click();
    await admin.page.waitForURL(/to=/);
    const subject = admin.page.getByRole('row').filter({ hasText: email }).getByRole('link');
    await subject.click();
    await admin.page.getByRole('heading', { level: 2, name: 'Confirm your e-mail address for Athenaeum' }).waitFor();
    const link = admin.page.getByRole('link', { name: /\/verify-email\?token=/ });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^http:\/\/localhost:\d+\/verify-email\?token=/);
    await link.click();
    await admin.page.waitForURL(/\/verify-email\?token=/);
    await admin.page.getByText(text('en', 'auth:verify.done')).waitFor();
    await admin.context.close();

    // The new person signs in and sees the address confirmed.
    await signIn(page, email, password);
    await page.getByRole('link', { name: text('en', 'common:nav.account') }).click();
    await page.getByRole('heading', { level: 1, name: text('en', 'account:title') }).waitFor();
    await page.getByText(text('en', 'account:profile.verified'), { exact: true }).waitFor();
    expect(await page.getByText('Nadia Reader').first().isVisible()).toBe(true);
    await person.context.close();
  });

  it('resets a forgotten password with the e-mailed link', async () => {
    // Her own new account: the demo people's passwords stay as the other journeys expect them.
    const email = `layla.haddad.${Date.now()}@example.org`;
    const signUp = await fetch(`${baseUrl()}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'her-first-password', displayName: 'Layla Haddad', locale: 'ar' }),
    });
    expect(signUp.status).toBe(201);
    const person = await browser.newPage();
    const page = person.page;
    await page.goto('/sign-in');
    await page.getByRole('link', { name: text('en', 'auth:signIn.forgot') }).click();
    await page.getByLabel(text('en', 'auth:fields.email')).fill(email);
    await page.getByRole('button', { name: text('en', 'auth:forgot.submit') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'auth:forgot.done', { email }) })
      .waitFor();

    const admin = await browser.newPage();
    await signIn(admin.page, PLATFORM_ADMIN);
    await admin.page.goto(`/admin/emails?to=${encodeURIComponent(email)}`);
    await admin.page.getByRole('row').filter({ hasText: email }).first().getByRole('link').click();
    const link = await admin.page.getByRole('link', { name: /\/reset-password\?token=/ }).getAttribute('href');
    await admin.context.close();
    expect(link).toBeTruthy();

    // Layla Haddad's e-mail is in Arabic, her language; the page opens in this browser's language.
    await page.goto(new URL(link!).pathname + new URL(link!).search);
    const password = 'a-brand-new-password';
    await page.getByRole('textbox', { name: text('en', 'auth:reset.newPassword'), exact: true }).fill(password);
    await page.getByRole('textbox', { name: text('en', 'auth:reset.confirmPassword') }).fill('something-else-entirely');
    await page.getByRole('button', { name: text('en', 'auth:reset.submit') }).click();
    await page.getByText(text('en', 'auth:reset.mismatch')).waitFor();
    await page.getByRole('textbox', { name: text('en', 'auth:reset.confirmPassword') }).fill(password);
    await page.getByRole('button', { name: text('en', 'auth:reset.submit') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: text('en', 'auth:reset.done') })
      .waitFor();

    await signIn(page, email, password, 'en', 'ar');
    await person.context.close();
  });
});
