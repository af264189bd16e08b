// A patron online: places a hold from a work page, the library checks the copy in so the hold is
// ready (through the API, as the desk would), the patron books a click-and-collect pickup time and
// renews a loan, then keeps a reading history and sees the returned copy in it; axe on the work page
// with the hold form open, on "My holds and loans" and on "My data".
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  baseUrl,
  expectNoSeriousViolations,
  organizationId,
  selectButton,
  signIn,
  text,
  useBrowser,
} from './helpers.js';

// The patron (Layla Haddad) reads Arabic: the journey runs right to left.
const ar = (key: string, values: Record<string, string | number> = {}) => text('ar', key, values);
// Demo data (circulation.seed.ts): São Paulo's copy of Dom Casmurro is on loan; Os sertões is on the shelf.
const LENT_COPY = 'SPBIB-C-0001';
const FREE_COPY = 'SPBIB-C-0005';
const PATRON = 'patron3@demo.athenaeum.org';

describe('a patron’s holds, pickup and loans', () => {
  const browser = useBrowser();

  it('places a hold, books a pickup time once it is ready, renews a loan and keeps a reading history', async () => {
    const library = await organizationId('SPBIB');
    const staff = await apiAs('librarian.saopaulo@demo.athenaeum.org');
    const patronPerson = await apiAs(PATRON);
    const patron = await staff.call<{ id: string; cardNumber: string }>('POST', `/organizations/${library}/patrons`, {
      cardNumber: `E2E-${Date.now()}`,
      category: 'adult',
      givenName: 'Beatriz',
      familyName: 'Souza',
      preferredLanguage: 'en',
      personId: patronPerson.person.id,
    });
    const org = await staff.call<{ members: Array<{ id: string; kind: string }> }>('GET', `/organizations/${library}`);
    const branches = org.members.filter((m) => m.kind === 'branch').map((m) => m.id);
    // Click-and-collect: a half hour every day at every branch, two places each.
    for (const branchId of branches) {
      for (let weekday = 0; weekday < 7; weekday++) {
        await staff.call('POST', `/organizations/${library}/pickup-slots`, {
          branchId,
          weekday,
          startTime: '10:00',
          endTime: '10:30',
          capacity: 2,
        });
      }
    }
    // A loan to renew later.
    await staff.call('POST', `/organizations/${library}/checkouts`, {
      cardNumber: patron.cardNumber,
      barcode: FREE_COPY,
      branchId: branches[0],
    });
    const search = (await (
      await fetch(`${baseUrl()}/api/v1/catalog/search?q=${encodeURIComponent('Dom Casmurro')}`)
    ).json()) as { items: Array<{ id: string; title: string }> };
    const work = search.items.find((w) => w.title === 'Dom Casmurro')!;

    const { context, page } = await browser.newPage();
    await signIn(page, PATRON, undefined, 'en', 'ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.goto(`/works/${work.id}`);
    await page.getByRole('button', { name: ar('circulation:holds.placeHold') }).click();
    await selectButton(page, ar('circulation:holds.pickupBranch')).waitFor();
    // Layla also has a Kazan card (the demo's inter-library loan): this hold is on her São Paulo card.
    await selectButton(page, ar('circulation:holds.card')).click();
    await page.getByRole('option', { name: new RegExp(patron.cardNumber) }).click();
    await expectNoSeriousViolations(page, 'work page with the hold form');
    await page.getByRole('button', { name: ar('circulation:holds.placeHold') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: ar('circulation:holds.placed') })
      .waitFor();

    // The copy comes back at the pickup branch: the hold is ready there.
    const [hold] = await patronPerson.call<Array<{ id: string; pickupBranchId: string; status: string }>>(
      'GET',
      '/me/holds',
    );
    expect(hold!.status).toBe('waiting');
    await staff.call('POST', `/organizations/${library}/checkins`, {
      barcode: LENT_COPY,
      branchId: hold!.pickupBranchId,
    });

    await page
      .getByRole('link', { name: ar('circulation:holds.nav') })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: ar('circulation:holds.title') }).waitFor();
    await page.getByText(ar('circulation:holds.status.ready'), { exact: true }).waitFor();
    await selectButton(page, ar('circulation:holds.slot')).click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: ar('circulation:holds.book') }).click();
    const status = page.getByRole('status').filter({ hasText: /\S/ }).first();
    await expect
      .poll(() => status.textContent())
      .toMatch(new RegExp(`^${ar('circulation:holds.booked').split(':')[0]}:`));

    await page.getByRole('button', { name: ar('circulation:holds.renew') }).click();
    await expect
      .poll(() => status.textContent())
      .toMatch(new RegExp(`^${ar('circulation:holds.renewed').split(':')[0]}:`));
    await expectNoSeriousViolations(page, 'my holds and loans');

    // My data: she keeps a reading history on this card, returns the renewed copy, and finds it listed.
    await page
      .getByRole('link', { name: ar('circulation:myData.nav') })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: ar('circulation:myData.title') }).waitFor();
    const cardName = ar('circulation:myData.card', { card: patron.cardNumber });
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: cardName }) });
    await card
      .locator('label')
      .filter({ hasText: ar('circulation:myData.keepHistory') })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: ar('circulation:myData.historyOn') })
      .waitFor();
    expect(await card.getByRole('checkbox', { name: ar('circulation:myData.keepHistory') }).isChecked()).toBe(true);
    await staff.call('POST', `/organizations/${library}/checkins`, { barcode: FREE_COPY, branchId: branches[0] });
    await page.reload();
    const history = card.getByRole('table', {
      name: ar('circulation:myData.history.caption', { card: patron.cardNumber }),
    });
    await history.getByRole('cell', { name: 'Os sertões', exact: true }).waitFor();
    expect(await history.getByRole('row').count()).toBe(2);
    // Unticking would forget the history: it is asked first, and keeping it leaves the box ticked.
    await card
      .locator('label')
      .filter({ hasText: ar('circulation:myData.keepHistory') })
      .click();
    const forget = page.getByRole('alertdialog', { name: ar('circulation:myData.forget.title') });
    await forget.getByRole('button', { name: ar('circulation:myData.forget.keep'), exact: true }).click();
    await forget.waitFor({ state: 'detached' });
    expect(await card.getByRole('checkbox', { name: ar('circulation:myData.keepHistory') }).isChecked()).toBe(true);
    expect(await history.getByRole('row').count()).toBe(2);
    await expectNoSeriousViolations(page, 'my data');
    await context.close();

    // The librarian (in Portuguese) sees the hold on the hold shelf list.
    const pt = (key: string) => text('pt', key);
    const librarian = await browser.newPage();
    await signIn(librarian.page, 'librarian.saopaulo@demo.athenaeum.org', undefined, 'en', 'pt');
    await librarian.page.goto(`/organizations/${library}/holds`);
    await librarian.page.getByRole('tab', { name: pt('circulation:holds.lists.shelf') }).click();
    await librarian.page.getByRole('link', { name: 'Dom Casmurro' }).waitFor();
    await expectNoSeriousViolations(librarian.page, 'hold lists');
    await librarian.page.goto(`/organizations/${library}/ill`);
    await librarian.page.getByRole('tab', { name: pt('circulation:ill.asLender') }).waitFor();
    await expectNoSeriousViolations(librarian.page, 'inter-library loans');
    await librarian.context.close();
  }, 180_000);
});
