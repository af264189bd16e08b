// The public catalogue's cached pages that a change made in cataloguing makes out of date.
import type { QueryClient } from '@tanstack/react-query';

/**
 * After a record or one of its items changed: the work pages (titles, copies, availability), their
 * clustering details and the search results are fetched again when next shown (now, if on screen),
 * not after their 30 s of freshness.
 */
export const refreshCatalogViews = (client: QueryClient): Promise<unknown> =>
  Promise.all([
    client.invalidateQueries({ queryKey: ['catalog-work'] }),
    client.invalidateQueries({ queryKey: ['catalog-work-clustering'] }),
    client.invalidateQueries({ queryKey: ['catalog-search'] }),
  ]);
