import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A page's main heading; also names the browser tab. */
export function PageTitle({ children, title, id }: { children: ReactNode; title?: string; id?: string }) {
  const { t } = useTranslation();
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    document.title = text ? t('documentTitle', { page: text }) : t('siteName');
  }, [text, t]);
  return (
    <h1 tabIndex={-1} className="page-title" id={id}>
      {children}
    </h1>
  );
}
