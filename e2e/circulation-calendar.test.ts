// A librarian in São Paulo edits the branch calendar in Portuguese: the branch's time zone is shown
// (the demo seeds America/Sao_Paulo), a zone that is not one is refused with a message tied to the
// field, and a closed day is added and removed again (the demo calendar is left as it was).
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, signIn, text, useBrowser } from './helpers.js';

const pt = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);

describe('the branch calendar', () => {
  const browser = useBrowser();

  it('shows the branch time zone, refuses one that is not, and saves hours and closed days', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    // Reached from the staff menu.
    await page.getByRole('button', { name: pt('circulation:family.nav.staff') }).click();
    await page.getByRole('menuitem', { name: pt('calendar:title') }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(pt('calendar:title')) }).waitFor();
    // (Loaded afresh: the menu's announcement of the chosen item refers to the closed menu for a while.)
    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(pt('calendar:title')) }).waitFor();
    const zone = page.getByRole('textbox', { name: pt('calendar:zone') });
    await expect.poll(() => zone.inputValue()).toBe('America/Sao_Paulo');
    await expectNoSeriousViolations(page, 'calendar');

    // A zone that is not one: the field says why, nothing is sent.
    await zone.fill('America/Nowhere');
    await page.getByRole('button', { name: pt('calendar:save') }).click();
    await page.getByText(pt('calendar:zoneInvalid', { zone: 'America/Nowhere' })).waitFor();
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousViolations(page, 'calendar with an error');

    // Back to the real zone; a closed day added and saved, then removed and saved again.
    await zone.fill('America/Sao_Paulo');
    await page.getByLabel(pt('calendar:closedDate')).fill('2027-02-09');
    await page.getByRole('textbox', { name: pt('calendar:reason') }).fill('Carnaval');
    await page.getByRole('button', { name: pt('calendar:addClosed') }).click();
    await page.getByText('Carnaval', { exact: false }).waitFor();
    const status = page.getByRole('status').filter({ hasText: /\S/ }).first();
    await page.getByRole('button', { name: pt('calendar:save') }).click();
    await expect.poll(() => status.textContent()).toBe(pt('calendar:saved', { zone: 'America/Sao_Paulo' }));

    await page.reload();
    const carnival = page.getByRole('listitem').filter({ hasText: 'Carnaval' });
    await carnival.waitFor();
    await carnival.getByRole('button').click();
    await page.getByRole('button', { name: pt('calendar:save') }).click();
    await expect.poll(() => status.textContent()).toBe(pt('calendar:saved', { zone: 'America/Sao_Paulo' }));
    expect(await page.getByRole('listitem').filter({ hasText: 'Carnaval' }).count()).toBe(0);
    // The seeded closed days are still there.
    expect(
      await page
        .getByRole('listitem')
        .filter({ has: page.locator('time[datetime="2026-12-25"]') })
        .count(),
    ).toBe(1);
    await context.close();
  });
});
