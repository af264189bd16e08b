import type { CataloguingItem } from '@athenaeum/contracts';

/** A copy as the server sends it, for tests: available, in no branch, with a call number. */
export const buildItem = (overrides: Partial<CataloguingItem> = {}): CataloguingItem => ({
  itemId: '0190c2a4-0000-7000-8000-000000000001',
  libraryId: '0190c2a4-0000-7000-8000-000000000002',
  branchId: null,
  barcode: 'B-0001',
  callNumber: 'PZ7 .L5',
  location: null,
  itemType: 'book',
  status: 'available',
  notes: null,
  updatedAt: '2026-11-01T10:00:00Z',
  ...overrides,
});
