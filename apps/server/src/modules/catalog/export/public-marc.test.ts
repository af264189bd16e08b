import { describe, expect, it } from 'vitest';
import { record } from '../normalize/marc-fixtures.js';
import { publicMarc } from './public-marc.js';

const tags = (r: ReturnType<typeof record>) => r.fields.map((f) => `${f.tag}${'ind1' in f ? f.ind1 : ''}`);

describe('publicMarc', () => {
  it('drops a MARC 21 record’s copies, local fields and private notes, and keeps the rest', () => {
    const stored = record('00000cam a2200000 a 4500', [
      '001 P1',
      '008 850101s1968    cau           000 1 eng d',
      '245 10$aA title.',
      '541 0_$aGift of a donor, her address.',
      '541 1_$aPurchased from a bookshop.',
      '561 0_$aPrivate provenance.',
      '561 1_$aFrom the library of a poet.',
      '583 0_$aWithdrawn, damaged.',
      '590 __$aSigned by the author.',
      '852 __$aLIB$hPZ7$p31234',
      '876 __$p31234$c$12.00',
      '942 __$cBK',
      '952 __$pEXP-1$gprice$xnot for the public',
      '999 __$c42',
    ]);
    const before = tags(stored);
    expect(tags(publicMarc(stored))).toEqual(['001', '008', '2451', '5411', '5611', '590 ']);
    expect(tags(stored)).toEqual(before);
  });

  it('keeps a UNIMARC 541 with first indicator 0 (a translated title there) and drops its 9XX', () => {
    const unimarc = record('00000nam  2200000   450 ', [
      '001 U1',
      '200 1_$aVoyna i mir',
      '541 0_$aWar and peace',
      '995 __$bLIB$fBARCODE1',
    ]);
    expect(tags(publicMarc(unimarc))).toEqual(['001', '2001', '5410']);
  });

  it('gives the record itself when nothing is dropped', () => {
    const plain = record('00000cam a2200000 a 4500', ['001 P2', '245 10$aPlain.']);
    expect(publicMarc(plain)).toBe(plain);
  });
});
