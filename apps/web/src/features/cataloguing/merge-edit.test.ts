import type { MarcFieldInput, MarcRecordInput } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { fieldText, mergeEdit } from './merge-edit';

const data = (tag: string, ind: string, ...subfields: Array<[string, string]>): MarcFieldInput => ({
  tag,
  ind1: ind[0]!,
  ind2: ind[1]!,
  subfields: subfields.map(([code, value]) => ({ code, value })),
});

const base: MarcRecordInput = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'W1' },
    { tag: '008', value: '850101s1968    cau           000 1 eng d' },
    data('100', '1 ', ['a', 'Le Guin, Ursula K.']),
    data('245', '14', ['a', 'The wizard of Earthsea /'], ['c', 'Ursula K. Le Guin.']),
    data('650', ' 0', ['a', 'Wizards']),
    data('650', ' 0', ['a', 'Magic']),
  ],
};

/** The record with the field at `index` replaced (or removed with null). */
const withField = (record: MarcRecordInput, index: number, field: MarcFieldInput | null): MarcRecordInput => ({
  ...record,
  fields: field ? record.fields.map((f, i) => (i === index ? field : f)) : record.fields.filter((_, i) => i !== index),
});
const adding = (record: MarcRecordInput, index: number, field: MarcFieldInput): MarcRecordInput => {
  const fields = [...record.fields];
  fields.splice(index, 0, field);
  return { ...record, fields };
};
const tags = (record: MarcRecordInput) => record.fields.map((f) => f.tag);

describe('merging an edit with a version saved meanwhile', () => {
  it('takes their change to a field I left alone, and keeps mine to a field they left alone', () => {
    const mine = withField(base, 3, data('245', '14', ['a', 'The wizard of Earthsea :'], ['b', 'a novel']));
    const theirs = withField(base, 2, data('100', '1 ', ['a', 'Le Guin, Ursula K.,'], ['d', '1929-2018']));
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(record.fields[2]).toEqual(theirs.fields[2]);
    expect(record.fields[3]).toEqual(mine.fields[3]);
    expect(tags(record)).toEqual(tags(base));
    // The other way round gives the same record.
    expect(mergeEdit(base, theirs, mine).record).toEqual(record);
  });

  it('changes nothing when only one side changed anything', () => {
    const edited = withField(base, 4, data('650', ' 0', ['a', 'Wizards'], ['v', 'Fiction']));
    expect(mergeEdit(base, edited, base)).toEqual({ record: edited, clashes: [] });
    expect(mergeEdit(base, base, edited)).toEqual({ record: edited, clashes: [] });
  });

  it('takes a field they added, after the field that precedes it in their version', () => {
    const mine = withField(base, 0, { tag: '001', value: 'W1-mine' });
    const theirs = adding(base, 4, data('520', '  ', ['a', 'A boy becomes a mage.']));
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(tags(record)).toEqual(['001', '008', '100', '245', '520', '650', '650']);
    expect(record.fields[0]).toEqual({ tag: '001', value: 'W1-mine' });
    expect(record.fields[4]).toEqual(theirs.fields[4]);
  });

  it('takes fields they added at the start and at the end, in their order', () => {
    const theirs: MarcRecordInput = {
      ...base,
      fields: [
        { tag: '000', value: 'x' },
        ...base.fields,
        data('700', '1 ', ['a', 'Lee, Tom']),
        data('700', '1 ', ['a', 'Ho, Ann']),
      ],
    };
    const mine = withField(base, 3, data('245', '10', ['a', 'Earthsea']));
    const { record } = mergeEdit(base, mine, theirs);
    expect(tags(record)).toEqual(['000', '001', '008', '100', '245', '650', '650', '700', '700']);
    expect(record.fields.slice(7)).toEqual(theirs.fields.slice(7));
    expect(record.fields[4]).toEqual(mine.fields[3]);
  });

  it('keeps a field I added, where I put it', () => {
    const mine = adding(base, 3, data('240', '10', ['a', 'Wizard of Earthsea']));
    const theirs = withField(base, 5, data('650', ' 0', ['a', 'Magic'], ['v', 'Juvenile fiction']));
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(tags(record)).toEqual(['001', '008', '100', '240', '245', '650', '650']);
    expect(record.fields[6]).toEqual(theirs.fields[5]);
  });

  it('drops a field they removed that I left alone, and one I removed that they left alone', () => {
    const mine = withField(base, 2, null); // no 100
    const theirs = withField(base, 1, null); // no 008
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(tags(record)).toEqual(['001', '245', '650', '650']);
  });

  it('keeps my change to a field they removed, and reports it as a clash with nothing on their side', () => {
    const changed = data('100', '1 ', ['a', 'Le Guin, Ursula Kroeber']);
    const { record, clashes } = mergeEdit(base, withField(base, 2, changed), withField(base, 2, null));
    expect(record.fields[2]).toEqual(changed);
    expect(clashes).toEqual([{ tag: '100', occurrence: 1, theirs: null, at: 2 }]);
  });

  it('keeps my removal of a field they changed, and reports their version', () => {
    const theirs100 = data('100', '1 ', ['a', 'Le Guin, Ursula K.,'], ['d', '1929-2018']);
    const { record, clashes } = mergeEdit(base, withField(base, 2, null), withField(base, 2, theirs100));
    expect(tags(record)).toEqual(['001', '008', '245', '650', '650']);
    expect(clashes).toEqual([{ tag: '100', occurrence: 1, theirs: theirs100, at: null }]);
  });

  it('keeps mine where both changed a field differently, and reports theirs', () => {
    const mine245 = data('245', '14', ['a', 'The wizard of Earthsea /'], ['c', 'by Ursula K. Le Guin.']);
    const theirs245 = data('245', '10', ['a', 'The wizard of Earthsea /'], ['c', 'Ursula K. Le Guin.']);
    const theirs650 = data('650', ' 0', ['a', 'Magic'], ['v', 'Fiction']);
    const mine = withField(base, 3, mine245);
    const theirs = withField(withField(base, 3, theirs245), 5, theirs650);
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(record.fields[3]).toEqual(mine245);
    expect(record.fields[5]).toEqual(theirs650);
    expect(clashes).toEqual([{ tag: '245', occurrence: 1, theirs: theirs245, at: 3 }]);
  });

  it('matches repeated fields by occurrence: a change to the second 650 is not the first one', () => {
    const mine = withField(base, 4, data('650', ' 0', ['a', 'Wizards'], ['v', 'Fiction']));
    const theirs = withField(base, 5, data('650', ' 0', ['a', 'Magic'], ['v', 'Fiction']));
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(record.fields.slice(4)).toEqual([mine.fields[4], theirs.fields[5]]);
  });

  it('reports a clash on the second occurrence of a tag with its number', () => {
    const mine = withField(base, 5, data('650', ' 0', ['a', 'Magic (mine)']));
    const theirs = withField(base, 5, data('650', ' 0', ['a', 'Magic (theirs)']));
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(record.fields[5]).toEqual(mine.fields[5]);
    expect(clashes).toEqual([{ tag: '650', occurrence: 2, theirs: theirs.fields[5], at: 5 }]);
  });

  it('takes the same change made on both sides once, without a clash', () => {
    const same = data('245', '10', ['a', 'Earthsea']);
    const added = data('500', '  ', ['a', 'Maps on endpapers.']);
    const both = adding(withField(base, 3, same), 4, added);
    const { record, clashes } = mergeEdit(base, both, structuredClone(both));
    expect(clashes).toEqual([]);
    expect(record).toEqual(both);
    // Both removed the same field: it stays removed.
    const removed = withField(base, 4, null);
    expect(mergeEdit(base, removed, removed)).toEqual({ record: removed, clashes: [] });
  });

  it("merges the leader as a field: one side's change is taken, different changes keep mine", () => {
    const leader = (s: string) => ({ ...base, leader: s });
    const theirsLeader = '00000nam a2200000 i 4500';
    const mine = withField(base, 0, { tag: '001', value: 'W1-mine' });
    expect(mergeEdit(base, mine, leader(theirsLeader)).record).toEqual({ ...mine, leader: theirsLeader });
    expect(mergeEdit(base, leader(theirsLeader), mine).record).toEqual({ ...mine, leader: theirsLeader });
    const clash = mergeEdit(base, leader('00000cam a2200000 a 4500'), leader(theirsLeader));
    expect(clash.record.leader).toBe('00000cam a2200000 a 4500');
    expect(clash.clashes).toEqual([{ tag: null, occurrence: 1, theirs: theirsLeader, at: null }]);
    expect(mergeEdit(base, leader(theirsLeader), leader(theirsLeader))).toEqual({
      record: leader(theirsLeader),
      clashes: [],
    });
  });

  it('treats a changed control field like any other field', () => {
    const mine = withField(base, 1, { tag: '008', value: '850101s1968    cau           000 1 fre d' });
    const theirs = withField(base, 1, { tag: '008', value: '850101s1968    nyu           000 1 eng d' });
    const { record, clashes } = mergeEdit(base, mine, theirs);
    expect(record.fields[1]).toEqual(mine.fields[1]);
    expect(clashes).toEqual([{ tag: '008', occurrence: 1, theirs: theirs.fields[1], at: 1 }]);
    // Their 008 change alone is taken.
    expect(mergeEdit(base, base, theirs).record.fields[1]).toEqual(theirs.fields[1]);
  });

  it('lists clashes in the order of the merged record, the leader first and fields I removed last', () => {
    const mine: MarcRecordInput = {
      leader: '00000cam a2200000 a 4500',
      fields: [
        { tag: '001', value: 'mine' },
        base.fields[1]!,
        base.fields[3]!,
        base.fields[4]!,
        data('650', ' 0', ['a', 'Magic!']),
      ],
    };
    const theirs: MarcRecordInput = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { tag: '001', value: 'theirs' },
        base.fields[1]!,
        data('100', '1 ', ['a', 'Le Guin']),
        base.fields[3]!,
        base.fields[4]!,
        data('650', ' 0', ['a', 'Magic?']),
      ],
    };
    const { clashes } = mergeEdit(base, mine, theirs);
    expect(clashes.map((c) => [c.tag, c.occurrence, c.at])).toEqual([
      [null, 1, null],
      ['001', 1, 0],
      ['650', 2, 4],
      ['100', 1, null],
    ]);
  });

  it('a merge of my edit that equals their version is their version', () => {
    const theirs = withField(base, 3, data('245', '10', ['a', 'Earthsea']));
    const mine = withField(base, 4, data('650', ' 0', ['a', 'Wizards']));
    expect(mergeEdit(base, mine, theirs).record).toEqual(theirs);
  });
});

describe('a field as the clash list shows it', () => {
  it('shows indicators with # for blank, and each subfield with its code', () => {
    expect(fieldText(data('650', ' 0', ['a', 'Magic'], ['v', 'Fiction']))).toBe('#0 $a Magic $v Fiction');
    expect(fieldText({ tag: '001', value: 'W1' })).toBe('W1');
  });
});
