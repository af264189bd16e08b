import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/session';
import { canImport } from '../catalog/permissions';

/** "Edit record" beside an edition, for staff of the library that holds the record (nothing for others). */
export function EditRecordLink({ recordId, libraryId, title }: { recordId: string; libraryId: string; title: string }) {
  const { t } = useTranslation('cataloguing');
  const me = useMe();
  if (!canImport(me, { id: libraryId, kind: 'library' })) return null;
  return (
    <Link
      to="/cataloguing/records/$id"
      params={{ id: recordId }}
      className="edit-record-link"
      aria-label={t('editLinkLabel', { title })}
    >
      {t('editLink')}
    </Link>
  );
}
