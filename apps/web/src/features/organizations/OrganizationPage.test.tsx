import type { Me, Organization } from '@athenaeum/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import catalog from '../../locales/en/catalog.json';
import cataloguing from '../../locales/en/cataloguing.json';
import { sessionKey } from '../../lib/session';
import { OrganizationPage, organizationQuery } from './OrganizationPage';

const LIBRARY = '00000000-0000-4000-8000-0000000000b1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const ref = (id: string) => ({ id, kind: 'library', code: 'LIB', names: { en: 'Town Library' }, country: 'FR' });
const library = {
  ...ref(LIBRARY),
  parent: null,
  address: {},
  latitude: null,
  longitude: null,
  website: null,
  email: null,
  phone: null,
  openingHours: null,
  memberOf: [],
  members: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
} as unknown as Organization;
const staffOf = (id: string) =>
  ({ id: 'p', isPlatformAdmin: false, roles: [{ role: 'staff', organization: ref(id) }] }) as unknown as Me;

async function renderPage(person: Me | null) {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng: 'en',
    resources: { en: { catalog, cataloguing } },
    interpolation: { escapeValue: false },
  });
  const client = new QueryClient();
  client.setQueryData(organizationQuery(LIBRARY).queryKey, library);
  client.setQueryData(sessionKey, person ? { person, csrfToken: 't' } : null);
  const router = createRouter({
    routeTree: createRootRoute({ component: () => <OrganizationPage id={LIBRARY} /> }),
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  await router.load();
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("a library's page", () => {
  it('offers its staff a new record for its catalogue, beside importing records', async () => {
    const html = await renderPage(staffOf(LIBRARY));
    const imports = html.indexOf('>Import records</a>');
    const newRecord = html.indexOf(`<a class="button" href="/cataloguing/new?library=${LIBRARY}">New record</a>`);
    expect(imports).toBeGreaterThan(0);
    expect(newRecord).toBeGreaterThan(imports);
  });

  it('offers it to nobody else (as importing): not to staff of another library, nor to readers', async () => {
    for (const person of [staffOf(OTHER), null]) {
      const html = await renderPage(person);
      expect(html).not.toContain('/cataloguing/new');
      expect(html).not.toContain('>Import records</a>');
    }
  });
});
