import type { Hold, LinkedPatron, MyLoan } from '@athenaeum/contracts';
import { api } from '../../../lib/api';

const child = (patronId: string) => `/me/children/${patronId}`;

/** The child patrons the signed-in person is a guardian of. */
export const myChildrenQuery = {
  queryKey: ['children'] as const,
  queryFn: () => api<{ items: LinkedPatron[] }>('/me/children'),
  staleTime: 60_000,
};

export const childLoansQuery = (patronId: string) => ({
  queryKey: ['children', patronId, 'loans'] as const,
  queryFn: () => api<{ items: MyLoan[] }>(`${child(patronId)}/loans`),
});

export const childHoldsQuery = (patronId: string) => ({
  queryKey: ['children', patronId, 'holds'] as const,
  queryFn: () => api<Hold[]>(`${child(patronId)}/holds`),
});

export const renewChildLoan = (patronId: string, loanId: string) =>
  api<MyLoan>(`${child(patronId)}/loans/${loanId}/renewal`, { method: 'POST' });

export const changeChildHold = (patronId: string, holdId: string, body: { suspendedUntil?: string | null }) =>
  api<Hold>(`${child(patronId)}/holds/${holdId}`, { method: 'PATCH', body });

export const cancelChildHold = (patronId: string, holdId: string) =>
  api<Hold>(`${child(patronId)}/holds/${holdId}`, { method: 'DELETE' });
