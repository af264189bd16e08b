import type { Page, PageQuery } from '@athenaeum/contracts';

/** Offset for a page query. */
export function pageOffset(query: PageQuery): number {
  return (query.page - 1) * query.pageSize;
}

/** Builds the one list envelope every list endpoint returns. */
export function toPage<T>(items: T[], total: number, query: PageQuery): Page<T> {
  return { items, total, page: query.page, pageSize: query.pageSize };
}
