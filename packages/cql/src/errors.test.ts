// Malformed queries: each is a CqlDiagnostic with the SRU diagnostic number (info:srw/diagnostic/1/N)
// and the UTF-16 position of the problem.
import { describe, expect, it } from 'vitest';
import { CqlDiagnostic, parseCql, type ParseOptions } from './index.js';

function diagnose(query: string, options?: ParseOptions): CqlDiagnostic {
  try {
    parseCql(query, options);
  } catch (e) {
    if (e instanceof CqlDiagnostic) return e;
    throw e;
  }
  throw new Error(`parsed without a diagnostic: ${query}`);
}

function expectDiagnostic(query: string, code: number, position: number, details?: RegExp, options?: ParseOptions) {
  const d = diagnose(query, options);
  expect({ code: d.code, position: d.position }, d.message).toEqual({ code, position });
  if (details) expect(d.details).toMatch(details);
}

describe('the diagnostic itself', () => {
  it('is an Error with the SRU URI, the standard message, details and the position', () => {
    const d = diagnose('dc.title =');
    expect(d).toBeInstanceOf(Error);
    expect(d.name).toBe('CqlDiagnostic');
    expect(d.code).toBe(10);
    expect(d.uri).toBe('info:srw/diagnostic/1/10');
    expect(d.title).toBe('Query syntax error');
    expect(d.details).toMatch(/expected a search term after the relation '='/);
    expect(d.message).toBe(`Query syntax error at character 10: ${d.details}`);
  });

  it('the server can raise the codes the parser does not (15 unsupported context set, 16 unsupported index)', () => {
    const d = new CqlDiagnostic(16, 'dc.coverage');
    expect(d.uri).toBe('info:srw/diagnostic/1/16');
    expect(d.title).toBe('Unsupported index');
    expect(d.position).toBeNull();
    expect(new CqlDiagnostic(15, 'xyz').title).toBe('Unsupported context set');
  });
});

describe('empty query (10)', () => {
  it.each([
    ['', 0],
    ['   \t\n', 0],
  ])('%j', (q, pos) => expectDiagnostic(q, 10, pos, /empty/));
});

describe('unbalanced parentheses (13)', () => {
  it('an unclosed ( is reported where it opens', () => {
    expectDiagnostic('(dc.title = fish', 13, 0, /never closed/);
    expectDiagnostic('a and ((b or c)', 13, 6, /never closed/);
  });

  it('a ) without ( is reported where it is', () => {
    expectDiagnostic('dc.title = fish)', 13, 15, /no matching/);
    expectDiagnostic('a and (b or c))', 13, 14, /no matching/);
  });

  it('empty parentheses, and a clause missing before )', () => {
    expectDiagnostic('()', 13, 0, /empty/);
    expectDiagnostic('(a and )', 13, 7, /before '\)'/);
  });

  it('parentheses around a term are not CQL: `title = ("illegal parentheses")`', () => {
    expectDiagnostic('title = ("illegal parentheses")', 13, 8, /term cannot be put in parentheses/);
  });

  it('nesting beyond maxDepth', () => {
    expectDiagnostic('(((a)))', 13, 2, /nested more than 2/, { maxDepth: 2 });
    expect(parseCql('(((a)))', { maxDepth: 3 }).root).toMatchObject({ term: { text: 'a' } });
  });

  it('a deep nesting by default is a diagnostic, not a stack overflow', () => {
    const q = '('.repeat(100_000) + 'a' + ')'.repeat(100_000);
    expectDiagnostic(q, 13, 100, /nested more than 100/);
  });
});

describe('trailing or misplaced boolean (10)', () => {
  it('a boolean with nothing after it', () => {
    expectDiagnostic('fish and', 10, 8, /after 'and'/);
    expectDiagnostic('fish OR ', 10, 8, /after 'OR'/);
    expectDiagnostic('fish prox/unit=word', 10, 19, /after 'prox'/);
  });

  it('a boolean where a clause should start', () => {
    expectDiagnostic('and fish', 10, 0, /reserved word/);
    expectDiagnostic('fish and or chips', 10, 9, /'or' is a reserved word/);
    expectDiagnostic('(not a)', 10, 1, /reserved word/);
  });
});

describe('missing term after a relation (10)', () => {
  it.each([
    ['dc.title =', 10],
    ['dc.title any', 12],
    ['dc.title any/relevant', 21],
    ['dc.title >= and x', 12],
  ])('%j at %i', (q, pos) => expectDiagnostic(q, 10, pos));

  it('two bare words: the second is read as a relation, and the hint says to quote a phrase', () => {
    expectDiagnostic('harry potter', 10, 12, /relation 'potter'.*several words together/);
  });

  it('three words read as a clause, the fourth has nowhere to go', () => {
    expectDiagnostic('dc.title = harry potter', 10, 17, /found 'potter'.*quotes/);
  });
});

describe('unterminated quotes (14)', () => {
  it.each([
    ['"fish', 0],
    ['dc.title = "fish', 11],
    ['dc.title = "fish\\"', 11],
    ['a and "b \\\\" or "c', 16],
    ['> dc = "http://x', 7],
  ])('%j at %i', (q, pos) => expectDiagnostic(q, 14, pos, /not closed/));
});

describe('bad modifiers (10)', () => {
  it('a slash with no modifier name', () => {
    expectDiagnostic('dc.title any/ = fish', 10, 14, /modifier name after '\/' in the relation 'any'/);
    expectDiagnostic('a and/(b)', 10, 6, /modifier name after '\/' in 'and'/);
    expectDiagnostic('a sortBy dc.title/', 10, 18, /modifier name/);
  });

  it('a comparison with no value', () => {
    expectDiagnostic('a prox/unit= (b)', 10, 13, /value after '=' in the modifier 'unit'/);
    expectDiagnostic('a prox/distance<', 10, 16, /value after '<'/);
  });

  it('a modifier after a bare term (modifiers belong to relations, booleans and sort keys)', () => {
    expectDiagnostic('fish/stem', 10, 4, /found '\/'/);
  });
});

describe('sortBy (10)', () => {
  it('without an index', () => {
    expectDiagnostic('fish sortBy', 10, 11, /index to sort by/);
    expectDiagnostic('fish sortby /sort.ascending', 10, 12, /index to sort by/);
  });

  it('inside parentheses', () => {
    expectDiagnostic('(fish sortBy dc.title)', 10, 6, /whole query/);
  });

  it('followed by something that is not a key', () => {
    expectDiagnostic('fish sortBy dc.title and x', 10, 21, /found 'and'/);
    expectDiagnostic('fish sortBy dc.title = x', 10, 21, /found '='/);
  });

  it('with no search clause before it', () => {
    expectDiagnostic('sortBy dc.title', 10, 0, /reserved word/);
  });
});

describe('prefix assignments (10)', () => {
  it('an assignment must be followed by a query', () => {
    expectDiagnostic('> dc = "x"', 10, 10, /after a prefix assignment/);
  });

  it('an assignment cannot follow a boolean', () => {
    expectDiagnostic(
      '"fish" and > illegal = "urn:x" "chips"',
      10,
      11,
      /can only begin the query or a part in parentheses/,
    );
  });

  it('an assignment needs a name or URI, and a URI after =', () => {
    expectDiagnostic('> = "x" a', 10, 2, /prefix name or a context set URI/);
    expectDiagnostic('> dc = ( a', 10, 7, /context set URI after 'dc ='/);
  });
});

describe('other misplaced tokens (10)', () => {
  it.each([
    ['= fish', 0, /found '='/],
    ['/ fish', 0, /found '\/'/],
    ['a = b = c', 6, /found '='/],
    ['a (b)', 2, /found '\('/],
    ['fish "chips"', 5, /found "chips"/],
  ])('%j', (q, pos, details) => expectDiagnostic(q, 10, pos, details));
});

describe('too many boolean operators (38)', () => {
  it('past maxBooleans', () => {
    expectDiagnostic('a and b and c and d', 38, 14, /more than 2/, { maxBooleans: 2 });
    expect(() => parseCql('a and b and c', { maxBooleans: 2 })).not.toThrow();
  });

  it('by default a 10,000-clause chain is a diagnostic, not a stack overflow later', () => {
    const q = Array.from({ length: 10_000 }, (_, i) => `t${i}`).join(' and ');
    expect(diagnose(q).code).toBe(38);
  });
});
