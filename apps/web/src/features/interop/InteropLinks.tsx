import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/session';
import { canImport } from '../catalog/permissions';

/** Links to a library's harvest sources and copy cataloguing, for its staff and admins. */
export function InteropLinks({ organization }: { organization: { id: string; kind: string } }) {
  const { t } = useTranslation('interop');
  const me = useMe();
  if (!canImport(me, organization)) return null;
  return (
    <>
      <Link to="/organizations/$id/harvest-sources" params={{ id: organization.id }} className="button">
        {t('links.harvest')}
      </Link>
      <Link to="/organizations/$id/copy-cataloguing" params={{ id: organization.id }} className="button">
        {t('links.copy')}
      </Link>
    </>
  );
}
