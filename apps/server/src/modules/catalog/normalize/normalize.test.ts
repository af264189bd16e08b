import { describe, expect, it } from 'vitest';
import { normalizeIsbn, normalizeIssn, normalizeLccn, normalizeOclc } from './identifiers.js';
import { record, sharedRecords } from './marc-fixtures.js';
import { normalizeMarc21 } from './marc21.js';
import { normalizeUnimarc } from './unimarc.js';

describe('identifiers', () => {
  it.each([
    ['0-306-40615-2', '9780306406157'],
    ['0306406152 (pbk.)', '9780306406157'],
    ['978-0-306-40615-7', '9780306406157'],
    ['9780306406157 : $25.00', '9780306406157'],
    ['0-306-40615-3', null],
    ['not an isbn', null],
  ])('normalizes ISBN %s → %s', (raw, expected) => expect(normalizeIsbn(raw)).toBe(expected));

  it('checks ISSN check digits', () => {
    expect(normalizeIssn('0378-5955')).toBe('0378-5955');
    expect(normalizeIssn('03785955')).toBe('0378-5955');
    expect(normalizeIssn('0378-5954')).toBeNull();
    expect(normalizeIssn('2434-561X')).toBe('2434-561X');
  });

  it('normalizes LCCNs as the LC standard says', () => {
    expect(normalizeLccn('n78-890351')).toBe('n78890351');
    expect(normalizeLccn('   85000002 ')).toBe('85000002');
    expect(normalizeLccn('2001-1114')).toBe('2001001114');
    expect(normalizeLccn('n 78-89035')).toBe('n78089035');
  });

  it('reads OCLC numbers only from (OCoLC) forms', () => {
    expect(normalizeOclc('(OCoLC)ocm00012345')).toBe('12345');
    expect(normalizeOclc('(OCoLC)1234567890')).toBe('1234567890');
    expect(normalizeOclc('(DLC)   85000002')).toBeNull();
    // Not an OCLC number, and too long a key for the index of matching keys.
    expect(normalizeOclc(`(OCoLC)${'7'.repeat(3000)}`)).toBeNull();
  });
});

describe('MARC 21 normalization', () => {
  const book = record('01234cam a2200349 a 4500', [
    '001 ocm00012345',
    '008 850101s1984    nyua   j      000 1 eng d',
    '010 __$a   84001234 ',
    '020 __$a0-306-40615-2 (pbk.) :$c$9.95',
    '020 __$z0306406153',
    '035 __$a(OCoLC)ocm00012345',
    '041 1_$aengfre$hger',
    '082 04$a813/.54$222',
    '050 00$aPS3563.A3$bW5 1984',
    '100 1_$aLe Guin, Ursula K.,$d1929-2018,$eauthor.',
    '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin ; illustrated by Ruth Robbins.',
    '250 __$a1st ed.',
    '264 _1$aNew York :$bAtheneum,$c[1984]',
    '300 __$a205 p. :$bill. ;$c22 cm.',
    '490 1_$aEarthsea cycle ;$v1',
    '520 __$aA boy grows up to be a wizard.',
    '650 _0$aWizards$vFiction.',
    '650 _7$aMagie$2gnd',
    '700 1_$aRobbins, Ruth,$eillustrator.',
    '830 _0$aEarthsea cycle ;$v1.',
    '856 42$3Cover image$uhttps://covers.example.org/1.jpg',
  ]);
  const n = normalizeMarc21(book);

  it('reads title, sort title (non-filing characters), responsibility', () => {
    expect(n.title).toBe('The wizard of Earthsea');
    expect(n.sortTitle).toBe('wizard of Earthsea');
    expect(n.responsibility).toBe('Ursula K. Le Guin ; illustrated by Ruth Robbins');
  });

  it('reads authors with roles and dates, main entry first', () => {
    expect(n.authors).toEqual([
      {
        name: 'Le Guin, Ursula K.',
        dates: '1929-2018',
        kind: 'person',
        roles: ['author'],
        main: true,
        altScript: null,
      },
      { name: 'Robbins, Ruth', dates: null, kind: 'person', roles: ['illustrator'], main: false, altScript: null },
    ]);
  });

  it('reads identifiers: valid ISBNs as ISBN-13, invalid ones apart, LCCN and OCLC number', () => {
    expect(n.isbns).toEqual(['9780306406157']);
    expect(n.invalidIsbns).toEqual(['0306406153']);
    expect(n.lccn).toBe('84001234');
    expect(n.oclcNumbers).toEqual(['12345']);
  });

  it('gives an http: cover image as https: (images load from https: only), other http: links as written', () => {
    const links = normalizeMarc21(
      record('00000nam a2200000 i 4500', [
        '245 00$aCovers',
        '856 42$3Cover image$uhttp://covers.example.org/2.jpg',
        '856 4_$zCOVER$uHTTP://Images.example.org/3.jpg',
        '856 40$3Cover image$uhttps://covers.example.org/4.jpg',
        '856 41$3Table of contents$uhttp://toc.example.org/5.html',
        '856 42$uhttp://related.example.org/',
      ]),
    ).links;
    expect(links).toEqual([
      { url: 'https://covers.example.org/2.jpg', label: 'Cover image', kind: 'cover' },
      { url: 'https://Images.example.org/3.jpg', label: 'COVER', kind: 'cover' },
      { url: 'https://covers.example.org/4.jpg', label: 'Cover image', kind: 'cover' },
      { url: 'http://toc.example.org/5.html', label: 'Table of contents', kind: 'resource' },
      { url: 'http://related.example.org/', label: null, kind: 'related' },
    ]);
  });

  it('reads languages from 008 and packed 041 codes, year from 008, publication from 264', () => {
    expect(n.languages).toEqual(['eng', 'fre']);
    expect(n.year).toBe(1984);
    expect([n.place, n.publisher, n.dateText]).toEqual(['New York', 'Atheneum', '1984']);
  });

  it('reads subjects with their vocabularies, series, classification, links and the material type', () => {
    expect(n.subjects).toEqual([
      { heading: 'Wizards -- Fiction', kind: 'topic', vocabulary: 'lcsh' },
      { heading: 'Magie', kind: 'topic', vocabulary: 'gnd' },
    ]);
    expect(n.series).toEqual(['Earthsea cycle']);
    expect(n.classification.ddc).toEqual(['813.54']);
    expect(n.classification.lcc).toEqual(['PS3563.A3 W5 1984']);
    expect(n.links).toEqual([{ url: 'https://covers.example.org/1.jpg', label: 'Cover image', kind: 'cover' }]);
    expect(n.materialType).toBe('book');
    expect(n.edition).toBe('1st ed');
    expect(n.extent).toBe('205 p. : ill. ; 22 cm');
  });

  it("takes the record's languages from 041 $a and $d, not the original's ($h) or an intermediate one ($k)", () => {
    const translation = (f041: string) =>
      normalizeMarc21(record('00000cam a2200000 a 4500', ['008 990101s1999    fr            000 1 fre d', f041]));
    expect(translation('041 1_$afre$heng').languages).toEqual(['fre']);
    expect(translation('041 1_$afre$hjpn$keng').languages).toEqual(['fre']);
    expect(translation('041 1_$afre$bger$feng$gspa$jita').languages).toEqual(['fre']);
    expect(translation('041 0_$afre$deng').languages).toEqual(['fre', 'eng']);
  });

  it('links 880 alternate-script forms to their fields', () => {
    const r = record('00000cam a2200000 a 4500', [
      '008 990101s1999    ja            000 0 jpn d',
      '100 1_$6880-01$aNatsume, Sōseki,$d1867-1916.',
      '245 10$6880-02$aKusamakura /$cNatsume Sōseki.',
      '880 1_$6100-01/$1$a夏目漱石,$d1867-1916.',
      '880 10$6245-02/$1$a草枕 /$c夏目漱石.',
    ]);
    const out = normalizeMarc21(r);
    expect(out.authors[0]!.altScript).toBe('夏目漱石');
    expect(out.altTitles).toContain('草枕');
    expect(out.languages).toEqual(['jpn']);
  });

  describe('880 alternate-script forms of subjects, series, edition and publication (real records)', () => {
    it('Arabic: series, edition, publisher and place, without the Arabic comma and semicolon that end them', async () => {
      const [r] = await sharedRecords('marc/openlibrary/880_arabic_french_many_linkages.mrc');
      const n = normalizeMarc21(r!);
      // The 830 (authorized) form with its subseries ($p), then the 490 statement as on the item.
      expect(n.series).toEqual([
        'Manshūrāt Kullīyat al-Ādāb wa-al-ʻUlūm al-Insānīyah bi-al-Rabāṭ. Silsilat nadawāt wa-munāẓarāt',
        'Silsilat nadawāt wa-munāẓarāt',
      ]);
      expect(n.altSeries).toEqual([
        'منشورات كلية الآداب و العلوم الإنسانية بالرباط. سلسلة ندوات و مناظرات',
        'سلسلة ندوات و مناظرات',
      ]);
      expect(n.edition).toBe('al-Ṭabʻah 1');
      expect(n.altEdition).toBe('الطبعة 1');
      expect(n.place).toBe('Al-Ribāṭ, al-Maghrib');
      expect(n.altPlace).toBe('الرباط، المغرب');
      expect(n.publisher).toBe('Jāmiʻat Muḥammad al-Khāmis, Kullīyat al-Ādāb wa-al-ʻUlūm al-Insānīyah');
      expect(n.altPublisher).toBe('جامعة محمد الخامس، كلية الآداب و العلوم الانسانية');
      // Its subjects have no 880 forms: none is made up.
      expect(n.subjects.every((s) => s.altScript === undefined)).toBe(true);
    });

    it('Japanese: person and corporate subjects linked without a script code, and a uniform title', async () => {
      const records = await sharedRecords('marcxml/evergreen/concerto_bibs_graphic_880.xml');
      const n = normalizeMarc21(records[1]!);
      expect(n.subjects.slice(0, 3)).toEqual([
        {
          heading: 'Matsumoto, Shigeharu -- 1899-1989',
          kind: 'person',
          vocabulary: 'lcsh',
          altScript: '松本重治 -- 1899-1989',
        },
        { heading: 'Dōmei Tsūshinsha', kind: 'organization', vocabulary: 'lcsh', altScript: '同盟通信社' },
        { heading: 'Liberals -- Japan -- Biography', kind: 'topic', vocabulary: 'lcsh' },
      ]);
      expect(n.altTitles).toContain('松本重治伝');
      // No 880 for its series, edition or publication.
      expect([n.altSeries, n.altEdition, n.altPublisher, n.altPlace]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      // Chinese: a name/title subject and subdivisions (English in the 880 too), a topical one (脳).
      expect(normalizeMarc21(records[5]!).subjects.map((s) => s.altScript)).toEqual([
        '老子 -- 道德經',
        '老子 -- Criticism and interpretation',
        '老子 -- Caricatures and cartoons',
        undefined,
        undefined,
        undefined,
      ]);
      expect(normalizeMarc21(records[3]!).subjects.find((s) => s.heading === 'Nō')?.altScript).toBe('脳');
    });

    it('Russian: series from 490 and 830 once, publisher from the 880 linked to the 264 of publication', async () => {
      const [first, second] = await sharedRecords('marcxml/xbib-marc/cyrillic_capital_e.mrc.xml');
      const n = normalizeMarc21(first!);
      expect(n.altSeries).toEqual(['Большая литература. Проза Юрия Буйды']);
      // 264 _1 links 880-03; the unlinked 880 260-00 is another statement.
      expect([n.altPlace, n.altPublisher]).toEqual(['Москва', 'ЭКСМО']);
      // The first 260 links 880-02.
      expect(normalizeMarc21(second!).altPublisher).toBe('ЭКсмо');
    });

    it('Hebrew: an unlinked 880 260 (occurrence 00) of a record without a 260', async () => {
      const [r] = await sharedRecords('marc/openlibrary/880_publisher_unlinked.mrc');
      const n = normalizeMarc21(r!);
      expect([n.place, n.publisher]).toEqual([null, null]);
      expect([n.altPlace, n.altPublisher]).toEqual(['אור יהודה', 'כנרת']);
    });
  });

  it.each([
    ['00000cas a2200000 a 4500', [], 'serial'],
    ['00000cem a2200000 a 4500', [], 'map'],
    ['00000ccm a2200000 a 4500', [], 'score'],
    ['00000cjm a2200000 a 4500', [], 'music'],
    ['00000cim a2200000 a 4500', [], 'audiobook'],
    ['00000cgm a2200000 a 4500', [], 'video'],
    ['00000cam a2200000 a 4500', ['007 cr |||||||||||'], 'ebook'],
    ['00000cam a2200000 a 4500', ['008 990101s1999    xxu     o     000 0 eng d'], 'ebook'],
    ['00000cmm a2200000 a 4500', [], 'software'],
    ['00000com a2200000 a 4500', [], 'kit'],
    ['00000cpc a2200000 a 4500', [], 'mixed'],
    ['00000clm a2200000 a 4500', [], 'other'], // UNIMARC's electronic resource, not a MARC 21 code
  ])('derives the material type from leader %s and 007/008', (leader, lines, expected) => {
    expect(normalizeMarc21(record(leader, [...lines, '245 00$aX'])).materialType).toBe(expected);
  });
});

describe('UNIMARC normalization', () => {
  it('maps UNIMARC fields to the same catalogue fields', () => {
    const r = record('00000nam0 2200000   450 ', [
      '001 RU/NLR/123',
      '010 __$a5-7516-0197-1$d20 р.',
      '100 __$a19980101d1998    k  y0rusy50      ca',
      '101 0_$arus',
      '200 1_$aВойна и мир$eроман$fЛев Толстой',
      '205 __$a2-е изд.',
      '210 __$aМосква$cХудожественная литература$d1998',
      '215 __$a1300 с.$d21 см',
      '225 1_$aБиблиотека классики',
      '330 __$aЭпопея о войне 1812 года.',
      '606 __$aРусская литература$xРоманы$2bbkt',
      '675 __$a821.161.1',
      '686 __$a84(2Рос=Рус)1$2rubbk',
      '700 _1$aТолстой$bЛ. Н.$f1828-1910$4070',
    ]);
    const n = normalizeUnimarc(r);
    expect(n.title).toBe('Война и мир');
    expect(n.subtitle).toBe('роман');
    expect(n.responsibility).toBe('Лев Толстой');
    expect(n.isbns).toEqual(['9785751601973']);
    expect(n.languages).toEqual(['rus']);
    expect(n.year).toBe(1998);
    expect([n.place, n.publisher, n.edition]).toEqual(['Москва', 'Художественная литература', '2-е изд']);
    expect(n.authors).toEqual([
      { name: 'Толстой, Л. Н.', dates: '1828-1910', kind: 'person', roles: ['author'], main: true, altScript: null },
    ]);
    expect(n.subjects).toEqual([{ heading: 'Русская литература -- Романы', kind: 'topic', vocabulary: 'bbkt' }]);
    expect(n.classification.udc).toEqual(['821.161.1']);
    expect(n.classification.bbk).toEqual(['84(2Рос=Рус)1']);
    expect(n.series).toEqual(['Библиотека классики']);
    expect(n.materialType).toBe('book');
  });

  it.each([
    ['00000nam0 2200000   450 ', null, 'book'],
    ['00000nam0 2200000   450 ', 'Электронный ресурс', 'ebook'],
    ['00000nlm0 2200000   450 ', null, 'ebook'],
    ['00000nlm0 2200000   450 ', 'Ressource électronique', 'ebook'],
    ['00000nls0 2200000   450 ', null, 'serial'],
    ['00000nla0 2200000   450 ', null, 'article'],
    ['00000nmm0 2200000   450 ', null, 'kit'],
    ['00000nbm0 2200000   450 ', null, 'manuscript'],
    ['00000ngm0 2200000   450 ', null, 'video'],
    ['00000njm0 2200000   450 ', null, 'music'],
    ['00000nrm0 2200000   450 ', null, 'object'],
  ])('derives the material type from UNIMARC leader %s and GMD %s', (leader, gmd, expected) => {
    const r = record(leader, [`200 1_$aX${gmd ? `$b${gmd}` : ''}`]);
    expect(normalizeUnimarc(r).materialType).toBe(expected);
  });
});
