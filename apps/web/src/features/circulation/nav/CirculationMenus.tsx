import type { Me, OrganizationRef } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Button, Header, Menu, MenuItem, MenuSection, MenuTrigger, Popover } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useOrgName } from '../../../components/OrgName';
import { useMe } from '../../../lib/session';
import { myChildrenQuery } from '../guardians/api';
import './nav.css';

type MePath = '/me/holds' | '/me/ill-requests' | '/me/children' | '/me/data';

/** "My library" in the main navigation: my holds and loans, inter-library loans, children (for guardians), data. */
export function PatronMenu() {
  const { t } = useTranslation('circulation');
  const navigate = useNavigate();
  const children = useQuery(myChildrenQuery);
  const items: Array<{ id: MePath; label: string }> = [
    { id: '/me/holds', label: t('holds.nav') },
    { id: '/me/ill-requests', label: t('ill.mine') },
    ...(children.data?.items.length ? [{ id: '/me/children' as const, label: t('family.children.nav') }] : []),
    { id: '/me/data', label: t('myData.nav') },
  ];
  return (
    <MenuTrigger>
      <Button className="nav-menu-button">
        {t('family.nav.menu')} <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover" placement="bottom start">
        <Menu className="listbox" items={items} onAction={(key) => void navigate({ to: String(key) as MePath })}>
          {(item) => <MenuItem className="listbox-item">{item.label}</MenuItem>}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

const STAFF_PAGES = [
  'circulation',
  'holds',
  'ill',
  'calendar',
  'harvest-sources',
  'copy-cataloguing',
  'catalog-imports',
  'new-record',
] as const;
type StaffPage = (typeof STAFF_PAGES)[number];

/** Where a staff menu item (`<library id>/<page>`) leads: the library's page, or a new record for its catalogue. */
export function staffPageTarget(key: string | number) {
  const [id, page] = String(key).split('/') as [string, StaffPage];
  if (page === 'new-record') return { to: '/cataloguing/new', search: { library: id } } as const;
  return { to: `/organizations/$id/${page}`, params: { id } } as const;
}

/** The libraries where the person is staff or admin (the roles of the session). */
export function staffLibraries(person: Me | null): OrganizationRef[] {
  const out = new Map<string, OrganizationRef>();
  for (const grant of person?.roles ?? []) {
    if ((grant.role === 'staff' || grant.role === 'admin') && grant.organization.kind === 'library') {
      out.set(grant.organization.id, grant.organization);
    }
  }
  return [...out.values()];
}

/** "Library work" in the main navigation, for staff: each of their libraries' desk, holds, ILL and cataloguing pages. */
export function StaffMenu() {
  const { t } = useTranslation(['circulation', 'interop', 'catalog', 'cataloguing', 'calendar']);
  const orgName = useOrgName();
  const navigate = useNavigate();
  const libraries = staffLibraries(useMe());
  if (libraries.length === 0) return null;
  const label: Record<StaffPage, string> = {
    circulation: t('circulation:desk.title'),
    holds: t('circulation:holds.staffLists'),
    ill: t('circulation:ill.link'),
    calendar: t('calendar:title'),
    'harvest-sources': t('interop:links.harvest'),
    'copy-cataloguing': t('interop:links.copy'),
    'catalog-imports': t('catalog:imports.link'),
    'new-record': t('cataloguing:newRecord'),
  };
  const go = (key: string | number) => void navigate(staffPageTarget(key));
  return (
    <MenuTrigger>
      <Button className="nav-menu-button">
        {t('circulation:family.nav.staff')} <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover" placement="bottom start">
        <Menu className="listbox" onAction={go}>
          {libraries.map((library) => (
            <MenuSection key={library.id} aria-label={orgName(library.names)}>
              {libraries.length > 1 ? <Header className="nav-menu-header">{orgName(library.names)}</Header> : null}
              {STAFF_PAGES.map((page) => (
                <MenuItem key={page} id={`${library.id}/${page}`} className="listbox-item">
                  {label[page]}
                </MenuItem>
              ))}
            </MenuSection>
          ))}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
