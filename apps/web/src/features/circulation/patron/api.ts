import type { Hold, HoldOption, MyLoan, PickupBooking, PickupOccurrence } from '@athenaeum/contracts';
import { api } from '../../../lib/api';

export const holdOptionsQuery = {
  queryKey: ['holds', 'options'] as const,
  queryFn: () => api<HoldOption[]>('/me/hold-options'),
};

export const myHoldsQuery = (closed: boolean) => ({
  queryKey: ['holds', 'mine', closed] as const,
  queryFn: () => api<Hold[]>('/me/holds', { query: { closed: String(closed) } }),
});

export const myLoansQuery = {
  queryKey: ['loans', 'mine'] as const,
  queryFn: () => api<{ items: MyLoan[] }>('/me/loans'),
};

export const pickupSlotsQuery = (holdId: string) => ({
  queryKey: ['holds', 'slots', holdId] as const,
  queryFn: () =>
    api<{ occurrences: PickupOccurrence[]; booking: PickupBooking | null }>(`/me/holds/${holdId}/pickup-slots`),
});

export const placeHold = (body: { workId: string; pickupBranchId: string; patronId: string }) =>
  api<Hold>('/me/holds', { method: 'POST', body });

export const changeHold = (holdId: string, body: { suspendedUntil?: string | null; pickupBranchId?: string }) =>
  api<Hold>(`/me/holds/${holdId}`, { method: 'PATCH', body });

export const cancelHold = (holdId: string) => api<Hold>(`/me/holds/${holdId}`, { method: 'DELETE' });

export const bookPickup = (holdId: string, body: { slotId: string; date: string }) =>
  api<PickupBooking>(`/me/holds/${holdId}/pickup-booking`, { method: 'PUT', body });

export const renewMyLoan = (loanId: string) => api<MyLoan>(`/me/loans/${loanId}/renewal`, { method: 'POST' });
