import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../normalize/unimarc.js';
import { record } from '../normalize/marc-fixtures.js';
import { MAX_SEARCH_TEXT, searchDoc } from './search-doc.js';

describe('searchDoc', () => {
  it('keeps each weight within what a search vector can hold, identifiers before a long note', () => {
    const note = Array.from({ length: 40_000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const doc = searchDoc(
      normalizeRecord(
        record('00000cam a2200000 a 4500', [
          '001 long-1',
          '020 __$a9780441013593',
          `245 10$aDune ${note}`,
          `500 __$a${note}`,
          `650 _0$a${note}`,
        ]),
        'marc21',
      ),
    );
    expect(doc.a).toHaveLength(MAX_SEARCH_TEXT.a);
    expect(doc.c).toHaveLength(MAX_SEARCH_TEXT.c);
    expect(doc.d).toHaveLength(MAX_SEARCH_TEXT.d);
    expect(doc.a.startsWith('dune w0 w1 ')).toBe(true);
    expect(doc.d).toContain('9780441013593');
  });

  it('leaves a record of ordinary length whole', () => {
    const doc = searchDoc(
      normalizeRecord(record('00000cam a2200000 a 4500', ['245 10$aDune /$cFrank Herbert.']), 'marc21'),
    );
    expect(doc.a).toBe('dune');
  });
});
