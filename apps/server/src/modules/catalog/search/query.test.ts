import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';

describe('search query parsing', () => {
  it('splits fielded terms, quoted phrases and plain words', () => {
    expect(parseQuery('wizard author:"Le Guin" title:earthsea')).toMatchObject({
      clauses: [
        { field: 'any', text: 'wizard', phrase: false },
        { field: 'author', text: 'le guin', phrase: true },
        { field: 'title', text: 'earthsea', phrase: false },
      ],
    });
  });

  it('recognises ISBNs in any form, fielded or bare', () => {
    expect(parseQuery('isbn:0-306-40615-2').isbns).toEqual(['9780306406157']);
    expect(parseQuery('978-0-306-40615-7').isbns).toEqual(['9780306406157']);
    expect(parseQuery('0306406152').isbns).toEqual(['9780306406157']);
  });

  it('takes an "ISBN" label before an ISBN as labelling it, not as a word', () => {
    for (const q of [
      'ISBN 978-0-306-40615-7',
      'ISBN: 0306406152',
      'isbn 0306406152',
      'ISBN-13: 978-0-306-40615-7',
      'ISBN-10: 0-306-40615-2',
      'isbn-10 0306406152',
      'ISBN:0306406152',
    ]) {
      expect(parseQuery(q), q).toMatchObject({ clauses: [], isbns: ['9780306406157'], words: [] });
    }
  });

  it('keeps "ISBN" as a word when no ISBN follows it', () => {
    expect(parseQuery('isbn').clauses).toEqual([{ field: 'any', text: 'isbn', phrase: false }]);
    expect(parseQuery('ISBN rules').clauses.map((c) => c.text)).toEqual(['isbn', 'rules']);
    expect(parseQuery('ISBN 12345').clauses.map((c) => c.text)).toEqual(['isbn', '12345']);
  });

  it('recognises a bare ISBN-10 ending in an X check digit, upper or lower case', () => {
    expect(parseQuery('080442957X')).toMatchObject({ clauses: [], isbns: ['9780804429573'] });
    expect(parseQuery('080442957x')).toMatchObject({ clauses: [], isbns: ['9780804429573'] });
    expect(parseQuery('0-8044-2957-X').isbns).toEqual(['9780804429573']);
  });

  it('searches digit strings that fail the ISBN check as text', () => {
    expect(parseQuery('0306406153')).toMatchObject({ isbns: [], clauses: [{ text: '0306406153' }] });
    expect(parseQuery('080442957Y').isbns).toEqual([]);
    expect(parseQuery('080442958X')).toMatchObject({ isbns: [], clauses: [{ text: '080442958x' }] });
    // Labelled, it is searched among the ISBNs as typed (a record's invalid ISBNs are indexed).
    expect(parseQuery('ISBN: 0-306-40615-3')).toMatchObject({ isbns: [], clauses: [{ text: '0306406153' }] });
  });

  it('reads years and year ranges', () => {
    expect(parseQuery('year:1984')).toMatchObject({ yearFrom: 1984, yearTo: 1984 });
    expect(parseQuery('year:1960-1970')).toMatchObject({ yearFrom: 1960, yearTo: 1970 });
    expect(parseQuery('year:..1900')).toMatchObject({ yearFrom: null, yearTo: 1900 });
  });

  it('makes CJK words phrase searches over bigrams and folds Arabic', () => {
    expect(parseQuery('人民共和').clauses).toEqual([{ field: 'any', text: '人民 民共 共和', phrase: true }]);
    expect(parseQuery('مكتبة').clauses[0]!.text).toBe('مكتبه');
  });
});
