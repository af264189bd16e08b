import { describe, expect, it } from 'vitest';
import { MATCH_REASONS, readMatchReason, sameIdentifierReason, yearsApartReason } from './vocabulary.js';

// The sentences the server writes (clustering/keys.ts, the staff decisions).
describe('reading a stored match reason', () => {
  it('knows the identifier matches with their kind and value', () => {
    expect(readMatchReason('same ISBN 9780306406157')).toEqual({
      key: 'sameIdentifier',
      kind: 'ISBN',
      value: '9780306406157',
    });
    expect(readMatchReason('same OCLC 12345')).toMatchObject({ kind: 'OCLC', value: '12345' });
  });

  it('knows the title and author matches, with the years between the dates', () => {
    expect(readMatchReason('title and author match, dates differ by 3')).toEqual({ key: 'yearsApart', count: 3 });
    expect(readMatchReason('title, author and date match')).toEqual({ key: 'titleAuthorDate' });
    expect(readMatchReason('title and author match, no date to compare')).toEqual({ key: 'titleAuthorNoDate' });
  });

  it('knows the staff decisions, undone ones included', () => {
    expect(readMatchReason('kept in its work by a staff decision')).toEqual({ key: 'staffKept' });
    expect(readMatchReason('returned to this work by a staff decision (a merge undone)')).toEqual({
      key: 'mergeUndone',
    });
  });

  it('leaves a sentence it does not know alone', () => {
    expect(readMatchReason('same work, said the cataloguer')).toBeNull();
    expect(readMatchReason('title and author match, dates differ by many')).toBeNull();
  });
});

describe('the match reasons the server writes', () => {
  it('are each read back', () => {
    for (const [key, text] of Object.entries(MATCH_REASONS)) expect(readMatchReason(text)).toEqual({ key });
    expect(readMatchReason(sameIdentifierReason('lccn', '2001012345'))).toEqual({
      key: 'sameIdentifier',
      kind: 'LCCN',
      value: '2001012345',
    });
    expect(readMatchReason(yearsApartReason(12))).toEqual({ key: 'yearsApart', count: 12 });
  });
});
