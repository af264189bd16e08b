import type { Organization, OrganizationRef } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { OrgName, useOrgName } from '../../components/OrgName';
import { PageTitle } from '../../components/Page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { api } from '../../lib/api';
import { WEEKDAYS, useFormat } from '../../lib/format';
import { canManage, useMe } from '../../lib/session';
import { canImport } from '../catalog/permissions';
import { InteropLinks } from '../interop/InteropLinks';
import { JoinLibraryLink } from '../circulation/registration/RegistrationParts';

export const organizationQuery = (id: string) => ({
  queryKey: ['organization', id] as const,
  queryFn: () => api<Organization>(`/organizations/${id}`),
});

function OrgLinks({ items }: { items: OrganizationRef[] }) {
  const { t } = useTranslation('common');
  return (
    <ul className="plain-list link-list">
      {items.map((org) => (
        <li key={org.id}>
          <Link to="/organizations/$id" params={{ id: org.id }}>
            <OrgName names={org.names} />
          </Link>{' '}
          <span className={`badge badge-kind badge-${org.kind}`}>{t(`kinds.${org.kind}`)}</span>
        </li>
      ))}
    </ul>
  );
}

function OpeningHoursTable({ hours }: { hours: NonNullable<Organization['openingHours']> }) {
  const { t } = useTranslation('org');
  const format = useFormat();
  return (
    <table className="hours">
      <caption className="visually-hidden">{t('page.openingHours')}</caption>
      <tbody>
        {WEEKDAYS.map((day) => {
          const slots = hours.filter((h) => h.day === day).sort((a, b) => a.opens.localeCompare(b.opens));
          return (
            <tr key={day}>
              <th scope="row">{format.weekday(day)}</th>
              <td>
                {slots.length === 0 ? (
                  <span className="muted">{t('page.closed')}</span>
                ) : (
                  slots.map((s) => format.timeRange(s.opens, s.closes)).join(', ')
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function OrganizationPage({ id }: { id: string }) {
  const { t } = useTranslation(['org', 'common', 'catalog', 'cataloguing', 'circulation']);
  const format = useFormat();
  const orgName = useOrgName();
  const me = useMe();
  const org = useQuery(organizationQuery(id));

  if (org.isPending) return <Loading />;
  if (org.isError) {
    return (
      <>
        <PageTitle>{t('org:page.notFoundTitle')}</PageTitle>
        <ErrorState error={org.error} onRetry={() => void org.refetch()} />
        <p>
          <Link to="/organizations">{t('org:page.backToDirectory')}</Link>
        </p>
      </>
    );
  }
  const o = org.data;
  const address = [o.address.street, [o.address.postalCode, o.address.city].filter(Boolean).join(' '), o.address.region]
    .filter(Boolean)
    .join(', ');
  const otherNames = Object.entries(o.names);

  return (
    <article>
      <nav aria-label={t('common:breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to="/organizations">{t('org:directory.title')}</Link>
          </li>
          {o.parent ? (
            <li>
              <Link to="/organizations/$id" params={{ id: o.parent.id }}>
                <OrgName names={o.parent.names} />
              </Link>
            </li>
          ) : null}
          <li aria-current="page">
            <OrgName names={o.names} />
          </li>
        </ol>
      </nav>
      <PageTitle title={orgName(o.names)}>
        <OrgName names={o.names} />
      </PageTitle>
      <p className="subtitle">
        <span className={`badge badge-kind badge-${o.kind}`}>{t(`common:kinds.${o.kind}`)}</span>{' '}
        {format.country(o.country)} · <code dir="ltr">{o.code}</code>
      </p>
      {canManage(me, o) || canImport(me, o) || o.kind === 'library' ? (
        <p className="inline-actions">
          {o.kind === 'library' ? (
            <Link to="/search" search={{ library: o.id }} className="button">
              {t('catalog:library.search')}
            </Link>
          ) : null}
          {canImport(me, o) ? (
            <Link to="/organizations/$id/catalog-imports" params={{ id: o.id }} className="button">
              {t('catalog:imports.link')}
            </Link>
          ) : null}
          {canImport(me, o) ? (
            <Link to="/cataloguing/new" search={{ library: o.id }} className="button">
              {t('cataloguing:newRecord')}
            </Link>
          ) : null}
          <InteropLinks organization={o} />
          {canImport(me, o) && o.kind === 'library' ? (
            <Link to="/organizations/$id/circulation" params={{ id: o.id }} className="button">
              {t('circulation:desk.title')}
            </Link>
          ) : null}
          {canImport(me, o) && o.kind === 'library' ? (
            <Link to="/organizations/$id/holds" params={{ id: o.id }} className="button">
              {t('circulation:holds.staffTitle')}
            </Link>
          ) : null}
          {canImport(me, o) && o.kind === 'library' ? (
            <Link to="/organizations/$id/ill" params={{ id: o.id }} className="button">
              {t('circulation:ill.link')}
            </Link>
          ) : null}
          {canManage(me, o) ? (
            <Link to="/organizations/$id/members" params={{ id: o.id }} className="button">
              {t('org:page.manage')}
            </Link>
          ) : null}
        </p>
      ) : null}

      {o.kind === 'library' ? <JoinLibraryLink libraryId={o.id} /> : null}

      <div className="columns">
        <section aria-labelledby="org-details" className="panel">
          <h2 id="org-details">{t('org:page.details')}</h2>
          <dl className="facts">
            <dt>{t('org:page.names')}</dt>
            <dd>
              <ul className="plain-list">
                {otherNames.map(([lang, name]) => (
                  <li key={lang}>
                    <bdi lang={lang}>{name}</bdi> <span className="badge">{format.language(lang)}</span>
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t('org:page.kind')}</dt>
            <dd>{t(`common:kinds.${o.kind}`)}</dd>
            <dt>{t('org:page.country')}</dt>
            <dd>{format.country(o.country)}</dd>
            <dt>{t('org:page.address')}</dt>
            <dd>{address ? <bdi>{address}</bdi> : <span className="muted">{t('org:page.none')}</span>}</dd>
            <dt>{t('org:page.website')}</dt>
            <dd>
              {o.website ? (
                <a href={o.website} rel="noopener noreferrer" dir="ltr">
                  {o.website.replace(/^https?:\/\//, '')}
                </a>
              ) : (
                <span className="muted">{t('org:page.none')}</span>
              )}
            </dd>
            <dt>{t('org:page.email')}</dt>
            <dd>
              {o.email ? (
                <a href={`mailto:${o.email}`} dir="ltr">
                  {o.email}
                </a>
              ) : (
                <span className="muted">{t('org:page.none')}</span>
              )}
            </dd>
            <dt>{t('org:page.phone')}</dt>
            <dd>
              {o.phone ? (
                <a href={`tel:${o.phone.replace(/\s/g, '')}`} dir="ltr">
                  {o.phone}
                </a>
              ) : (
                <span className="muted">{t('org:page.none')}</span>
              )}
            </dd>
          </dl>
        </section>

        {o.kind === 'branch' || o.openingHours ? (
          <section aria-labelledby="org-hours" className="panel">
            <h2 id="org-hours">{t('org:page.openingHours')}</h2>
            {o.openingHours && o.openingHours.length > 0 ? (
              <OpeningHoursTable hours={o.openingHours} />
            ) : (
              <Empty>{t('org:page.noHours')}</Empty>
            )}
          </section>
        ) : null}
      </div>

      <div className="columns">
        {o.parent ? (
          <section aria-labelledby="org-parent" className="panel">
            <h2 id="org-parent">{t('org:page.parent')}</h2>
            <OrgLinks items={[o.parent]} />
          </section>
        ) : null}
        <section aria-labelledby="org-member-of" className="panel">
          <h2 id="org-member-of">{t('org:page.memberOf')}</h2>
          {o.memberOf.length === 0 ? <Empty>{t('org:page.memberOfNone')}</Empty> : <OrgLinks items={o.memberOf} />}
        </section>
        <section aria-labelledby="org-members" className="panel">
          <h2 id="org-members">{t(o.kind === 'library' ? 'org:page.branches' : 'org:page.members')}</h2>
          {o.members.length === 0 ? <Empty>{t('org:page.membersNone')}</Empty> : <OrgLinks items={o.members} />}
        </section>
      </div>
    </article>
  );
}
