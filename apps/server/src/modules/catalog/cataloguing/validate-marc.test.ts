import fs from 'node:fs';
import path from 'node:path';
import { applyForm, formFromMarc, validateMarc, validateMarcEdit, type MarcRecordInput } from '@athenaeum/contracts';
import { readIso2709, readRecords, writeIso2709, type MarcRecord } from '@athenaeum/marc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { record } from '../normalize/marc-fixtures.js';

const LEADER = '00000nam a2200000 i 4500';
const F008 = '850101s1968    cau           000 1 eng d';

const codes = (r: MarcRecordInput, flavour: 'marc21' | 'unimarc' = 'marc21') =>
  validateMarc(r, flavour).map((p) => `${p.code}${p.field === undefined ? '' : `@${p.field}`}`);

describe('validateMarc (MARC 21)', () => {
  it('accepts a well-formed record', () => {
    const r = record(LEADER, [
      '001 W1',
      `008 ${F008}`,
      '020 __$a9780547773742',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
      '264 _1$aBoston :$bHoughton Mifflin,$c1968.',
      '650 _0$aWizards$vFiction.',
      '650 _0$aMagic$vFiction.',
    ]);
    expect(validateMarc(r)).toEqual([]);
  });

  it('lists every problem at once, with the field, tag, indicator and subfield it is about', () => {
    const r: MarcRecordInput = {
      leader: '00000nam a2200000 i 450',
      fields: [
        { tag: '001', value: 'A' },
        { tag: '001', value: 'B' },
        { tag: '008', value: 'short' },
        { tag: '24', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'x' }] },
        { tag: '100', ind1: 'X', ind2: ' ', subfields: [{ code: 'a', value: 'Name' }] },
        { tag: '245', ind1: '4', ind2: '0', subfields: [{ code: 'b', value: 'sub' }] },
        { tag: '500', ind1: ' ', ind2: ' ', subfields: [] },
        {
          tag: '650',
          ind1: ' ',
          ind2: '0',
          subfields: [
            { code: 'A', value: 'x' },
            { code: 'x', value: ' ' },
          ],
        },
        { tag: '005', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x' }] },
        { tag: '520', value: 'a summary' },
      ],
    };
    expect(validateMarc(r)).toEqual([
      { code: 'LEADER_LENGTH', value: '23', expected: '24' },
      { code: 'FIELD_NOT_REPEATABLE', field: 1, tag: '001' },
      { code: 'FIXED_FIELD_LENGTH', field: 2, tag: '008', value: '5', expected: '40' },
      { code: 'TAG_INVALID', field: 3, tag: '24', value: '24' },
      { code: 'INDICATOR_INVALID', field: 4, tag: '100', indicator: 1, value: 'X' },
      { code: 'INDICATOR_UNDEFINED', field: 5, tag: '245', indicator: 1, value: '4', expected: '01' },
      { code: 'SUBFIELDS_MISSING', field: 6, tag: '500' },
      { code: 'SUBFIELD_CODE_INVALID', field: 7, tag: '650', subfield: 0, value: 'A' },
      { code: 'SUBFIELD_EMPTY', field: 7, tag: '650', subfield: 1, subfieldCode: 'x' },
      { code: 'CONTROL_FIELD_EXPECTED', field: 8, tag: '005' },
      { code: 'DATA_FIELD_EXPECTED', field: 9, tag: '520' },
      { code: 'SUBFIELD_MISSING', field: 5, tag: '245', subfieldCode: 'a' },
    ]);
  });

  it('checks leader positions and asks for a 245', () => {
    const r = record('0000xnam a2200000 i 4500', ['100 1_$aName']);
    expect(codes({ ...r, leader: 'abcdeZam a2200000 i 4500' })).toEqual([
      'LEADER_POSITION',
      'LEADER_POSITION',
      'LEADER_POSITION',
      'LEADER_POSITION',
      'LEADER_POSITION',
      'LEADER_POSITION',
      'FIELD_MISSING',
    ]);
    expect(validateMarc(r).filter((p) => p.code === 'LEADER_POSITION')).toEqual([
      { code: 'LEADER_POSITION', position: 4, value: 'x', expected: '0-9' },
    ]);
  });

  it('250 and 260 may repeat; 245 may not', () => {
    const r = record(LEADER, [
      '245 00$aA',
      '245 00$aB',
      '250 __$a1st ed.',
      '250 __$a2nd ed.',
      '260 __$aX',
      '260 __$aY',
      // 384 Key became repeatable (a work in more than one key).
      '384 0_$aC major',
      '384 1_$aD major',
    ]);
    expect(codes(r)).toEqual(['FIELD_NOT_REPEATABLE@1']);
  });
});

describe('validateMarc (UNIMARC)', () => {
  it('asks for 200 $a and checks structure by UNIMARC rules', () => {
    const ok = record('00000nam  2200000   450 ', ['001 U1', '200 1_$aLe petit prince$fSaint-Exupéry']);
    expect(validateMarc(ok, 'unimarc')).toEqual([]);
    const bad = record('00000nam  2200000   450 ', ['200 1_$eonly a subtitle', '245 10$aMARC 21 title']);
    expect(codes(bad, 'unimarc')).toEqual(['SUBFIELD_MISSING@0']);
    expect(codes(record('00000nam  2200000   450 ', ['700 _1$aX']), 'unimarc')).toEqual(['FIELD_MISSING']);
  });

  it('lets 205 and 215 repeat (a book with its CD: a physical description each); 200 may not', () => {
    const kit = record('00000nam  2200000   450 ', [
      '001 U2',
      '200 1_$aLe petit prince',
      '200 1_$aThe little prince',
      '205 __$a2e éd.',
      '205 __$aÉd. illustrée',
      '215 __$a96 p.$cill.$d24 cm',
      '215 __$a1 disque compact (75 min)',
    ]);
    expect(codes(kit, 'unimarc')).toEqual(['FIELD_NOT_REPEATABLE@2']);
  });

  it('checks the record label by UNIMARC codes, leaving its undefined positions alone', () => {
    const fields = ['200 1_$aLe petit prince'];
    // pymarc's UNIMARC sample: hierarchical level 0, encoding level 3, ISBD form, "4500".
    expect(validateMarc(record('02498nam0 22007213i 4500', fields), 'unimarc')).toEqual([]);
    // A MARC 21 leader: 'a' at 9 and 18 is fine or undefined here, but 'a' is no UNIMARC form code,
    // and 'x' is no record status; a MARC 21 type 't' is no UNIMARC type of record.
    expect(validateMarc(record('00000xtm a2200000 a 4500', fields), 'unimarc')).toEqual([
      { code: 'LEADER_POSITION', position: 5, value: 'x', expected: 'cdnop' },
      { code: 'LEADER_POSITION', position: 6, value: 't', expected: 'abcdefgijklmr' },
      { code: 'LEADER_POSITION', position: 18, value: 'a', expected: ' in' },
    ]);
    expect(codes(record('00000nam9 2200000 9 350 ', fields), 'unimarc')).toEqual([
      'LEADER_POSITION',
      'LEADER_POSITION',
      'LEADER_POSITION',
    ]);
  });
});

describe('validateMarcEdit: only what the edit made blocks saving', () => {
  const stored = record(LEADER, [
    `008 ${F008}`,
    '100 __$aEllington, Duke.',
    '245 __$aJazz party.',
    '505 __$aTake the A train.',
    '700 1_$aStrayhorn, Billy.',
  ]);
  const split = (edited: MarcRecordInput) => {
    const { problems, warnings } = validateMarcEdit(edited, stored);
    const key = (p: { code: string; tag?: string; indicator?: number; field?: number }) =>
      `${p.code} ${p.tag} ${p.indicator ?? ''}@${p.field}`;
    return { problems: problems.map(key), warnings: warnings.map(key) };
  };

  it('tells the stored faults as warnings wherever they moved, and blocks the new ones', () => {
    expect(validateMarc(stored).length).toBe(4);
    const unchanged = split(stored);
    expect(unchanged.problems).toEqual([]);
    expect(unchanged.warnings.length).toBe(4);
    // A subject before the 505 moves its field index: still the old fault.
    const withSubject = record(LEADER, [
      `008 ${F008}`,
      '100 __$aEllington, Duke.',
      '245 __$aJazz party.',
      '500 __$aRecorded 1959.',
      '505 __$aTake the A train.',
      '650 _0$aJazz.',
      '700 1_$aStrayhorn, Billy.',
    ]);
    expect(split(withSubject)).toEqual({
      problems: [],
      warnings: [
        'INDICATOR_UNDEFINED 100 1@1',
        'INDICATOR_UNDEFINED 245 1@2',
        'INDICATOR_UNDEFINED 245 2@2',
        'INDICATOR_UNDEFINED 505 1@4',
      ],
    });
  });

  it('counts: a second field with the same fault, a fault on another tag and another wrong value are new', () => {
    const edited = record(LEADER, [
      `008 ${F008}`,
      '100 __$aEllington, Duke.',
      '245 _x$aJazz party.',
      '505 __$aTake the A train.',
      '505 __$aMood indigo.',
      '700 __$aStrayhorn, Billy.',
    ]);
    expect(split(edited)).toEqual({
      problems: ['INDICATOR_UNDEFINED 245 2@2', 'INDICATOR_UNDEFINED 505 1@4', 'INDICATOR_UNDEFINED 700 1@5'],
      warnings: ['INDICATOR_UNDEFINED 100 1@1', 'INDICATOR_UNDEFINED 245 1@2', 'INDICATOR_UNDEFINED 505 1@3'],
    });
  });

  it('a fault repaired is gone, and a new record (validateMarc) has every fault blocking', () => {
    const repaired = record(LEADER, [
      `008 ${F008}`,
      '100 1_$aEllington, Duke.',
      '245 10$aJazz party.',
      '505 0_$aTake the A train.',
      '700 1_$aStrayhorn, Billy.',
    ]);
    expect(split(repaired)).toEqual({ problems: [], warnings: [] });
    expect(validateMarcEdit(stored, { leader: '', fields: [] }).problems.length).toBe(4);
  });
});

describe('validateMarc: UNIMARC 210 (publication, distribution), as real records have it', () => {
  it('accepts several 210s and first indicators 0 (intervening) and 1 (current or latest publisher)', async () => {
    const records: MarcRecord[] = [];
    const file = path.join(SHARED_DATA, 'marc/xbib-marc/periouni.mrc');
    for await (const item of readRecords(fs.createReadStream(file), { format: 'unimarc' })) {
      if ('record' in item) records.push(item.record);
    }
    expect(records.length).toBe(3064);
    const of210 = (r: MarcRecord) => r.fields.filter((f) => f.tag === '210') as Array<{ ind1: string }>;
    const repeated = records.filter((r) => of210(r).length > 1);
    const latest = records.flatMap(of210).filter((f) => f.ind1 === '1');
    expect(repeated.length).toBe(184);
    expect(latest.length).toBe(14);
    // Across the file the only 210 problem left (beside empty subfields) is the one first indicator 2,
    // which UNIMARC does not define.
    const told = records.flatMap((r) =>
      validateMarc(r, 'unimarc').filter((p) => p.tag === '210' && p.code !== 'SUBFIELD_EMPTY'),
    );
    expect(told.map((p) => [p.code, p.indicator, p.value])).toEqual([['INDICATOR_UNDEFINED', 1, '2']]);
    // Values UNIMARC does not define for 210 are still told.
    const base = records.find((r) => of210(r).some((f) => f.ind1 === '1'))!;
    const at = base.fields.findIndex((f) => f.tag === '210');
    const wrong = { ...base, fields: base.fields.map((f, i) => (i === at ? { ...f, ind1: '2', ind2: '0' } : f)) };
    expect(validateMarc(wrong, 'unimarc').filter((p) => p.tag === '210')).toEqual([
      { code: 'INDICATOR_UNDEFINED', field: at, tag: '210', indicator: 1, value: '2', expected: ' 01' },
      { code: 'INDICATOR_UNDEFINED', field: at, tag: '210', indicator: 2, value: '0', expected: ' 1' },
    ]);
  });
});

// Valid parts: tags, indicators and subfields as MARC 21 allows them for fields without defined indicators.
const subfield = fc.record({
  code: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  value: fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((v) => v.trim() !== '' && ![...v].some((c) => c === '\u0000' || (c >= '\u001d' && c <= '\u001f'))),
});
const dataField = fc.record({
  tag: fc.integer({ min: 900, max: 999 }).map(String),
  ind1: fc.constantFrom(' ', '0', '1', 'a', 'z'),
  ind2: fc.constantFrom(' ', '9', 'b'),
  subfields: fc.array(subfield, { minLength: 1, maxLength: 4 }),
});
const validRecord = fc
  .record({
    control: fc.string({ minLength: 1, maxLength: 12 }).filter((v) => /^[\x21-\x7e]+$/.test(v)),
    title: subfield.map((s) => ({ ...s, code: 'a' })),
    local: fc.array(dataField, { maxLength: 5 }),
  })
  .map(({ control, title, local }): MarcRecord => ({
    leader: LEADER,
    fields: [
      { tag: '001', value: control },
      { tag: '008', value: F008 },
      { tag: '245', ind1: '1', ind2: '0', subfields: [title] },
      ...local.sort((a, b) => a.tag.localeCompare(b.tag)),
    ],
  }));

async function roundTrip(r: MarcRecord): Promise<MarcRecord> {
  for await (const item of readIso2709(writeIso2709(r))) {
    if ('record' in item) return item.record;
    throw new Error(JSON.stringify(item));
  }
  throw new Error('no record');
}

describe('validateMarc: what a MARC file (ISO 2709) cannot hold', () => {
  const base = (lines: string[]) => record(LEADER, ['001 W1', `008 ${F008}`, '245 10$aTitle', ...lines]);
  const withSubfield = (value: string, tag = '500'): MarcRecordInput => {
    const r = base([]);
    return { ...r, fields: [...r.fields, { tag, ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value }] }] };
  };
  const writes = (r: MarcRecordInput) => {
    try {
      writeIso2709(r as MarcRecord);
      return true;
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
  };

  it('refuses NUL and the delimiters U+001D, U+001E, U+001F in values, naming the field, subfield and character', () => {
    for (const [character, shown] of [
      ['\u0000', 'U+0000'],
      ['\u001d', 'U+001D'],
      ['\u001e', 'U+001E'],
      ['\u001f', 'U+001F'],
    ] as const) {
      expect(validateMarc(withSubfield(`a${character}b`))).toEqual([
        { code: 'SUBFIELD_CHARACTER_INVALID', field: 3, tag: '500', subfield: 0, subfieldCode: 'a', value: shown },
      ]);
    }
    const r = base([]);
    const control = { ...r, fields: [{ tag: '001', value: 'W\u001e1' }, ...r.fields.slice(1)] };
    expect(validateMarc(control)).toEqual([{ code: 'FIELD_CHARACTER_INVALID', field: 0, tag: '001', value: 'U+001E' }]);
    expect(writes(withSubfield('a\u001fb'))).toBe(false);
    expect(writes(withSubfield('a\u0001b'))).toBe(true);
    expect(validateMarc(withSubfield('a\u0001b'))).toEqual([]);
  });

  it('refuses a field over 9,999 bytes in UTF-8, counting what ISO 2709 adds (indicators, delimiters)', () => {
    // ind1 + ind2 + $a + value + field terminator = 5 + value bytes.
    expect(validateMarc(withSubfield('x'.repeat(9_994)))).toEqual([]);
    expect(writes(withSubfield('x'.repeat(9_994)))).toBe(true);
    expect(validateMarc(withSubfield('x'.repeat(9_995)))).toEqual([
      { code: 'FIELD_TOO_LONG', field: 3, tag: '500', value: '10000', expected: '9999' },
    ]);
    expect(writes(withSubfield('x'.repeat(9_995)))).toBe(false);
    // A 245 $a of 20,000 characters: the case the export used to drop without a word.
    const title = record(LEADER, ['001 W1', `008 ${F008}`, `245 10$a${'t'.repeat(20_000)}`]);
    expect(codes(title)).toEqual(['FIELD_TOO_LONG@2']);
    // Bytes, not characters: é is 2 bytes, 字 3, 😀 4 (one character, two UTF-16 units).
    for (const [character, bytes] of [
      ['é', 2],
      ['字', 3],
      ['😀', 4],
    ] as const) {
      const fits = Math.floor(9_994 / bytes);
      expect(validateMarc(withSubfield(character.repeat(fits)))).toEqual([]);
      expect(writes(withSubfield(character.repeat(fits)))).toBe(true);
      expect(codes(withSubfield(character.repeat(fits + 1)))).toEqual(['FIELD_TOO_LONG@3']);
      expect(writes(withSubfield(character.repeat(fits + 1)))).toBe(false);
    }
    const control = base([]);
    control.fields[0] = { tag: '001', value: 'c'.repeat(9_999) };
    expect(codes(control)).toEqual(['FIELD_TOO_LONG@0']);
  });

  it('refuses a record over 99,999 bytes, each of its fields being short enough', () => {
    const many = (count: number) => {
      const r = base([]);
      const extra = Array.from({ length: count }, () => ({
        tag: '500',
        ind1: ' ',
        ind2: ' ',
        subfields: [{ code: 'a', value: 'x'.repeat(9_000) }],
      }));
      return { ...r, fields: [...r.fields, ...extra] };
    };
    expect(validateMarc(many(11))).toEqual([]);
    expect(writes(many(11))).toBe(true);
    const problems = validateMarc(many(12));
    expect(problems).toEqual([{ code: 'RECORD_TOO_LONG', value: expect.stringMatching(/^\d{6}$/), expected: '99999' }]);
    expect(writes(many(12))).toBe(false);
  });

  it('agrees with the ISO 2709 writer on every record made of valid parts, however long', () => {
    const long = fc.record({
      code: fc.constantFrom('a', 'b'),
      value: fc.oneof(
        fc.integer({ min: 1, max: 12_000 }).map((n) => 'x'.repeat(n)),
        fc.integer({ min: 1, max: 5_000 }).map((n) => 'é字😀'.repeat(n)),
        // NUL is left out: ISO 2709 could carry it, the database cannot (it is refused for that).
        fc.constantFrom('a\u001fb', 'c\u001e', '\u001dd'),
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.array(long, { minLength: 1, maxLength: 3 }), { maxLength: 14 }), (fieldsOf) => {
        const r = base([]);
        const sized = {
          ...r,
          fields: [...r.fields, ...fieldsOf.map((subfields) => ({ tag: '500', ind1: ' ', ind2: ' ', subfields }))],
        };
        expect(validateMarc(sized).length === 0).toBe(writes(sized));
      }),
      { numRuns: 200 },
    );
  });
});

describe('validateMarc properties', () => {
  it('a record written from valid parts (ISO 2709, read back) validates', async () => {
    await fc.assert(
      fc.asyncProperty(validRecord, async (r) => {
        expect(validateMarc(await roundTrip(r))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('random garbage never throws; it only returns problems', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('marc21' as const, 'unimarc' as const), (garbage, flavour) => {
        const problems = validateMarc(garbage as MarcRecordInput, flavour);
        expect(Array.isArray(problems)).toBe(true);
        expect(problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({
          leader: fc.string(),
          fields: fc.array(
            fc.oneof(
              fc.record({ tag: fc.string(), value: fc.string() }),
              fc.record({
                tag: fc.string({ maxLength: 4 }),
                ind1: fc.string({ maxLength: 2 }),
                ind2: fc.anything(),
                subfields: fc.array(fc.record({ code: fc.anything(), value: fc.anything() })),
              }),
              fc.anything(),
            ),
          ),
        }),
        (garbage) => {
          expect(() => validateMarc(garbage as MarcRecordInput)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('form ↔ MARC', () => {
  const wizard = record(LEADER, [
    '001 W1',
    `008 ${F008}`,
    '020 __$a9780547773742$q(hardcover)',
    '100 1_$aLe Guin, Ursula K.$d1929-2018',
    '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
    '260 __$aBoston :$bHoughton Mifflin,$c1968.',
    '650 _0$aWizards$vFiction.',
    '700 1_$aRobinson, Ruth,$eillustrator.',
    '952 __$pEXP-1',
  ]);

  it('reads the main fields', () => {
    expect(formFromMarc(wizard)).toEqual({
      title: 'The wizard of Earthsea /',
      subtitle: '',
      responsibility: 'Ursula K. Le Guin.',
      authors: ['Le Guin, Ursula K.', 'Robinson, Ruth,'],
      edition: '',
      place: 'Boston :',
      publisher: 'Houghton Mifflin,',
      date: '1968.',
      isbns: ['9780547773742'],
      subjects: ['Wizards'],
      language: 'eng',
      summary: '',
    });
  });

  it('writes the form back changing only what it shows', () => {
    const form = formFromMarc(wizard);
    const out = applyForm(wizard, {
      ...form,
      subtitle: 'a novel',
      authors: ['Le Guin, Ursula K.'],
      edition: '2nd ed.',
      subjects: ['Wizards', 'Magic'],
      language: 'fre',
      summary: 'A boy becomes a wizard.',
    });
    expect(out.fields.map((f) => f.tag)).toEqual([
      '001',
      '008',
      '020',
      '100',
      '245',
      '250',
      '260',
      '520',
      '650',
      '650',
      '952',
    ]);
    expect(out.fields[1]).toEqual({ tag: '008', value: F008.replace('eng', 'fre') });
    expect(out.fields[3]).toEqual({
      tag: '100',
      ind1: '1',
      ind2: ' ',
      subfields: [
        { code: 'a', value: 'Le Guin, Ursula K.' },
        { code: 'd', value: '1929-2018' },
      ],
    });
    expect(out.fields[4]).toEqual({
      tag: '245',
      ind1: '1',
      ind2: '4',
      subfields: [
        { code: 'a', value: 'The wizard of Earthsea /' },
        { code: 'b', value: 'a novel' },
        { code: 'c', value: 'Ursula K. Le Guin.' },
      ],
    });
    expect(out.fields[9]).toEqual({ tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: 'a', value: 'Magic' }] });
    expect(formFromMarc(out).subjects).toEqual(['Wizards', 'Magic']);
    expect(validateMarc(out)).toEqual([]);
  });

  it('a title emptied whole and retyped keeps its field and indicators (245 14 stays 14)', () => {
    const hobbit = record(LEADER, ['001 H1', `008 ${F008}`, '245 14$aThe hobbit /$cJ.R.R. Tolkien.']);
    const emptied = applyForm(hobbit, { ...formFromMarc(hobbit), title: '', responsibility: '' });
    expect(emptied.fields[2]).toEqual({ tag: '245', ind1: '1', ind2: '4', subfields: [{ code: 'a', value: '' }] });
    // The emptied title is told as an empty $a, not as a missing 245.
    expect(codes(emptied)).toEqual(['SUBFIELD_EMPTY@2']);
    const retyped = applyForm(emptied, { ...formFromMarc(emptied), title: 'The hobbit', responsibility: 'Tolkien' });
    expect(retyped.fields[2]).toEqual({
      tag: '245',
      ind1: '1',
      ind2: '4',
      subfields: [
        { code: 'a', value: 'The hobbit' },
        { code: 'c', value: 'Tolkien' },
      ],
    });
    // UNIMARC 200 likewise; other fields emptied whole are still removed.
    const u = record('00000nam  2200000   450 ', ['200 0_$aLe petit prince', '205 __$a2e éd.']);
    const out = applyForm(u, { ...formFromMarc(u, 'unimarc'), title: '', edition: '' }, 'unimarc');
    expect(out.fields).toEqual([{ tag: '200', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: '' }] }]);
  });

  it('UNIMARC maps to 200, 700/701, 210, 010, 606, 101, 330', () => {
    const u = record('00000nam  2200000   450 ', ['200 1_$aLe petit prince']);
    const out = applyForm(
      u,
      { ...formFromMarc(u, 'unimarc'), authors: ['Saint-Exupéry', 'Other'], isbns: ['2070612759'], language: 'fre' },
      'unimarc',
    );
    expect(out.fields.map((f) => f.tag)).toEqual(['010', '101', '200', '700', '701']);
    expect(formFromMarc(out, 'unimarc')).toMatchObject({ authors: ['Saint-Exupéry', 'Other'], language: 'fre' });
  });

  it('reading the form and writing it back unchanged leaves any valid record as it was', () => {
    const formFields = fc.constantFrom(
      '020 __$a978000000000',
      '100 1_$aAuthor, A.',
      '700 1_$aOther, B.$eeditor',
      '250 __$a2nd ed.',
      '264 _1$aParis$bGallimard$c2001',
      '650 _0$aTopic',
      '520 __$aSummary',
      '500 __$aNote',
    );
    fc.assert(
      fc.property(fc.uniqueArray(formFields, { maxLength: 8 }), (lines) => {
        const r = record(LEADER, [`008 ${F008}`, '245 10$aTitle$bsub', ...lines].sort());
        expect(applyForm(r, formFromMarc(r))).toEqual(r);
      }),
    );
  });
});
