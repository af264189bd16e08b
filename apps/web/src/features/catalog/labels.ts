import type { MaterialType } from '@athenaeum/contracts';
import { useTranslation } from 'react-i18next';
import { useOrgName } from '../../components/OrgName';
import { useFormat } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';
import { ApiError } from '../../lib/api';
import { isItemStatus, marcLanguageTag } from './vocabulary';

const CATALOG_CODES = [
  'CATALOG_WORK_NOT_FOUND',
  'CATALOG_IMPORT_NOT_FOUND',
  'CATALOG_IMPORT_NOT_A_LIBRARY',
  'CATALOG_IMPORT_EMPTY',
  'CATALOG_IMPORT_NOT_MARC',
  'CATALOG_IMPORT_ENCODING_NOT_ISO2709',
  'CATALOG_IMPORT_TOO_LARGE',
  'CATALOG_IMPORT_MEDIA_TYPE',
  'CATALOG_IMPORT_LIMIT_REACHED',
] as const;
type CatalogCode = (typeof CATALOG_CODES)[number];

/** Names of the catalogue's values in the interface language. */
export function useCatalogLabels() {
  const { t } = useTranslation('catalog');
  const format = useFormat();
  const orgName = useOrgName();
  return {
    material: (type: MaterialType) => t(`material.${type}`),
    /** A MARC language code by its name in the interface language ("rus" → "Russian", "русский" …). */
    language: (code: string) => {
      if (code === 'und' || code === 'mul' || code === 'zxx') return t(`language.${code}`);
      const tag = marcLanguageTag(code);
      const name = tag ? format.language(tag) : code;
      return name === tag ? code : name.charAt(0).toLocaleUpperCase(format.tag) + name.slice(1);
    },
    status: (status: string) => (isItemStatus(status) ? t(`status.${status}`) : status.replace(/_/g, ' ')),
    decade: (decade: number) => t('facets.decadeValue', { from: String(decade), to: String(decade + 9) }),
    years: (from: number | null, to: number | null) =>
      from === null
        ? ''
        : to === null || to === from
          ? String(from)
          : t('work.years', { from: String(from), to: String(to) }),
    orgName,
  };
}

/** A failed call described in the interface language, the catalogue's own codes included. */
export function useCatalogProblem(): (error: unknown) => string {
  const { t } = useTranslation('catalog');
  const general = useProblemMessage();
  return (error: unknown) => {
    if (error instanceof ApiError && (CATALOG_CODES as readonly string[]).includes(error.code)) {
      const code = error.code as CatalogCode;
      if (code === 'CATALOG_IMPORT_LIMIT_REACHED') {
        const minutes = Math.max(1, Math.ceil((error.problem?.retryAfterSeconds ?? 60) / 60));
        return t('errors.CATALOG_IMPORT_LIMIT_REACHED', { count: minutes });
      }
      return t(`errors.${code}`);
    }
    return general(error);
  };
}
