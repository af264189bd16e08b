import type { WorkView } from '@athenaeum/contracts';
import { api } from '../../lib/api';

/** A work as its page shows it (the API follows a moved work's redirect: see `movedWorkId`). */
export const workQuery = (id: string) => ({
  queryKey: ['catalog-work', id] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api<WorkView>(`/catalog/works/${id}`, { signal }),
});
