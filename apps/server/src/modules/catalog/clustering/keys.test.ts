import type { NormalizedRecord } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { clusterKeys, scoreMatch, titleKey } from './keys.js';

const base: NormalizedRecord = {
  title: 'The wizard of Earthsea',
  sortTitle: 'wizard of Earthsea',
  subtitle: null,
  responsibility: null,
  altTitles: [],
  authors: [
    { name: 'Le Guin, Ursula K.', dates: null, kind: 'person', roles: ['author'], main: true, altScript: null },
  ],
  subjects: [],
  isbns: ['9780306406157'],
  invalidIsbns: [],
  issns: [],
  lccn: null,
  oclcNumbers: ['12345'],
  languages: ['eng'],
  year: 1984,
  dateText: null,
  publisher: null,
  place: null,
  edition: null,
  series: [],
  extent: null,
  materialType: 'book',
  classification: { ddc: [], udc: [], lcc: [], bbk: [] },
  summary: null,
  notes: [],
  links: [],
};

describe('cluster keys', () => {
  it('folds titles: accents, punctuation, case and leading articles', () => {
    expect(titleKey('Les Misérables!')).toBe('miserables');
    expect(titleKey('The  Wizard: of Earthsea')).toBe('wizard of earthsea');
  });

  it('keys a record by identifiers and by title + first author surname', () => {
    expect(clusterKeys(base)).toEqual({
      identifiers: ['isbn:9780306406157', 'oclc:12345'],
      titleAuthor: 'wizard of earthsea|le guin',
      year: 1984,
    });
  });

  it('explains every match with a score and a reason', () => {
    const keys = clusterKeys(base);
    expect(scoreMatch(keys, { identifiers: ['isbn:9780306406157'], titleAuthor: null, years: [] })).toEqual({
      score: 1,
      reason: 'same ISBN 9780306406157',
    });
    expect(scoreMatch(keys, { identifiers: [], titleAuthor: 'wizard of earthsea|le guin', years: [1985] })).toEqual({
      score: 0.83,
      reason: 'title and author match, dates differ by 1',
    });
    expect(
      scoreMatch(keys, { identifiers: [], titleAuthor: 'wizard of earthsea|le guin', years: [1984] })?.reason,
    ).toBe('title, author and date match');
    expect(
      scoreMatch(keys, { identifiers: ['isbn:9999999999999'], titleAuthor: 'tombs of atuan|le guin', years: [1984] }),
    ).toBeNull();
  });

  it('never matches on a title alone when there is no author', () => {
    const anonymous = clusterKeys({ ...base, authors: [], isbns: [], oclcNumbers: [] });
    expect(scoreMatch(anonymous, { identifiers: [], titleAuthor: 'wizard of earthsea|', years: [1984] })).toBeNull();
  });
});
