// Examples from the CQL specification (Library of Congress, "CQL: Contextual Query Language",
// SRU 1.2 version, "Query Syntax" sections; the CQL context set 1.2 for masking; OASIS
// searchRetrieve Part 5 for the same rules) and what the parser must build from them.
import { describe, expect, it } from 'vitest';
import {
  cqlTerm,
  parseCql,
  type CqlModifier,
  type CqlNode,
  type CqlPrefix,
  type CqlSearchClause,
  type CqlTermPart,
} from './index.js';

function clause(index: string, base: string, text: string, modifiers: CqlModifier[] = []): CqlSearchClause {
  return { type: 'searchClause', prefixes: [], index, relation: { base, modifiers }, term: cqlTerm(text) };
}

const bare = (text: string) => clause('cql.serverChoice', '=', text);

function bool(operator: 'and' | 'or' | 'not' | 'prox', left: CqlNode, right: CqlNode, modifiers: CqlModifier[] = []) {
  return { type: 'boolean' as const, prefixes: [], operator, modifiers, left, right };
}

function withPrefixes<T extends CqlNode>(node: T, prefixes: CqlPrefix[]): T {
  return { ...node, prefixes };
}

const root = (q: string) => parseCql(q).root;

describe('LoC CQL 1.2 §1 CQL Query', () => {
  it('example 1: a single search clause, `dc.title any fish`', () => {
    expect(parseCql('dc.title any fish')).toEqual({ root: clause('dc.title', 'any', 'fish'), sortKeys: [] });
  });

  it('example 2: clauses joined by a boolean, `dc.title any fish or dc.creator any sanderson`', () => {
    expect(root('dc.title any fish or dc.creator any sanderson')).toEqual(
      bool('or', clause('dc.title', 'any', 'fish'), clause('dc.creator', 'any', 'sanderson')),
    );
  });

  it('example 3: a sort specification at the end, `dc.title any fish sortBy dc.date/sort.ascending`', () => {
    expect(parseCql('dc.title any fish sortBy dc.date/sort.ascending')).toEqual({
      root: clause('dc.title', 'any', 'fish'),
      sortKeys: [{ index: 'dc.date', modifiers: [{ name: 'sort.ascending' }] }],
    });
  });

  it('example 4: a prefix assignment, `> dc = "info:srw/context-sets/1/dc-v1.1" dc.title any fish`', () => {
    expect(root('> dc = "info:srw/context-sets/1/dc-v1.1" dc.title any fish')).toEqual(
      withPrefixes(clause('dc.title', 'any', 'fish'), [{ name: 'dc', uri: 'info:srw/context-sets/1/dc-v1.1' }]),
    );
  });
});

describe('LoC CQL 1.2 §2 Search Clause', () => {
  it('index, relation and term: `dc.title any fish`', () => {
    expect(root('dc.title any fish')).toEqual(clause('dc.title', 'any', 'fish'));
  });

  it('a term alone is cql.serverChoice with relation =: `fish` equals `cql.serverChoice = fish`', () => {
    expect(root('fish')).toEqual(bare('fish'));
    expect(root('cql.serverChoice = fish')).toEqual(root('fish'));
  });

  it('draft 2009 §1.1 examples: `cat`, `title = cat`, `title = raven and creator = poe`', () => {
    expect(root('cat')).toEqual(bare('cat'));
    expect(root('title = cat')).toEqual(clause('title', '=', 'cat'));
    expect(root('title = raven and creator = poe')).toEqual(
      bool('and', clause('title', '=', 'raven'), clause('creator', '=', 'poe')),
    );
  });

  it('no whitespace is needed around symbols: `dc.title=fish`, `dc.date>=2000`', () => {
    expect(root('dc.title=fish')).toEqual(clause('dc.title', '=', 'fish'));
    expect(root('dc.date>=2000')).toEqual(clause('dc.date', '>=', '2000'));
  });
});

describe('LoC CQL 1.2 §3 Search Term', () => {
  it('terms may be quoted or not: `"fish"` and `fish` are the same term', () => {
    expect(root('"fish"')).toEqual(root('fish'));
  });

  it('whitespace and < > = / ( ) need quotes: `"squirrels fish"`, `dc.title = "a/b (c) <d>"`', () => {
    expect(root('"squirrels fish"')).toEqual(bare('squirrels fish'));
    expect(root('dc.title = "a/b (c) <d>"')).toEqual(clause('dc.title', '=', 'a/b (c) <d>'));
  });

  it('the empty term `""` is allowed, and has an empty pattern', () => {
    const c = root('""') as CqlSearchClause;
    expect(c.term).toEqual({ text: '', pattern: [], anchoredStart: false, anchoredEnd: false });
    expect(root('dc.title = ""')).toEqual(clause('dc.title', '=', ''));
  });

  it('a quote inside a quoted term is escaped with a backslash; the escape is kept in text, not in the pattern', () => {
    const c = root('dc.title = "\\"Of Course\\" she said"') as CqlSearchClause;
    expect(c.term.text).toBe('\\"Of Course\\" she said');
    expect(c.term.pattern).toEqual([{ kind: 'literal', value: '"Of Course" she said' }]);
  });

  it('unquoted terms end at a delimiter: `dc.title=fish)` is a clause then a stray parenthesis', () => {
    expect(() => parseCql('dc.title=fish)')).toThrowError(/no matching/);
  });
});

describe('LoC CQL 1.2 §4 Index Name', () => {
  it('an index may have no prefix (`title any fish`) or a prefix (`dc.title any fish`)', () => {
    expect(root('title any fish')).toEqual(clause('title', 'any', 'fish'));
    expect(root('dc.title any fish')).toEqual(clause('dc.title', 'any', 'fish'));
  });

  it('an index name keeps every dot (the first one separates the prefix, see scope tests)', () => {
    expect(root('bib.title.uniform = x')).toEqual(clause('bib.title.uniform', '=', 'x'));
  });
});

describe('LoC CQL 1.2 Relation', () => {
  it.each(['=', '==', '<>', '<', '>', '<=', '>='])('the comparitor symbol %s', (symbol) => {
    expect(root(`dc.date ${symbol} 1999`)).toEqual(clause('dc.date', symbol, '1999'));
  });

  it.each(['exact', 'all', 'any', 'adj', 'within', 'encloses', 'cql.adj', 'cql.within', 'rel.nearby'])(
    'the named relation %s (any identifier, prefixed or not, is a relation)',
    (name) => {
      expect(root(`dc.title ${name} "a b"`)).toEqual(clause('dc.title', name, 'a b'));
    },
  );

  it('named relations are case-insensitive and kept in lower case: `dc.title ANY fish`', () => {
    expect(root('dc.title ANY fish')).toEqual(clause('dc.title', 'any', 'fish'));
    expect(root('dc.title CQL.Adj fish')).toEqual(clause('dc.title', 'cql.adj', 'fish'));
  });

  it('a relation name is an identifier, so a term may be a relation word: `any` and `dc.title = any`', () => {
    expect(root('any')).toEqual(bare('any'));
    expect(root('dc.title = any')).toEqual(clause('dc.title', '=', 'any'));
  });
});

describe('LoC CQL 1.2 Relation Modifiers', () => {
  it('`dc.title any/relevant fish`', () => {
    expect(root('dc.title any/relevant fish')).toEqual(clause('dc.title', 'any', 'fish', [{ name: 'relevant' }]));
  });

  it('`dc.title any/ relevant /cql.string fish` (whitespace around the slash is allowed)', () => {
    expect(root('dc.title any/ relevant /cql.string fish')).toEqual(
      clause('dc.title', 'any', 'fish', [{ name: 'relevant' }, { name: 'cql.string' }]),
    );
  });

  it('`dc.title any/rel.algorithm=cori fish` (a modifier with a comparison and a value)', () => {
    expect(root('dc.title any/rel.algorithm=cori fish')).toEqual(
      clause('dc.title', 'any', 'fish', [{ name: 'rel.algorithm', comparison: '=', value: 'cori' }]),
    );
  });

  it('modifiers on `=` and on `all`: `dc.title =/relevant fish`, `dc.title all/stem/locale=fr chats`', () => {
    expect(root('dc.title =/relevant fish')).toEqual(clause('dc.title', '=', 'fish', [{ name: 'relevant' }]));
    expect(root('dc.title all/stem/locale=fr chats')).toEqual(
      clause('dc.title', 'all', 'chats', [{ name: 'stem' }, { name: 'locale', comparison: '=', value: 'fr' }]),
    );
  });

  it('a modifier value may be quoted and use any comparitor: `dc.date =/x.y<>"a b" 2000`', () => {
    expect(root('dc.date =/x.y<>"a b" 2000')).toEqual(
      clause('dc.date', '=', '2000', [{ name: 'x.y', comparison: '<>', value: 'a b' }]),
    );
  });
});

describe('LoC CQL 1.2 Boolean Operators: one precedence, left to right, parentheses group', () => {
  it('`a and b or c` is `(a and b) or c`', () => {
    expect(root('a and b or c')).toEqual(bool('or', bool('and', bare('a'), bare('b')), bare('c')));
    expect(root('a and b or c')).toEqual(root('(a and b) or c'));
  });

  it('`a or b and c` is `(a or b) and c`, not `a or (b and c)`', () => {
    expect(root('a or b and c')).toEqual(bool('and', bool('or', bare('a'), bare('b')), bare('c')));
    expect(root('a or b and c')).not.toEqual(root('a or (b and c)'));
  });

  it('`a not b not c` is `(a not b) not c`; `a prox b and c` is `(a prox b) and c`', () => {
    expect(root('a not b not c')).toEqual(bool('not', bool('not', bare('a'), bare('b')), bare('c')));
    expect(root('a prox b and c')).toEqual(bool('and', bool('prox', bare('a'), bare('b')), bare('c')));
  });

  it('`dc.title any fish or (dc.creator any sanderson and dc.identifier = "id:1234567")`', () => {
    expect(root('dc.title any fish or (dc.creator any sanderson and dc.identifier = "id:1234567")')).toEqual(
      bool(
        'or',
        clause('dc.title', 'any', 'fish'),
        bool('and', clause('dc.creator', 'any', 'sanderson'), clause('dc.identifier', '=', 'id:1234567')),
      ),
    );
  });

  it('keywords are case-insensitive (`AND`, `Or`, `NoT`, `PROX`) and kept in lower case', () => {
    expect(root('a AND b Or c NoT d PROX e')).toEqual(root('a and b or c not d prox e'));
  });

  it('redundant parentheses change nothing: `((((fish))))`', () => {
    expect(root('((((fish))))')).toEqual(bare('fish'));
  });

  it('a boolean word is a term only when quoted: `"and" and "or"`', () => {
    expect(root('"and" and "or"')).toEqual(bool('and', bare('and'), bare('or')));
    expect(root('dc.title = "NOT"')).toEqual(clause('dc.title', '=', 'NOT'));
  });

  it('words that only start like a keyword are terms: `android and order`', () => {
    expect(root('android and order')).toEqual(bool('and', bare('android'), bare('order')));
  });
});

describe('LoC CQL 1.2 Boolean Modifiers and proximity', () => {
  it('`dc.title any fish or/rel.combine=sum dc.creator any sanderson`', () => {
    expect(root('dc.title any fish or/rel.combine=sum dc.creator any sanderson')).toEqual(
      bool('or', clause('dc.title', 'any', 'fish'), clause('dc.creator', 'any', 'sanderson'), [
        { name: 'rel.combine', comparison: '=', value: 'sum' },
      ]),
    );
  });

  it('`dc.title any fish prox/unit=word/distance>3 dc.title any squirrel`', () => {
    expect(root('dc.title any fish prox/unit=word/distance>3 dc.title any squirrel')).toEqual(
      bool('prox', clause('dc.title', 'any', 'fish'), clause('dc.title', 'any', 'squirrel'), [
        { name: 'unit', comparison: '=', value: 'word' },
        { name: 'distance', comparison: '>', value: '3' },
      ]),
    );
  });

  it('`cat prox/unit=word/distance<3 hat` and `cat prox/unit=sentence/cql.ordered hat`', () => {
    expect(root('cat prox/unit=word/distance<3 hat')).toEqual(
      bool('prox', bare('cat'), bare('hat'), [
        { name: 'unit', comparison: '=', value: 'word' },
        { name: 'distance', comparison: '<', value: '3' },
      ]),
    );
    expect(root('cat prox/unit=sentence/cql.ordered hat')).toEqual(
      bool('prox', bare('cat'), bare('hat'), [
        { name: 'unit', comparison: '=', value: 'sentence' },
        { name: 'cql.ordered' },
      ]),
    );
  });
});

describe('LoC CQL 1.2 Sorting', () => {
  it('`"cat" sortBy dc.title`', () => {
    expect(parseCql('"cat" sortBy dc.title')).toEqual({
      root: bare('cat'),
      sortKeys: [{ index: 'dc.title', modifiers: [] }],
    });
  });

  it('`dinosaur sortBy dc.date/sort.descending dc.title/sort.ascending`', () => {
    expect(parseCql('dinosaur sortBy dc.date/sort.descending dc.title/sort.ascending').sortKeys).toEqual([
      { index: 'dc.date', modifiers: [{ name: 'sort.descending' }] },
      { index: 'dc.title', modifiers: [{ name: 'sort.ascending' }] },
    ]);
  });

  it('sort modifiers with values, any case for sortBy: `a and b SORTBY dc.title/sort.missingValue=highValue/sort.locale=fr`', () => {
    expect(parseCql('a and b SORTBY dc.title/sort.missingValue=highValue/sort.locale=fr')).toEqual({
      root: bool('and', bare('a'), bare('b')),
      sortKeys: [
        {
          index: 'dc.title',
          modifiers: [
            { name: 'sort.missingValue', comparison: '=', value: 'highValue' },
            { name: 'sort.locale', comparison: '=', value: 'fr' },
          ],
        },
      ],
    });
  });

  it('draft 2009 §1.1: `title = raven sortBy date/ascending`', () => {
    expect(parseCql('title = raven sortBy date/ascending').sortKeys).toEqual([
      { index: 'date', modifiers: [{ name: 'ascending' }] },
    ]);
  });

  it('`sortBy` as a search term must be quoted: `"sortBy" sortBy "sortBy"`', () => {
    expect(parseCql('"sortBy" sortBy "sortBy"')).toEqual({
      root: bare('sortBy'),
      sortKeys: [{ index: 'sortBy', modifiers: [] }],
    });
  });
});

describe('LoC CQL 1.2 prefix assignment', () => {
  it('named and unnamed: `> dc = "http://purl.org/dc/elements/1.1/" (dc.title = x)`, `> "http://x/" title = y`', () => {
    expect(root('> dc = "http://purl.org/dc/elements/1.1/" (dc.title = x)')).toEqual(
      withPrefixes(clause('dc.title', '=', 'x'), [{ name: 'dc', uri: 'http://purl.org/dc/elements/1.1/' }]),
    );
    expect(root('> "http://x/" title = y')).toEqual(
      withPrefixes(clause('title', '=', 'y'), [{ name: null, uri: 'http://x/' }]),
    );
  });

  it('an assignment scopes over the whole query after it: `> dc = "u" a and b` puts it on the boolean', () => {
    expect(root('> dc = "u" a and b')).toEqual(
      withPrefixes(bool('and', bare('a'), bare('b')), [{ name: 'dc', uri: 'u' }]),
    );
  });

  it('inside parentheses it scopes only there: `(> dc = "u" a) and b`', () => {
    expect(root('(> dc = "u" a) and b')).toEqual(
      bool('and', withPrefixes(bare('a'), [{ name: 'dc', uri: 'u' }]), bare('b')),
    );
  });

  it('several assignments, outermost first: `> a = "1" > "2" (> a = "3" x)`', () => {
    expect(root('> a = "1" > "2" (> a = "3" x)')).toEqual(
      withPrefixes(bare('x'), [
        { name: 'a', uri: '1' },
        { name: null, uri: '2' },
        { name: 'a', uri: '3' },
      ]),
    );
  });

  it('an unquoted URI is allowed when it has no delimiter: `> dc = info:srw/x` is not (the slash), `> dc = urn:x fish` is', () => {
    expect(root('> dc = urn:x fish')).toEqual(withPrefixes(bare('fish'), [{ name: 'dc', uri: 'urn:x' }]));
    expect(() => parseCql('> dc = info:srw/x fish')).toThrow();
  });
});

describe('CQL context set 1.2: masking', () => {
  const pattern = (q: string): CqlTermPart[] => (root(q) as CqlSearchClause).term.pattern;
  const L = (value: string): CqlTermPart => ({ kind: 'literal', value });
  const STAR: CqlTermPart = { kind: 'anyChars' };
  const QM: CqlTermPart = { kind: 'anyChar' };

  it('`dc.title = c*t` (cat, coast): * masks zero or more characters', () => {
    expect(pattern('dc.title = c*t')).toEqual([L('c'), STAR, L('t')]);
  });

  it('`dc.title = "*fish food*"` (unanchored fish food)', () => {
    expect(pattern('dc.title = "*fish food*"')).toEqual([STAR, L('fish food'), STAR]);
  });

  it('`dc.title = c?t` (cat, cot; not coast or ct): ? masks exactly one character', () => {
    expect(pattern('dc.title = c?t')).toEqual([L('c'), QM, L('t')]);
  });

  it('`dc.title = "^cat in the hat"`: ^ anchors at the start of the field', () => {
    const t = (root('dc.title = "^cat in the hat"') as CqlSearchClause).term;
    expect(t).toEqual({
      text: '^cat in the hat',
      pattern: [L('cat in the hat')],
      anchoredStart: true,
      anchoredEnd: false,
    });
  });

  it('`dc.title = "the hat^"` anchors at the end; `"^hat^"` at both', () => {
    expect((root('dc.title = "the hat^"') as CqlSearchClause).term).toMatchObject({
      anchoredStart: false,
      anchoredEnd: true,
      pattern: [L('the hat')],
    });
    expect((root('"^hat^"') as CqlSearchClause).term).toMatchObject({ anchoredStart: true, anchoredEnd: true });
  });

  it('`dc.title any "^cat ^dog eats rat"`: a ^ inside a word list anchors that word', () => {
    const t = (root('dc.title any "^cat ^dog eats rat"') as CqlSearchClause).term;
    expect(t.anchoredStart).toBe(true);
    expect(t.pattern).toEqual([L('cat '), { kind: 'anchor' }, L('dog eats rat')]);
  });

  it('`\\*`, `\\?`, `\\^` and `\\\\` are literal characters, quoted or not', () => {
    expect(pattern('dc.title = "a\\*b\\?c\\^d\\\\e"')).toEqual([L('a*b?c^d\\e')]);
    expect(pattern('dc.title = a\\*b')).toEqual([L('a*b')]);
    expect(pattern('"\\^cat\\^"')).toEqual([L('^cat^')]);
  });

  it('`"fish\\\\*"`: an escaped backslash does not escape the mask after it', () => {
    expect(pattern('"fish\\\\*"')).toEqual([L('fish\\'), STAR]);
  });

  it('in an unquoted term a backslash also escapes a delimiter, as YAZ reads it: `dc.title = f\\(1\\)\\ x`', () => {
    expect(pattern('dc.title = f\\(1\\)\\ x')).toEqual([L('f(1) x')]);
    expect(root('a\\=b = c\\"d')).toEqual(clause('a=b', '=', 'c\\"d'));
  });

  it('a backslash before another character is that character; a trailing lone backslash is itself', () => {
    expect(pattern('a\\bc')).toEqual([L('abc')]);
    expect(pattern('abc\\')).toEqual([L('abc\\')]);
    expect((root('abc\\') as CqlSearchClause).term.text).toBe('abc\\\\');
  });

  it('masks, anchors and literals in one term keep their order: `^a*b?c^`', () => {
    const t = (root('^a*b?c^') as CqlSearchClause).term;
    expect(t).toEqual({
      text: '^a*b?c^',
      pattern: [L('a'), STAR, L('b'), QM, L('c')],
      anchoredStart: true,
      anchoredEnd: true,
    });
  });

  it('terms of any script: `dc.title = 猫*` and `"Ünïcödé ✓"`', () => {
    expect(pattern('dc.title = 猫*')).toEqual([L('猫'), STAR]);
    expect(pattern('"Ünïcödé ✓"')).toEqual([L('Ünïcödé ✓')]);
  });
});

describe('LoC CQL 1.2 case sensitivity', () => {
  it('terms, modifier values and prefix names keep their case; index and modifier names are kept as written', () => {
    expect(parseCql('> DC = "U" DC.Title ANY/Stem=Yes FiSh SORTBY DC.Date')).toEqual({
      root: withPrefixes(clause('DC.Title', 'any', 'FiSh', [{ name: 'Stem', comparison: '=', value: 'Yes' }]), [
        { name: 'DC', uri: 'U' },
      ]),
      sortKeys: [{ index: 'DC.Date', modifiers: [] }],
    });
  });
});
