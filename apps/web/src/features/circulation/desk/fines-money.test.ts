import { describe, expect, it } from 'vitest';
import { parseMoney } from './FinesPanel';

describe('parseMoney', () => {
  it('reads what staff type into whole minor units', () => {
    expect(parseMoney('1.50', 2)).toBe(150);
    expect(parseMoney('1,5', 2)).toBe(150);
    expect(parseMoney(' 3 ', 2)).toBe(300);
    expect(parseMoney('0.29', 2)).toBe(29);
    expect(parseMoney('120', 0)).toBe(120);
  });

  it('refuses what is not a positive amount in the currency', () => {
    expect(parseMoney('', 2)).toBeNull();
    expect(parseMoney('0', 2)).toBeNull();
    expect(parseMoney('-1', 2)).toBeNull();
    expect(parseMoney('1.505', 2)).toBeNull();
    expect(parseMoney('1.5', 0)).toBeNull();
    expect(parseMoney('abc', 2)).toBeNull();
  });
});
