import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canFill, copyDistance, queueForCopy, rankCopies, type CopyForHold, type QueuedHold } from './hold-queue.js';

const libraries = ['L1', 'L2', 'L3'];
const now = new Date('2026-06-01T12:00:00Z');
const hold = fc.record({
  id: fc.uuid(),
  libraryId: fc.constantFrom(...libraries),
  level: fc.constantFrom('title' as const, 'item' as const),
  workId: fc.constantFrom('W1', 'W2'),
  itemId: fc.option(fc.constantFrom('I1', 'I2'), { nil: null }),
  recordIds: fc.option(fc.subarray(['R1', 'R2', 'R3']), { nil: null }),
  placedAt: fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2026-05-31T00:00:00Z'),
    noInvalidDate: true,
  }),
  suspendedUntil: fc.option(
    fc.date({ min: new Date('2026-05-01T00:00:00Z'), max: new Date('2026-07-01T00:00:00Z'), noInvalidDate: true }),
    { nil: null },
  ),
}) as fc.Arbitrary<QueuedHold>;
const copy = fc.record({
  id: fc.constantFrom('I1', 'I2', 'I3'),
  libraryId: fc.constantFrom(...libraries),
  branchId: fc.option(fc.constantFrom('B1', 'B2', 'B3'), { nil: null }),
  workId: fc.constantFrom('W1', 'W2'),
  recordId: fc.constantFrom('R1', 'R2', 'R3'),
}) as fc.Arbitrary<CopyForHold>;

describe('the hold queue', () => {
  it('serves the copy’s own library first, then first come first served, skipping holds it cannot fill', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hold, { selector: (h) => h.id, maxLength: 20 }), copy, (holds, c) => {
        const queue = queueForCopy(holds, c, now);
        expect(queue.length).toBe(holds.filter((h) => canFill(h, c, now)).length);
        for (const h of queue) {
          expect(h.suspendedUntil === null || h.suspendedUntil <= now).toBe(true);
          if (h.level === 'item') expect(h.itemId).toBe(c.id);
          else expect(h.workId).toBe(c.workId);
        }
        for (let i = 1; i < queue.length; i++) {
          const [a, b] = [queue[i - 1]!, queue[i]!];
          const localA = a.libraryId === c.libraryId;
          const localB = b.libraryId === c.libraryId;
          expect(localA || !localB).toBe(true);
          if (localA === localB) expect(a.placedAt <= b.placedAt).toBe(true);
        }
      }),
    );
  });

  it('respects the editions a patron accepts', () => {
    const base: QueuedHold = {
      id: 'h',
      libraryId: 'L1',
      level: 'title',
      workId: 'W1',
      itemId: null,
      recordIds: ['R1'],
      placedAt: now,
      suspendedUntil: null,
    };
    const c: CopyForHold = { id: 'I1', libraryId: 'L1', branchId: null, workId: 'W1', recordId: 'R2' };
    expect(canFill(base, c, now)).toBe(false);
    expect(canFill({ ...base, recordIds: null }, c, now)).toBe(true);
    expect(canFill({ ...base, recordIds: null, suspendedUntil: new Date(now.getTime() + 1) }, c, now)).toBe(false);
  });

  it('prefers copies at the pickup branch, then in the same library, then elsewhere', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(copy, { selector: (c) => `${c.id}`, maxLength: 3 }),
        fc.constantFrom('B1', 'B2'),
        fc.constantFrom(...libraries),
        (copies, branchId, libraryId) => {
          const pickup = { branchId, libraryId };
          const ranked = rankCopies(copies, pickup);
          expect(ranked).toHaveLength(copies.length);
          for (let i = 1; i < ranked.length; i++)
            expect(copyDistance(ranked[i - 1]!, pickup) <= copyDistance(ranked[i]!, pickup)).toBe(true);
        },
      ),
    );
  });
});
