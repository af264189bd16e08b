// A person joins a library online: the São Paulo librarian (in Portuguese) lets people join online
// and confirm their identity at a desk; a newly signed-up reader (in Spanish) is first asked to
// confirm their e-mail, then joins as a senior and sees the new card and that a desk visit is
// needed; at the desk the card is refused for loans until the librarian confirms the identity.
// axe on the join page and the desk. The library's setting and the new patron are removed after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  type ApiCall,
  baseUrl,
  expectNoSeriousViolations,
  organizationId,
  PLATFORM_ADMIN,
  selectButton,
  signIn,
  text,
  useBrowser,
} from './helpers.js';

const LIBRARIAN = 'librarian.saopaulo@demo.athenaeum.org';
const pt = (key: string, values: Record<string, string | number> = {}) => text('pt', key, values);
const es = (key: string, values: Record<string, string | number> = {}) => text('es', key, values);

describe('joining a library online', () => {
  const browser = useBrowser();
  let library: string;
  let staff: ApiCall;
  let patronId: string | null = null;
  beforeAll(async () => {
    library = await organizationId('SPBIB');
    staff = (await apiAs(LIBRARIAN)).call;
  });
  afterAll(async () => {
    // The demo library goes back to not taking registrations online; the new patron is removed.
    await staff?.('PATCH', `/organizations/${library}/circulation-settings`, {
      selfRegistration: 'off',
      selfRegistrationCategories: ['adult'],
    });
    if (patronId) await staff('POST', `/organizations/${library}/patrons/${patronId}/deletion`);
  });

  it('lets a verified reader join, and the desk confirms their identity before the first loan', async () => {
    // The librarian opens registration online from the desk page.
    const librarian = await browser.newPage();
    await signIn(librarian.page, LIBRARIAN, undefined, 'en', 'pt');
    await librarian.page.goto(`/organizations/${library}/circulation`);
    await selectButton(librarian.page, pt('registration:settings.mode')).click();
    await librarian.page.getByRole('option', { name: pt('registration:settings.confirmAtDesk') }).click();
    // React Aria keeps the real checkbox visually hidden inside its label; a person clicks the label.
    await librarian.page
      .locator('label')
      .filter({ hasText: pt('registration:categories.senior') })
      .click();
    expect(await librarian.page.getByRole('checkbox', { name: pt('registration:categories.senior') }).isChecked()).toBe(
      true,
    );
    await librarian.page.getByRole('button', { name: pt('registration:settings.save') }).click();
    await librarian.page
      .getByRole('status')
      .filter({ hasText: pt('registration:settings.saved') })
      .waitFor();

    // A new reader signs up; before the address is confirmed, the join page asks for that first.
    const email = `joining.reader.${Date.now()}@example.org`;
    const password = 'a-long-enough-password';
    const signUp = await fetch(`${baseUrl()}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, displayName: 'Lucía Fernández', locale: 'es' }),
    });
    expect(signUp.status).toBe(201);
    const reader = await browser.newPage();
    await signIn(reader.page, email, password, 'en', 'es');
    await reader.page.goto(`/organizations/${library}`);
    await reader.page.getByRole('link', { name: es('registration:join.link') }).click();
    await reader.page.getByText(es('registration:join.verifyFirst')).waitFor();

    // The address is confirmed with the link from the e-mail (read from the outbox as the admin).
    const admin = (await apiAs(PLATFORM_ADMIN)).call;
    const outbox = () =>
      admin<{ items: Array<{ bodyText: string }> }>('GET', `/admin/emails?to=${encodeURIComponent(email)}`);
    await expect.poll(async () => (await outbox()).items.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const mails = await outbox();
    const token = /verify-email\?token=([^\s]+)/.exec(mails.items[0]!.bodyText)![1]!;
    const verified = await fetch(`${baseUrl()}/api/v1/accounts/verification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: decodeURIComponent(token) }),
    });
    expect(verified.status).toBe(200);

    await reader.page.reload();
    await reader.page.getByLabel(es('registration:join.givenName')).waitFor();
    expect(await reader.page.getByLabel(es('registration:join.familyName')).inputValue()).toBe('Fernández');
    await selectButton(reader.page, es('registration:join.category')).click();
    await reader.page.getByRole('option', { name: es('registration:categories.senior') }).click();
    await expectNoSeriousViolations(reader.page, 'join page');
    await reader.page.getByRole('button', { name: es('registration:join.submit') }).click();
    const welcome = reader.page.getByRole('status').filter({ hasText: /\d{12}/ });
    await welcome.waitFor();
    const card = /(\d{12})/.exec((await welcome.textContent()) ?? '')![1]!;
    expect(await welcome.textContent()).toContain(es('registration:join.visitDesk'));
    await reader.page.getByText(es('registration:join.statusPending')).waitFor();
    await expectNoSeriousViolations(reader.page, 'join page with the new card');
    await reader.context.close();

    // At the desk: the card is found, flagged, refused for loans, then confirmed.
    await librarian.page.getByLabel(pt('circulation:desk.patronCard')).fill(card);
    await librarian.page.getByLabel(pt('circulation:desk.patronCard')).press('Enter');
    await librarian.page.getByText(pt('registration:desk.pending')).waitFor();
    await librarian.page.getByLabel(pt('circulation:desk.itemBarcode')).fill('SPBIB-C-0005');
    await librarian.page.getByLabel(pt('circulation:desk.itemBarcode')).press('Enter');
    await librarian.page
      .getByRole('status')
      .filter({ hasText: pt('registration:errors.CIRCULATION_IDENTITY_NOT_CONFIRMED') })
      .waitFor();
    await expectNoSeriousViolations(librarian.page, 'desk with a patron awaiting confirmation');
    await librarian.page.getByRole('button', { name: pt('registration:desk.confirm') }).click();
    await librarian.page
      .getByRole('status')
      .filter({ hasText: pt('registration:desk.confirmed', { name: 'Lucía Fernández' }) })
      .waitFor();
    expect(await librarian.page.getByText(pt('registration:desk.pending')).count()).toBe(0);
    await librarian.context.close();

    const patrons = await staff<{ items: Array<{ id: string; cardNumber: string; status: string; category: string }> }>(
      'GET',
      `/organizations/${library}/patrons?q=${card}`,
    );
    const patron = patrons.items.find((p) => p.cardNumber === card)!;
    patronId = patron.id;
    expect(patron).toMatchObject({ status: 'active', category: 'senior' });
  }, 180_000);
});
