import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { OrgName } from './OrgName';
import { PageTitle } from './Page';

interface Org {
  id: string;
  names: Record<string, string>;
}

/** The trail above a page of one organization's: the directory, the organization, then this page. */
export function OrgBreadcrumbs({ org, current }: { org: Org; current: string }) {
  const { t } = useTranslation(['org', 'common']);
  return (
    <nav aria-label={t('common:breadcrumbs')} className="breadcrumbs">
      <ol>
        <li>
          <Link to="/organizations">{t('org:directory.title')}</Link>
        </li>
        <li>
          <Link to="/organizations/$id" params={{ id: org.id }}>
            <OrgName names={org.names} />
          </Link>
        </li>
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

/**
 * The top of a page of one organization's: its breadcrumbs, the title (and `documentTitle` for the
 * browser tab) with the organization's name under it, and an introduction.
 */
export function OrgPageHeader({
  org,
  title,
  documentTitle,
  intro,
}: {
  org: Org;
  title: string;
  documentTitle: string;
  intro: string;
}) {
  return (
    <>
      <OrgBreadcrumbs org={org} current={title} />
      <PageTitle title={documentTitle}>{title}</PageTitle>
      <p className="subtitle">
        <OrgName names={org.names} />
      </p>
      <p>{intro}</p>
    </>
  );
}
