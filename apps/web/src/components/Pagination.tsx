import type { Page } from '@athenaeum/contracts';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';

interface PaginationProps {
  /** The page shown, as the API answers it: its number, size and the total across pages. */
  of: Pick<Page<unknown>, 'page' | 'pageSize' | 'total'>;
  /** Which search parameter holds the page number. */
  param?: string;
  label?: string;
}

/** Previous / next links with "page N of M"; links, so every page has its own URL. */
export function Pagination({ of: { page, pageSize, total }, param = 'page', label }: PaginationProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const to = (n: number) => (prev: Record<string, unknown>) => ({ ...prev, [param]: n > 1 ? n : undefined });
  return (
    <nav aria-label={label ?? t('pagination.label')} className="pagination">
      {page > 1 ? (
        <Link to="." search={to(page - 1) as never} className="button" rel="prev">
          {t('pagination.previous')}
        </Link>
      ) : null}
      <span className="pagination-status">
        {t('pagination.status', { page: format.number(page), pages: format.number(pages) })}
      </span>
      {page < pages ? (
        <Link to="." search={to(page + 1) as never} className="button" rel="next">
          {t('pagination.next')}
        </Link>
      ) : null}
    </nav>
  );
}
