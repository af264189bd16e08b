import { describe, expect, it } from 'vitest';
import { statementsOf } from './catalog.repository.js';

const plan = (total: number, sizes: number[]) =>
  [...statementsOf(total, sizes)].map(({ start, length, full }) => `${start}+${length}${full ? '' : ' unprepared'}`);

describe('statementsOf', () => {
  it('fills statements of the largest size first, then smaller ones, and leaves one shorter statement unprepared', () => {
    expect(plan(1000, [1000, 250])).toEqual(['0+1000']);
    expect(plan(999, [1000, 250])).toEqual(['0+250', '250+250', '500+250', '750+249 unprepared']);
    expect(plan(500, [1000, 250])).toEqual(['0+250', '250+250']);
    expect(plan(2300, [1000, 250])).toEqual(['0+1000', '1000+1000', '2000+250', '2250+50 unprepared']);
    expect(plan(7, [250])).toEqual(['0+7 unprepared']);
    expect(plan(0, [250])).toEqual([]);
  });

  it('takes sizes in any order, and refuses sizes that are not whole numbers of at least one row', () => {
    expect(plan(1300, [250, 1000])).toEqual(plan(1300, [1000, 250]));
    for (const sizes of [[0], [250, -1], [2.5], []]) expect(() => plan(10, sizes)).toThrow(RangeError);
  });

  it('covers every row exactly once, in order', () => {
    for (const total of [1, 249, 250, 251, 1249, 3001]) {
      let next = 0;
      for (const { start, length } of statementsOf(total, [1000, 250])) {
        expect(start).toBe(next);
        next += length;
      }
      expect(next).toBe(total);
    }
  });
});
