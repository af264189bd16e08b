import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, LIBRARY_ADMIN, organizationId, selectButton, signIn, text, useBrowser } from './helpers.js';

describe('a library administrator', () => {
  const browser = useBrowser();

  it('grants a role, revokes it after confirming, and sees both in the audit log', async () => {
    const { context, page } = await browser.newPage();
    const ru = (key: string, values?: Record<string, string | number>) => text('ru', key, values);
    const novlib = await organizationId('NOVLIB');

    // Opening the admin page signed out leads to sign-in, and back to the page afterwards.
    await page.goto(`/organizations/${novlib}/members`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByText(text('en', 'auth:signIn.needed')).waitFor();
    await page.getByLabel(text('en', 'auth:fields.email')).fill(LIBRARY_ADMIN);
    await page.getByRole('textbox', { name: text('en', 'auth:fields.password'), exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: text('en', 'auth:signIn.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/organizations/${novlib}/members`);
    // Анна Смирнова's saved language is Russian, so the interface now answers in Russian.
    await page.locator('html[lang="ru"]').waitFor({ state: 'attached' });
    await page.getByRole('heading', { level: 2, name: ru('org:members.listTitle') }).waitFor();

    // Grant: staff to Ana Lima.
    await page.getByLabel(ru('org:members.email')).fill('patron2@demo.athenaeum.org');
    await selectButton(page, ru('org:members.role')).click();
    const roleOptions = await page.getByRole('option').allInnerTexts();
    expect(roleOptions.map((o) => o.replace('✓', '').trim())).toEqual(
      ['patron', 'staff', 'admin'].map((r) => ru(`common:roles.${r}`)),
    );
    await page.getByRole('option', { name: ru('common:roles.staff') }).click();
    await page.getByRole('button', { name: ru('org:members.grant'), exact: true }).click();
    const staff = ru('common:roles.staff');
    await page
      .getByRole('status')
      .filter({ hasText: ru('org:members.granted', { who: 'Ana Lima', role: staff }) })
      .waitFor();
    const row = page
      .getByRole('table', { name: ru('org:members.listTitle') })
      .getByRole('row')
      .filter({ hasText: 'patron2@demo.athenaeum.org' });
    await row.waitFor();
    expect(await row.innerText()).toContain(staff);

    // Granting the same role twice is refused with a message.
    await page.getByLabel(ru('org:members.email')).fill('patron2@demo.athenaeum.org');
    await selectButton(page, ru('org:members.role')).click();
    await page.getByRole('option', { name: staff }).click();
    await page.getByRole('button', { name: ru('org:members.grant'), exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: ru('errors:ACCOUNTS_ROLE_EXISTS') })
      .waitFor();

    // Revoke, cancelling first, then confirming.
    const revoke = row.getByRole('button', { name: ru('org:members.revokeLabel', { role: staff, who: 'Ana Lima' }) });
    await revoke.click();
    const dialog = page.getByRole('alertdialog', { name: ru('org:members.revokeTitle') });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: ru('common:action.cancel') }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    await revoke.click();
    await dialog.getByRole('button', { name: ru('org:members.revoke'), exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('status')
      .filter({ hasText: ru('org:members.revoked', { who: 'Ana Lima', role: staff }) })
      .waitFor();
    await row.waitFor({ state: 'detached' });
    // The revoke button went with the row; focus lands on the list's heading, not on the page body.
    await page.waitForFunction(() => document.activeElement?.id === 'members-title');

    // Both appear in the audit log, newest first.
    const audit = page.getByRole('table', { name: ru('org:audit.title') });
    await audit.getByText(ru('org:audit.roleGranted', { role: staff, who: 'patron2@demo.athenaeum.org' })).waitFor();
    const entries = await audit.locator('tbody tr').allInnerTexts();
    const revokedAt = entries.findIndex(
      (e) =>
        e.includes(ru('org:audit.roleRevokedNoEmail', { role: staff })) ||
        e.includes(ru('org:audit.roleRevoked', { role: staff, who: 'patron2@demo.athenaeum.org' })),
    );
    const grantedAt = entries.findIndex((e) =>
      e.includes(ru('org:audit.roleGranted', { role: staff, who: 'patron2@demo.athenaeum.org' })),
    );
    expect(revokedAt).toBeGreaterThanOrEqual(0);
    expect(grantedAt).toBeGreaterThan(revokedAt);
    expect(entries[grantedAt]).toContain('Анна Смирнова');
    await context.close();
  });

  it('cannot manage a library that is not theirs', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, LIBRARY_ADMIN, undefined, 'en', 'ru');
    const kazlib = await organizationId('KAZLIB');
    await page.goto(`/organizations/${kazlib}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: text('ru', 'org:page.manage') }).count()).toBe(0);
    await page.goto(`/organizations/${kazlib}/members`);
    await page
      .getByRole('alert')
      .filter({ hasText: text('ru', 'org:members.forbidden') })
      .waitFor();
    await context.close();
  });
});
