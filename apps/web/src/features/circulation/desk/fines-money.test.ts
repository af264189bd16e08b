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

  it('reads the digits and decimal separator of other scripts, as a number input in that language gives them', () => {
    expect(parseMoney('١٫٥٠', 2)).toBe(150); // Arabic-Indic, Arabic decimal separator
    expect(parseMoney('۳', 2)).toBe(300); // Extended Arabic-Indic (Persian, Urdu)
    expect(parseMoney('१.५', 2)).toBe(150); // Devanagari
    expect(parseMoney('９,９９', 2)).toBe(999); // full-width
    expect(parseMoney('٠', 2)).toBeNull();
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
