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
