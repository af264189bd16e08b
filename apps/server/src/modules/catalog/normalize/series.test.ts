import { describe, expect, it } from 'vitest';
import { searchDoc } from '../search/search-doc.js';
import { record, sharedRecords } from './marc-fixtures.js';
import { normalizeMarc21 } from './marc21.js';
import { normalizeUnimarc } from './unimarc.js';

// Series in the normalized record: the authorized access points (MARC 21 800/810/811/830), the
// obsolete 440 (both statement and access point) and the 490 statements as on the item, each
// series once; volume numbers ($v) are never part of a series title.

const marc21 = (...lines: string[]) =>
  normalizeMarc21(record('00000cam a2200000 i 4500', ['245 00$aA book', ...lines]));
const unimarc = (...lines: string[]) =>
  normalizeUnimarc(record('00000nam0 2200000   450 ', ['200 1_$aUn livre', ...lines]));

describe('MARC 21 series', () => {
  it('reads a 440 (series statement and added entry, obsolete since 2008), with its number and name of part', () => {
    expect(marc21('440 _0$aIFIP transactions.$nB,$pApplications in technology,$x0926-5481 ;$vB-5').series).toEqual([
      'IFIP transactions. B, Applications in technology',
    ]);
    expect(marc21('440 _0$aNouvelle bibliothèque littéraire').series).toEqual(['Nouvelle bibliothèque littéraire']);
  });

  it('keeps a 490 traced differently (first indicator 1) beside the 830 that traces it', () => {
    const n = marc21('490 1_$aDepartment of the Army pamphlet ;$v27-50', '830 _0$aDA pam ;$v27-50.');
    expect(n.series).toEqual(['DA pam', 'Department of the Army pamphlet']);
  });

  it('lists a series once when the 490 and the 8XX give it alike (case, punctuation, a leading article aside)', () => {
    expect(marc21('490 1_$aG. Schirmer opera anthology', '830 _0$aG. Schirmer Opera Anthology.').series).toEqual([
      'G. Schirmer Opera Anthology',
    ]);
    expect(
      marc21(
        '490 1_$aThe Pediatric clinics of North America ;$vv. 2, no. 4',
        '830 _4$aPediatric clinics of North America ;$vv. 2, no. 4',
      ).series,
    ).toEqual(['Pediatric clinics of North America']);
  });

  it('reads 830 $n and $p (a numbered subseries) and each $a of a 490 (series and subseries)', () => {
    const n = marc21(
      '490 1_$aDepartment of State publication ;$v7846.$aDepartment and Foreign Service series ;$v128',
      '830 _0$aDepartment of State publication ;$v7846.',
      '830 _0$aDepartment of State publication.$pDepartment and Foreign Service series ;$v128.',
    );
    expect(n.series).toEqual([
      'Department of State publication',
      'Department of State publication. Department and Foreign Service series',
      'Department and Foreign Service series',
    ]);
  });

  it('reads 800/810/811 name-title series with the name, and a 490 giving only its title once', () => {
    expect(
      marc21(
        '490 1_$aThe Lord of the rings / J.R.R. Tolkien ;$vpt. 1',
        '800 1_$aTolkien, J. R. R.$q(John Ronald Reuel),$d1892-1973.$tLord of the rings.$pFellowship of the ring ;$vpt. 1',
      ).series,
    ).toEqual([
      'Tolkien, J. R. R. (John Ronald Reuel), 1892-1973. Lord of the rings. Fellowship of the ring',
      'The Lord of the rings / J.R.R. Tolkien',
    ]);
    // The relator code of the name is no part of the series; the 490 is the 800's title.
    expect(marc21('490 1_$aDark wonderland$v[2]', '800 1_$aHoward, A. G.$4aut$tDark wonderland$v[2]').series).toEqual([
      'Howard, A. G. Dark wonderland',
    ]);
    expect(
      marc21(
        '490 1_$aBrookings studies in social experimentation',
        '810 2_$aBrookings Institution, Washington, D.C.$tBrookings studies in social experimentation.',
      ).series,
    ).toEqual(['Brookings Institution, Washington, D.C. Brookings studies in social experimentation']);
    // 811: $n before $t numbers the meeting, after it the part.
    expect(
      marc21('811 2_$aSymposium on Nuclear Physics$n(5th :$d1962 :$cOak Ridge).$tProceedings.$nPart 2 ;$vv. 3').series,
    ).toEqual(['Symposium on Nuclear Physics (5th : 1962 : Oak Ridge). Proceedings. Part 2']);
  });

  it('lists an untraced 490 (first indicator 0) beside an 8XX of another series, and a 440 beside an 830', () => {
    expect(marc21('490 0_$aPelican books ;$v12', '830 _0$aPenguin modern classics.').series).toEqual([
      'Penguin modern classics',
      'Pelican books',
    ]);
    expect(marc21('440 _4$aThe decade series', '830 _0$aDE (Series)').series).toEqual([
      'DE (Series)',
      'The decade series',
    ]);
  });

  it('gives the 880 forms of 440, 490 and 8XX once each, as the romanized ones', () => {
    const n = marc21(
      '440 _0$6880-01$aMaktabat al-dirāsāt al-fikrīyah',
      '490 1_$6880-02$aSilsilat nadawāt wa-munāẓarāt ;$vraqm 160',
      '830 _0$6880-03$aManshūrāt Kullīyat al-Ādāb.$pSilsilat nadawāt wa-munāẓarāt ;$vraqm 160.',
      '880 _0$6440-01/(3/r$aمكتبة الدراسات الفكرية،',
      '880 1_$6490-02/(3/r$aسلسلة ندوات و مناظرات ؛$vرقم 160',
      '880 _0$6830-03/(3/r$aمنشورات كلية الآداب.$pسلسلة ندوات و مناظرات ؛$vرقم 160.',
      '880 1_$6490-00/(3/r$aسلسلة ندوات ومناظرات',
    );
    expect(n.series).toEqual([
      'Manshūrāt Kullīyat al-Ādāb. Silsilat nadawāt wa-munāẓarāt',
      'Maktabat al-dirāsāt al-fikrīyah',
      'Silsilat nadawāt wa-munāẓarāt',
    ]);
    expect(n.altSeries).toEqual([
      'منشورات كلية الآداب. سلسلة ندوات و مناظرات',
      'مكتبة الدراسات الفكرية',
      'سلسلة ندوات و مناظرات',
      'سلسلة ندوات ومناظرات',
    ]);
  });

  it('an 880 of an 800 gives the name-title in the original script', () => {
    const n = marc21(
      '800 1_$6880-01$aBuĭda, I͡Uriĭ.$tBolʹshai͡a literatura.',
      '880 1_$6800-01/(N$aБуйда, Юрий.$tБольшая литература.',
    );
    expect(n.series).toEqual(['Buĭda, I͡Uriĭ. Bolʹshai͡a literatura']);
    expect(n.altSeries).toEqual(['Буйда, Юрий. Большая литература']);
  });

  it('reaches the search document (weight C) once each, the 490 statement included', () => {
    const doc = searchDoc(
      marc21('490 1_$aDepartment of the Army pamphlet ;$v27-50', '830 _0$aDA pam ;$v27-50.', '440 _0$aDA pam.'),
    );
    expect(doc.c).toBe('da pam department of the army pamphlet');
    const same = searchDoc(marc21('490 1_$aEarthsea cycle ;$v1', '830 _0$aEarthsea cycle ;$v1.'));
    expect(same.c).toBe('earthsea cycle');
  });
});

describe('ISSNs of series', () => {
  it('keeps the valid ISSNs of MARC 21 series fields apart from the record’s own, each once', () => {
    const n = marc21(
      '022 __$a0028-0836',
      '440 _0$aIFIP transactions.$x0926-5481 ;$vB-5',
      '490 1_$aLecture notes in mathematics,$x0075-8434 ;$v727',
      '830 _0$aLecture notes in mathematics (Springer-Verlag) ;$x0075-8434 ;$v727.',
      '490 0_$aAnother series,$x1234-5678',
      '490 0_$aA serial in its own series,$x0028-0836',
    );
    // 1234-5678 fails its check digit.
    expect(n.seriesIssns).toEqual(['0075-8434', '0926-5481']);
    expect(n.issns).toEqual(['0028-0836']);
    expect(marc21('490 0_$aNo number').seriesIssns).toBeUndefined();
  });

  it('keeps those of UNIMARC 225 and 410', () => {
    const n = unimarc('225 2_$aQue sais-je ?$x0768-0066$v232', '410 _1$tRéférences$x1639-4968$v3');
    expect(n.seriesIssns).toEqual(['0768-0066', '1639-4968']);
  });

  it('reach the search document with the record’s own ISSNs, with and without the hyphen', () => {
    const doc = searchDoc(marc21('022 __$a0028-0836', '490 0_$aLecture notes in mathematics,$x0075-8434'));
    expect(doc.d.split(' ')).toEqual(expect.arrayContaining(['0028-0836', '00280836', '0075-8434', '00758434']));
  });
});

describe('MARC 21 series of real records (../shared/data)', () => {
  it('a 440 and its 880 (Chinese), and 490s traced by an 800 and an 830', async () => {
    const records = await sharedRecords('marcxml/evergreen/concerto_bibs_graphic_880.xml');
    const laozi = normalizeMarc21(records[5]!);
    expect(laozi.series).toEqual(['Cai Zhizhong man hua zhong ying wen ban']);
    expect(laozi.altSeries).toEqual(['蔡志忠漫画中英文版']);
    // 490 1_ "Year four at Hogwarts", 490 1_ "Harry Potter: Year four at Hogwarts",
    // 800 "Rowling, J. K. $tYear ... at Hogwarts", 830 "Harry Potter: Year four at Hogwarts".
    expect(normalizeMarc21(records[6]!).series).toEqual([
      'Harry Potter: Year four at Hogwarts',
      'Rowling, J. K. Year ... at Hogwarts',
      'Year four at Hogwarts',
    ]);
  });

  it('a 490 traced differently by an 830 (Library of Congress record)', async () => {
    const [r] = await sharedRecords('marc/openlibrary/830_series.mrc');
    expect(normalizeMarc21(r!).series).toEqual([
      'Economic series (Nihon Gakujutsu Kaigi. Dai 3-bu)',
      'The Science Council of Japan. Division of Economics, Commerce & Business Administration. Economic series no. 46',
    ]);
  });
});

describe('UNIMARC series', () => {
  it('reads 225 $a with its number and name of part ($h, $i) and parallel title ($d), without the volume', () => {
    expect(unimarc('225 00$aMonde en cours.$iSérie Essai').series).toEqual(['Monde en cours. Série Essai']);
    expect(unimarc('225 2_$aCahiers$hB$iSciences humaines$dPapers$v12').series).toEqual([
      'Cahiers B Sciences humaines',
      'Papers',
    ]);
  });

  it('reads the title of a 410, not its author ($a in standard subfields, an embedded 700)', () => {
    expect(unimarc('410 _1$aInsee$tRéférences$x1639-4968$v3').series).toEqual(['Références']);
    expect(
      unimarc('410 _0$1001IT\\ICCU\\RMS\\1881044$17001 $aAsimov$bIsaac$12001 $aIl ciclo delle fondazioni$v4').series,
    ).toEqual(['Il ciclo delle fondazioni']);
    // The embedded form without a tag some records have.
    expect(unimarc('410 __$1$aRapport annuel$xISSN 1632-420X').series).toEqual(['Rapport annuel']);
  });

  it('lists a 410 giving the 225 once', () => {
    expect(unimarc('225 20$aQue sais-je ?$v232', '410 _1$tQue sais-je?$x0768-0066$v232').series).toEqual([
      'Que sais-je ?',
    ]);
  });
});
