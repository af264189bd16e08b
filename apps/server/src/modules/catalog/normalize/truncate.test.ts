import { describe, expect, it } from 'vitest';
import { truncated } from './truncate.js';

describe('truncated', () => {
  it('keeps text that fits, and cuts longer text to the limit', () => {
    expect(truncated('short', 10)).toBe('short');
    expect(truncated('abcdefghij', 4)).toBe('abcd');
  });

  it('never splits a surrogate pair', () => {
    // "𝔸" is two UTF-16 units: a cut between them would leave half a character.
    expect(truncated('ab𝔸cd', 3)).toBe('ab');
    expect(truncated('ab𝔸cd', 4)).toBe('ab𝔸');
  });
});
