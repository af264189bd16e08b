import type { ReactElement } from 'react';
import { Trans, useTranslation } from 'react-i18next';

/**
 * The editor's heading, "Edit record: <title/>": the record's title goes where the language puts
 * it, isolated from the text around it.
 */
export function EditRecordTitle({ title }: { title: string }) {
  const { t } = useTranslation('cataloguing');
  return <Trans t={t} i18nKey="editor.titleEdit" components={{ title: <bdi>{title}</bdi> }} />;
}

/** The same heading as plain text (the browser tab's name). */
export function editRecordTitleText(template: string, title: string): string {
  return template.split('<title/>').join(title);
}

/** "Catalogue of <library/>" in the language's word order, `library` (a link to it) in its place. */
export function InLibrary({ library }: { library: ReactElement }) {
  const { t } = useTranslation('cataloguing');
  return <Trans t={t} i18nKey="editor.inLibrary" components={{ library }} />;
}
