import type { IllRequest } from '@athenaeum/contracts';
import { api } from '../../../lib/api';

/** The signed-in person's inter-library loan requests, with their steps. */
export const myIllQuery = {
  queryKey: ['ill', 'mine'] as const,
  queryFn: () => api<IllRequest[]>('/me/ill-requests'),
};

export const requestIll = (body: { workId: string; lenderLibraryId: string; patronId: string; note?: string }) =>
  api<IllRequest>('/me/ill-requests', { method: 'POST', body });

export const cancelMyIll = (requestId: string) =>
  api<IllRequest>(`/me/ill-requests/${requestId}/cancel`, { method: 'POST' });

export const staffRequestIll = (
  libraryId: string,
  body: { workId: string; lenderLibraryId: string; patronId: string; note?: string },
) => api<IllRequest>(`/organizations/${libraryId}/ill-requests`, { method: 'POST', body });
