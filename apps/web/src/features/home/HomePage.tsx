import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Form, Input, Label, SearchField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { OrgName } from '../../components/OrgName';
import { PageTitle } from '../../components/Page';
import { canManage, useSession } from '../../lib/session';
import { canImport } from '../catalog/permissions';

/** One search box for the union catalogue, on the home page. */
function CatalogSearchBox() {
  const { t } = useTranslation('catalog');
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  return (
    <Form
      role="search"
      aria-label={t('home.label')}
      className="filters home-search"
      onSubmit={(event) => {
        event.preventDefault();
        void navigate({ to: '/search', search: { q: q.trim() || undefined } });
      }}
    >
      <SearchField value={q} onChange={setQ} className="field catalog-query-field" name="q">
        <Label>{t('home.label')}</Label>
        <Input />
      </SearchField>
      <div className="filter-actions">
        <Button type="submit" className="button button-primary">
          {t('home.submit')}
        </Button>
      </div>
    </Form>
  );
}

export function HomePage() {
  const { t } = useTranslation(['common', 'catalog']);
  const session = useSession();
  const person = session.data?.person ?? null;

  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <PageTitle id="home-title">{t('home.title')}</PageTitle>
        <p className="lead">{t('home.lead')}</p>
        <CatalogSearchBox />
        <div className="actions">
          <Link to="/search" className="button button-primary">
            {t('catalog:home.browse')}
          </Link>
          <Link to="/organizations" className="button">
            {t('home.browseDirectory')}
          </Link>
          {person ? null : (
            <Link to="/sign-up" className="button">
              {t('home.join')}
            </Link>
          )}
        </div>
      </section>

      {person ? (
        <section aria-labelledby="my-roles" className="panel">
          <h2 id="my-roles">{t('home.welcome', { name: person.displayName })}</h2>
          {person.roles.length === 0 ? (
            <p>{t('home.noRoles')}</p>
          ) : (
            <ul className="plain-list">
              {person.roles.map((grant) => (
                <li key={grant.id}>
                  {t('home.roleAt', { role: t(`roles.${grant.role}`) })}{' '}
                  <Link to="/organizations/$id" params={{ id: grant.organization.id }}>
                    <OrgName names={grant.organization.names} />
                  </Link>
                  {canImport(person, grant.organization) && (grant.role === 'staff' || grant.role === 'admin') ? (
                    <>
                      {' · '}
                      <Link to="/organizations/$id/catalog-imports" params={{ id: grant.organization.id }}>
                        {t('catalog:imports.link')}
                      </Link>
                    </>
                  ) : null}
                  {canManage(person, grant.organization) && (grant.role === 'admin' || grant.role === 'officer') ? (
                    <>
                      {' · '}
                      <Link to="/organizations/$id/members" params={{ id: grant.organization.id }}>
                        {t('home.manageMembers')}
                      </Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section aria-labelledby="features" className="features">
        <h2 id="features" className="visually-hidden">
          {t('home.featuresTitle')}
        </h2>
        <div className="cards">
          <article className="card">
            <h3>{t('home.cardDirectoryTitle')}</h3>
            <p>{t('home.cardDirectoryText')}</p>
          </article>
          <article className="card">
            <h3>{t('home.cardLanguagesTitle')}</h3>
            <p>{t('home.cardLanguagesText')}</p>
          </article>
          <article className="card">
            <h3>{t('home.cardStandardsTitle')}</h3>
            <p>{t('home.cardStandardsText')}</p>
          </article>
        </div>
      </section>
    </>
  );
}
