// Property tests: (1) parseCql throws nothing but CqlDiagnostic, whatever the input; (2) parsing
// the serialization of any AST gives that AST back; (3) serialize(parse(q)) is a fixed point
// after one round, and keeps the AST.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CQL_DIAGNOSTIC_MESSAGES,
  CqlDiagnostic,
  cqlTerm,
  escapeTermLiteral,
  parseCql,
  serializeCql,
  toXcql,
  type CqlComparitor,
  type CqlModifier,
  type CqlNode,
  type CqlPrefix,
  type CqlQuery,
  type CqlSearchClause,
} from './index.js';

const COMPARITORS: CqlComparitor[] = ['=', '==', '<>', '<', '>', '<=', '>='];
const NAMED_RELATIONS = ['exact', 'all', 'any', 'adj', 'within', 'encloses', 'cql.adj', 'cql.within', 'rel.x-y', 'scr'];
const BOOLEANS = ['and', 'or', 'not', 'prox'] as const;

// Text with everything CQL treats specially, plus other scripts, odd whitespace and lone surrogates.
const SPECIAL_PIECES = [
  ...'()"\\/=<>*?^ \t\n\u00a0\u3000',
  '==',
  '<>',
  '<=',
  '>=',
  'and',
  'OR',
  'Not',
  'prox',
  'sortBy',
  'SORTBY',
  'dc.title',
  'cql.serverChoice',
  'any',
  'all/stem',
  'prox/unit=word/distance<3',
  '> dc = "x"',
  '> "u"',
  'fish',
  '"a b"',
  '""',
  '\\"',
  '\\\\',
  '猫',
  'é',
  '😀',
  '\ud800',
  '\udc00',
  '\u0000',
  '\u202e',
];

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...SPECIAL_PIECES), maxLength: 25 }),
);

// --- an arbitrary for well-formed query text, with varied spacing and case -----------------

const space = fc.constantFrom(' ', '  ', '\t', '\n ', '\u00a0');
const mixCase = (words: string[]) =>
  fc
    .constantFrom(...words)
    .chain((w) =>
      fc
        .array(fc.boolean(), { minLength: w.length, maxLength: w.length })
        .map((ups) => [...w].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join('')),
    );
const quoted = fc.string({ unit: 'binary', maxLength: 8 }).map((s) => '"' + s.replace(/["\\]/g, (c) => '\\' + c) + '"');
const plainWord = fc.constantFrom(
  'fish',
  'dc.title',
  'c*t',
  'c?t',
  '^cat',
  'cat^',
  'a\\*b',
  'x\\\\',
  'f\\(1\\)',
  'a\\ b',
  'Äö',
  '猫',
  'any',
  'all',
  '12',
);
const termText = fc.oneof(plainWord, quoted);
const modifierText = fc
  .tuple(termText, fc.option(fc.tuple(fc.constantFrom(...COMPARITORS), termText), { nil: undefined }))
  .map(([n, v]) => '/' + n + (v ? v[0] + v[1] : ''));
const modifiersText = fc.array(modifierText, { maxLength: 2 }).map((m) => m.join(''));
const relationText = fc.oneof(fc.constantFrom(...COMPARITORS), mixCase(NAMED_RELATIONS));
const clauseText = fc.oneof(
  termText,
  fc.tuple(termText, space, relationText, modifiersText, space, termText).map((p) => p.join('')),
);
const { query: queryText } = fc.letrec<{ query: string; node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    clauseText,
    tie('query').map((q) => `(${q})`),
    fc
      .tuple(tie('node'), space, mixCase([...BOOLEANS]), modifiersText, space, tie('node'))
      .map(([l, s1, b, m, s2, r]) => `${l}${s1}${b}${m}${s2}${r}`),
  ),
  query: fc.oneof(
    tie('node'),
    fc
      .tuple(
        fc.oneof(
          fc.constant(''),
          termText.map((n) => `${n} = `),
        ),
        termText,
        space,
        tie('node'),
      )
      .map(([name, uri, s, q]) => `> ${name}${uri}${s}${q}`),
  ),
}));
const sortedQueryText = fc
  .tuple(queryText, fc.array(fc.tuple(termText, modifiersText), { maxLength: 3 }))
  .map(([q, keys]) => (keys.length ? `${q} sortBy ${keys.map(([i, m]) => i + m).join(' ')}` : q));

// --- an arbitrary for ASTs --------------------------------------------------------------------

const name = fc.oneof(
  fc.constantFrom('dc.title', 'bath.isbn', 'rec.id', 'x', 'Relevant', 'sort.descending', 'cql.serverChoice', 'and'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const modifier: fc.Arbitrary<CqlModifier> = fc.oneof(
  name.map((n) => ({ name: n })),
  fc
    .tuple(name, fc.constantFrom(...COMPARITORS), name)
    .map(([n, comparison, value]) => ({ name: n, comparison, value })),
);
const modifiers = fc.array(modifier, { maxLength: 2 });
const prefixes: fc.Arbitrary<CqlPrefix[]> = fc.array(fc.record({ name: fc.option(name, { nil: null }), uri: name }), {
  maxLength: 2,
});
// Raw term text built from pieces that are each valid term syntax: escaped literals, masks,
// anchors, escapes of non-special characters.
const rawTermText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }).map(escapeTermLiteral),
      fc.constantFrom('*', '?', '^', '\\*', '\\?', '\\^', '\\\\', '\\"', '\\a', ' ', 'and', 'sortby'),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));
const searchClause: fc.Arbitrary<CqlSearchClause> = fc.record({
  type: fc.constant('searchClause' as const),
  prefixes,
  index: name,
  relation: fc.record({ base: fc.constantFrom(...COMPARITORS, ...NAMED_RELATIONS), modifiers }),
  term: rawTermText.map(cqlTerm),
});
const { node } = fc.letrec<{ node: CqlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    searchClause,
    fc.record({
      type: fc.constant('boolean' as const),
      prefixes,
      operator: fc.constantFrom(...BOOLEANS),
      modifiers,
      left: tie('node'),
      right: tie('node'),
    }),
  ),
}));
const ast: fc.Arbitrary<CqlQuery> = fc.record({
  root: node,
  sortKeys: fc.array(fc.record({ index: name, modifiers }), { maxLength: 3 }),
});

// ------------------------------------------------------------------------------------------------

function parseOrDiagnostic(q: string): CqlQuery | CqlDiagnostic {
  try {
    return parseCql(q);
  } catch (e) {
    if (e instanceof CqlDiagnostic) return e;
    throw e;
  }
}

describe('property: the parser throws nothing but a CqlDiagnostic', () => {
  it('for arbitrary strings, a valid diagnostic (known code, position within the query) or a query', () => {
    fc.assert(
      fc.property(anyText, (q) => {
        const result = parseOrDiagnostic(q);
        if (result instanceof CqlDiagnostic) {
          expect(CQL_DIAGNOSTIC_MESSAGES[result.code]).toBe(result.title);
          expect(result.position).not.toBeNull();
          expect(result.position!).toBeGreaterThanOrEqual(0);
          expect(result.position!).toBeLessThanOrEqual(q.length);
        } else {
          expect(typeof serializeCql(result)).toBe('string');
          expect(toXcql(result)).toMatch(/^<(searchClause|triple) /);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('for well-formed queries with truncation or an inserted special character', () => {
    fc.assert(
      fc.property(sortedQueryText, fc.nat(), fc.constantFrom(...SPECIAL_PIECES), (q, at, piece) => {
        const cut = at % (q.length + 1);
        for (const variant of [q.slice(0, cut), q.slice(0, cut) + piece + q.slice(cut)]) {
          const result = parseOrDiagnostic(variant);
          if (result instanceof CqlDiagnostic) expect(result.position!).toBeLessThanOrEqual(variant.length);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('property: parse(serialize(ast)) deep-equals ast', () => {
  it('for generated ASTs', () => {
    fc.assert(
      fc.property(ast, (query) => {
        expect(parseCql(serializeCql(query))).toEqual(query);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('property: serialize(parse(q)) is a fixed point after one round', () => {
  it('for generated well-formed queries (which all parse)', () => {
    fc.assert(
      fc.property(sortedQueryText, (q) => {
        const first = parseCql(q);
        const text = serializeCql(first);
        const second = parseCql(text);
        expect(second).toEqual(first);
        expect(serializeCql(second)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('for arbitrary strings that happen to parse', () => {
    fc.assert(
      fc.property(anyText, (q) => {
        const first = parseOrDiagnostic(q);
        if (first instanceof CqlDiagnostic) return;
        const text = serializeCql(first);
        expect(parseCql(text)).toEqual(first);
        expect(serializeCql(parseCql(text))).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });
});
