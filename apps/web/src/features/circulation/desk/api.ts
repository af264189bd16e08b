import type { CheckInResult, ItemHistory, Loan, Page, Patron } from '@athenaeum/contracts';
import { api } from '../../../lib/api';

const base = (libraryId: string) => `/organizations/${libraryId}`;

export const findPatronByCard = async (libraryId: string, card: string): Promise<Patron | null> => {
  const page = await api<Page<Patron>>(`${base(libraryId)}/patrons`, { query: { q: card, pageSize: 5 } });
  return page.items.find((p) => p.cardNumber === card) ?? null;
};

export const checkOut = (
  libraryId: string,
  body: { cardNumber: string; barcode: string; branchId: string; homeLibraryId?: string },
) => api<Loan>(`${base(libraryId)}/checkouts`, { method: 'POST', body });

export const checkIn = (libraryId: string, body: { barcode: string; branchId: string }) =>
  api<CheckInResult>(`${base(libraryId)}/checkins`, { method: 'POST', body });

export const renew = (libraryId: string, barcode: string) =>
  api<Loan>(`${base(libraryId)}/renewals`, { method: 'POST', body: { barcode } });

export const itemHistoryQuery = (libraryId: string, barcode: string) => ({
  queryKey: ['circulation', 'item-history', libraryId, barcode] as const,
  queryFn: () => api<ItemHistory>(`${base(libraryId)}/item-history`, { query: { barcode } }),
});

export const ITEM_MARKS = ['lost', 'damaged', 'claimed_returned', 'missing'] as const;
export type ItemMark = (typeof ITEM_MARKS)[number];

export const markItem = (libraryId: string, body: { barcode: string; status: ItemMark; reason: string }) =>
  api<ItemHistory>(`${base(libraryId)}/item-marks`, { method: 'POST', body });
