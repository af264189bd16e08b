// A librarian at the circulation desk: check out by scanning a card and a barcode (the input
// keeps focus, Enter submits, results are announced), a refusal that says why, check-in into
// the library's 72-hour quarantine, and the item becoming available by itself once the test
// server's clock (TEST_CLOCK, see global-setup.ts) has moved past the quarantine.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseUrl, expectNoSeriousViolations, organizationId, signIn, text, useBrowser } from './helpers.js';

const ru = (key: string, values: Record<string, string | number> = {}) => text('ru', key, values);
// Demo data (circulation.seed.ts): Anna Ivanova's card, a copy on the shelf, a copy she has out.
const CARD = 'NOV-0001';
const FREE_COPY = 'NOVLIB-C-0005';
const LENT_COPY = 'NOVLIB-C-0001';

async function scan(page: Page, label: string, value: string) {
  const input = page.getByRole('textbox', { name: label });
  await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
  await input.fill(value);
  await input.press('Enter');
}

describe('the circulation desk', () => {
  const browser = useBrowser();

  it('checks out, refuses with a reason, checks in into quarantine, and the item comes back after the period', async () => {
    const { context, page } = await browser.newPage();
    await signIn(page, 'librarian.novgorod@demo.athenaeum.org', undefined, 'en', 'ru');
    const library = await organizationId('NOVLIB');
    await page.goto(`/organizations/${library}/circulation`);
    await page.getByRole('heading', { level: 1, name: new RegExp(ru('circulation:desk.title')) }).waitFor();
    await expectNoSeriousViolations(page, 'desk');
    const status = page.getByRole('status').filter({ hasText: /\S/ }).first();

    // Check out: the card, then the item; the barcode field keeps focus for the next scan.
    await scan(page, ru('circulation:desk.patronCard'), CARD);
    await page.getByText(ru('circulation:desk.patron', { name: 'Anna Ivanova', card: CARD })).waitFor();
    const barcode = ru('circulation:desk.itemBarcode');
    await scan(page, barcode, FREE_COPY);
    await expect.poll(() => status.textContent()).toContain(FREE_COPY);
    expect(await status.textContent()).toContain(
      ru('circulation:desk.checkedOut', { title: 'Отцы и дети', barcode: FREE_COPY, due: '' }).split(',')[0]!,
    );

    // A copy already lent: refused, and the reason is shown and announced.
    await scan(page, barcode, LENT_COPY);
    await expect
      .poll(() => status.textContent())
      .toBe(
        // The barcode is isolated (U+2068 … U+2069) from the sentence, as <bdi> would in markup.
        ru('circulation:desk.refusedItem', {
          barcode: `\u2068${LENT_COPY}\u2069`,
          reason: ru('circulation:desk.refused', { reason: ru('circulation:errors.CIRCULATION_ITEM_ON_LOAN') }),
        }),
      );
    expect(await page.getByRole('textbox', { name: barcode }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await expectNoSeriousViolations(page, 'desk after a refusal');

    // Check in: Novgorod keeps returned items 72 hours in quarantine.
    await page.getByRole('tab', { name: ru('circulation:desk.checkIn') }).click();
    await scan(page, barcode, FREE_COPY);
    const quarantined = ru('circulation:desk.inQuarantine', { title: 'Отцы и дети', barcode: FREE_COPY, until: '' });
    await expect.poll(() => status.textContent()).toContain(quarantined.trim().replace(/\.$/, ''));

    // The item's status, followed by the page while the job has not released it.
    await page.getByRole('tab', { name: ru('circulation:desk.item') }).click();
    await scan(page, barcode, FREE_COPY);
    const now = page.getByText(ru('circulation:desk.statusNow', { status: ru('circulation:status.in_quarantine') }));
    await now.waitFor();

    // 73 hours pass on the test server: the queued release job runs by itself.
    // Sent outside the browser's session (a cookie-authenticated write would need its CSRF token).
    const moved = await fetch(`${baseUrl()}/api/v1/testing/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 73 * 3_600_000 }),
    });
    expect(moved.status).toBe(200);
    await page
      .getByText(ru('circulation:desk.statusNow', { status: ru('circulation:status.available') }))
      .waitFor({ timeout: 30_000 });
    await expectNoSeriousViolations(page, 'item status');
    await context.close();
    // Later journeys share this server: its clock goes back to the real time.
    const reset = await fetch(`${baseUrl()}/api/v1/testing/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reset: true }),
    });
    expect(reset.status).toBe(200);
  }, 120_000);
});
