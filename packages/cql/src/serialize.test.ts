import { describe, expect, it } from 'vitest';
import {
  cqlTerm,
  escapeTermLiteral,
  parseCql,
  prefixMap,
  resolveIndex,
  searchClauses,
  serializeCql,
  toXcql,
  type CqlQuery,
} from './index.js';

const canon = (q: string) => serializeCql(parseCql(q));

describe('serializeCql: canonical text', () => {
  it.each([
    ['fish', 'fish'],
    ['cql.serverChoice = fish', 'fish'],
    ['"fish"', 'fish'],
    ['  dc.title   ANY/Relevant   fish  ', 'dc.title any/Relevant fish'],
    ['dc.title=fish', 'dc.title = fish'],
    ['a AND b', 'a and b'],
    ['a and b and c', 'a and b and c'],
    ['a and (b and c)', 'a and (b and c)'],
    ['a and b or c', '(a and b) or c'],
    ['(a or b) and c', '(a or b) and c'],
    ['a or b and c', '(a or b) and c'],
    ['a prox / unit = word / distance < 3 b', 'a prox/unit=word/distance<3 b'],
    ['dc.title all/stem/locale=fr "chat noir"', 'dc.title all/stem/locale=fr "chat noir"'],
    ['x sortby dc.date / sort.descending dc.title', 'x sortBy dc.date/sort.descending dc.title'],
    [
      '> dc = "http://purl.org/dc/elements/1.1/" (dc.title = x)',
      '> dc = "http://purl.org/dc/elements/1.1/" dc.title = x',
    ],
    ['> urn:x title = y', '> "urn:x" title = y'],
    ['(> dc = "u" a) and b', '(> dc = "u" a) and b'],
    ['a and (> dc = "u" b)', 'a and (> dc = "u" b)'],
    ['""', '""'],
    ['"and" or "SortBy"', '"and" or "SortBy"'],
    ['"a b" = "c d"', '"a b" = "c d"'],
    ['dc.title = "\\"Of Course\\" she said"', 'dc.title = "\\"Of Course\\" she said"'],
    ['c*t and c?t and "^cat in the hat"', 'c*t and c?t and "^cat in the hat"'],
    ['a\\', 'a\\\\'],
    ['f\\(1\\)', '"f\\(1\\)"'],
    ['a\\=b = c', '"a=b" = c'],
    ['dc.date =/x="a\\"b" 2000', 'dc.date =/x="a\\"b" 2000'],
  ])('%j → %j', (q, expected) => {
    expect(canon(q)).toBe(expected);
    expect(canon(expected)).toBe(expected);
  });

  it('keeps the meaning of a lone quote or trailing backslash in hand-built term text', () => {
    const query: CqlQuery = {
      root: {
        type: 'searchClause',
        prefixes: [],
        index: 'x',
        relation: { base: '=', modifiers: [] },
        term: cqlTerm('a "b\\'),
      },
      sortKeys: [],
    };
    const text = serializeCql(query);
    expect(text).toBe('x = "a \\"b\\\\"');
    const term = (parseCql(text).root as { term: unknown }).term;
    expect(term).toMatchObject({ pattern: [{ kind: 'literal', value: 'a "b\\' }] });
  });

  it('escapeTermLiteral makes masking characters literal', () => {
    const text = escapeTermLiteral('50% *off* ^now^ "quoted" \\ ?');
    expect(cqlTerm(text)).toEqual({
      text,
      pattern: [{ kind: 'literal', value: '50% *off* ^now^ "quoted" \\ ?' }],
      anchoredStart: false,
      anchoredEnd: false,
    });
  });

  it('refuses an AST that no CQL text can express', () => {
    const bad = (base: string): CqlQuery => ({
      root: { type: 'searchClause', prefixes: [], index: 'x', relation: { base, modifiers: [] }, term: cqlTerm('y') },
      sortKeys: [],
    });
    expect(() => serializeCql(bad('two words'))).toThrow(TypeError);
    expect(() => serializeCql(bad('and'))).toThrow(TypeError);
    expect(() => serializeCql(bad('ANY'))).toThrow(TypeError);
  });
});

describe('toXcql', () => {
  it('a search clause with a relation modifier and the XCQL namespace', () => {
    expect(toXcql(parseCql('dc.title any/relevant "fish & <chips>"'))).toBe(
      [
        '<searchClause xmlns="http://www.loc.gov/zing/cql/xcql/">',
        '  <index>dc.title</index>',
        '  <relation>',
        '    <value>any</value>',
        '    <modifiers>',
        '      <modifier>',
        '        <type>relevant</type>',
        '      </modifier>',
        '    </modifiers>',
        '  </relation>',
        '  <term>fish &amp; &lt;chips&gt;</term>',
        '</searchClause>',
        '',
      ].join('\n'),
    );
  });

  it('a triple with prefixes, boolean modifiers and sort keys, on one line', () => {
    const xml = toXcql(parseCql('> dc = "urn:dc" a prox/unit=word b sortBy dc.date/sort.descending'), {
      indent: '',
      namespace: false,
    });
    expect(xml).toBe(
      '<triple><prefixes><prefix><name>dc</name><identifier>urn:dc</identifier></prefix></prefixes>' +
        '<boolean><value>prox</value><modifiers><modifier><type>unit</type><comparison>=</comparison><value>word</value></modifier></modifiers></boolean>' +
        '<leftOperand><searchClause><index>cql.serverChoice</index><relation><value>=</value></relation><term>a</term></searchClause></leftOperand>' +
        '<rightOperand><searchClause><index>cql.serverChoice</index><relation><value>=</value></relation><term>b</term></searchClause></rightOperand>' +
        '<sortKeys><key><index>dc.date</index><modifiers><modifier><type>sort.descending</type></modifier></modifiers></key></sortKeys>' +
        '</triple>',
    );
  });

  it('an unnamed prefix has no <name>; characters XML cannot carry become U+FFFD', () => {
    const xml = toXcql(parseCql('> "urn:x" "a\u0001b\ud800"'), { indent: '', namespace: false });
    expect(xml).toContain('<prefix><identifier>urn:x</identifier></prefix>');
    expect(xml).toContain('<term>a\ufffdb\ufffd</term>');
  });
});

describe('prefix scope (LoC CQL 1.2 prefix assignment; §4 first dot separates prefix and base name)', () => {
  it('each clause sees the assignments around it; an inner one hides an outer one', () => {
    const q = parseCql(
      '> dc = "urn:outer" dc.title = a and (> dc = "urn:inner" > "urn:default" dc.title = b or title = c) and x.y = d',
    );
    const seen = searchClauses(q).map(({ clause, prefixes }) => ({
      term: clause.term.text,
      ...resolveIndex(clause.index, prefixes),
    }));
    expect(seen).toEqual([
      { term: 'a', prefix: 'dc', name: 'title', contextSet: 'urn:outer' },
      { term: 'b', prefix: 'dc', name: 'title', contextSet: 'urn:inner' },
      { term: 'c', prefix: null, name: 'title', contextSet: 'urn:default' },
      { term: 'd', prefix: 'x', name: 'y', contextSet: undefined },
    ]);
  });

  it('prefix names match case-insensitively; the first dot splits: `bib.title.uniform`', () => {
    const map = prefixMap([{ name: 'BIB', uri: 'urn:bib' }]);
    expect(resolveIndex('bib.title.uniform', map)).toEqual({
      prefix: 'bib',
      name: 'title.uniform',
      contextSet: 'urn:bib',
    });
  });

  it('sort keys resolve with the root assignments', () => {
    const q = parseCql('> dc = "urn:dc" fish sortBy dc.date');
    expect(resolveIndex(q.sortKeys[0]!.index, prefixMap(q.root.prefixes))).toMatchObject({ contextSet: 'urn:dc' });
  });
});
