import { describe, expect, it } from 'vitest';
import {
  forHoldReason,
  ILL_STATUSES,
  illStepReason,
  ITEM_CHANGE_REASONS,
  ITEM_STATUSES,
  markedReason,
  MATCH_REASONS,
  readItemChangeReason,
  readMatchReason,
  sameIdentifierReason,
  yearsApartReason,
} from './vocabulary.js';

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

describe("the reasons the server writes into a copy's history", () => {
  it('are each read back, with the hold, the inter-library step or the status they name', () => {
    for (const [key, text] of Object.entries(ITEM_CHANGE_REASONS)) expect(readItemChangeReason(text)).toEqual({ key });
    expect(
      readItemChangeReason(forHoldReason(ITEM_CHANGE_REASONS.checkIn, '0190a6b2-0000-7000-8000-000000000001')),
    ).toEqual({
      key: 'forHold',
      reason: 'checkIn',
    });
    for (const status of ILL_STATUSES)
      expect(readItemChangeReason(illStepReason(status))).toEqual({ key: 'ill', status });
    for (const status of ITEM_STATUSES)
      expect(readItemChangeReason(markedReason(status))).toEqual({ key: 'marked', status });
  });

  it('leaves what staff typed alone, even when it looks like one of them', () => {
    expect(readItemChangeReason('Patron says it went in the book drop')).toBeNull();
    expect(readItemChangeReason('marked by the dog')).toBeNull();
    expect(readItemChangeReason('inter-library loan: lost in the post')).toBeNull();
    expect(readItemChangeReason('water damage: hold 12')).toBeNull();
  });
});
