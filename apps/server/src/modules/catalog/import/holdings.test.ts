import { describe, expect, it } from 'vitest';
import { record } from '../normalize/marc-fixtures.js';
import { extractHoldings, HOLDINGS_MAPPINGS, holdingsMapping } from './holdings.js';

const book = (lines: string[]) => record('00000cam a2200000 a 4500', ['001 H', ...lines]);

describe('copies read from holdings fields', () => {
  it('reads Koha 952 statuses: withdrawn, lost, damaged, not for loan (first that applies), else available', () => {
    const items = extractHoldings(
      book([
        '952 __$pK1$0 0$10$40$70',
        '952 __$pK2$01',
        '952 __$pK3$12',
        '952 __$pK4$41',
        '952 __$pK5$7-1',
        '952 __$pK6$71$41$11$02',
        '952 __$pK7$71$41',
        '952 __$pK8$q2026-12-01',
        '952 __$pK9',
      ]),
    );
    expect(items.map((i) => [i.barcode, i.status])).toEqual([
      ['K1', 'available'],
      ['K2', 'withdrawn'],
      ['K3', 'lost'],
      ['K4', 'damaged'],
      ['K5', 'not_for_loan'],
      ['K6', 'withdrawn'],
      ['K7', 'damaged'],
      // A due date ($q) makes no loan: the copy is imported as the others are.
      ['K8', 'available'],
      ['K9', 'available'],
    ]);
  });

  it('reads 852: barcode $p, call number $h and $i, location $c, item type $t, branch $b; no status', () => {
    expect(extractHoldings(book(['852 0_$bEAST$cREF$hQA76$i.K58$pC0001$tBK', '852 0_$bEAST$hQA77']))).toEqual([
      { barcode: 'C0001', callNumber: 'QA76 .K58', location: 'REF', itemType: 'BK', branchCode: 'EAST', status: null },
    ]);
  });

  it('reads 949: barcode $i, call number $a, location $l, item type $t, branch $m; no status', () => {
    expect(extractHoldings(book(['949 __$a823.914 LEG$i3100042$lADULT$tBOOK$mWEST$01']))).toEqual([
      {
        barcode: '3100042',
        callNumber: '823.914 LEG',
        location: 'ADULT',
        itemType: 'BOOK',
        branchCode: 'WEST',
        status: null,
      },
    ]);
  });

  it('takes the first of 952, 852 and 949 present unless told which field, or none', () => {
    const both = book(['852 0_$pFROM852$hA1', '949 __$iFROM949$aB2']);
    expect(extractHoldings(both).map((i) => i.barcode)).toEqual(['FROM852']);
    expect(extractHoldings(both, HOLDINGS_MAPPINGS['949']).map((i) => i.barcode)).toEqual(['FROM949']);
    expect(extractHoldings(both, holdingsMapping('949')).map((i) => i.barcode)).toEqual(['FROM949']);
    expect(extractHoldings(both, holdingsMapping('952'))).toEqual([]);
    expect(extractHoldings(both, holdingsMapping('none'))).toEqual([]);
    expect(holdingsMapping('auto')).toBeUndefined();
  });
});
