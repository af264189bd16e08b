import { useTranslation } from 'react-i18next';
import { pickName } from '../lib/names';

/** An organization's name in the interface language (or the best available), marked with its language. */
export function OrgName({ names }: { names: Record<string, string> }) {
  const { i18n } = useTranslation();
  const { text, lang } = pickName(names, i18n.resolvedLanguage ?? i18n.language);
  return <bdi lang={lang === 'zh' ? 'zh-Hans' : lang}>{text}</bdi>;
}

export function useOrgName() {
  const { i18n } = useTranslation();
  return (names: Record<string, string>) => pickName(names, i18n.resolvedLanguage ?? i18n.language).text;
}
