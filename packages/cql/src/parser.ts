// Recursive descent over the CQL 1.2 grammar (LoC "CQL: Contextual Query Language", BNF):
//
//   sortedQuery      ::= prefixAssignment sortedQuery | scopedClause ['sortBy' sortSpec]
//   cqlQuery         ::= prefixAssignment cqlQuery | scopedClause
//   prefixAssignment ::= '>' prefix '=' uri | '>' uri
//   scopedClause     ::= scopedClause booleanGroup searchClause | searchClause
//   booleanGroup     ::= boolean [modifierList]           boolean ::= and | or | not | prox
//   searchClause     ::= '(' cqlQuery ')' | index relation searchTerm | searchTerm
//   relation         ::= comparitor [modifierList]        comparitor ::= symbol | identifier
//   modifier         ::= '/' name [comparitorSymbol value]
//   sortSpec         ::= (index [modifierList])+
//
// scopedClause is left-recursive: the booleans have one precedence and group from the left,
// which the loop in scopedClause() builds. Reserved words (and, or, not, prox, sortBy; any case)
// are never read as a term, an index or a name: quoted, they are.
import type { CqlBooleanOperator, CqlModifier, CqlNode, CqlPrefix, CqlQuery, CqlSortKey } from './ast.js';
import { CqlDiagnostic } from './diagnostics.js';
import { isReserved, parseTerm, unescapeIdentifier } from './lexical.js';
import { tokenize, type Token } from './tokenizer.js';

export interface ParseOptions {
  /** More boolean operators than this is diagnostic 38. Default 1000. */
  maxBooleans?: number;
  /** Parentheses nested deeper than this are diagnostic 13. Default 100. */
  maxDepth?: number;
}

export const SERVER_CHOICE = 'cql.serverChoice';

const BOOLEANS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'prox']);

const PHRASE_HINT = ' (to search for several words together, put them in quotes: "like this")';

function isTerm(t: Token): boolean {
  return t.kind === 'string' || (t.kind === 'word' && !isReserved(t.text));
}

function isWord(t: Token, lower: string): boolean {
  return t.kind === 'word' && t.text.length === lower.length && t.text.toLowerCase() === lower;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the query';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}

class Parser {
  private pos = 0;
  private booleans = 0;
  private readonly maxBooleans: number;
  private readonly maxDepth: number;

  constructor(
    private readonly tokens: Token[],
    options: ParseOptions,
  ) {
    this.maxBooleans = options.maxBooleans ?? 1000;
    this.maxDepth = options.maxDepth ?? 100;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  sortedQuery(): CqlQuery {
    if (this.peek().kind === 'eof') throw new CqlDiagnostic(10, 'the query is empty', 0);
    const root = this.cqlQuery(0);
    let sortKeys: CqlSortKey[] = [];
    if (isWord(this.peek(), 'sortby')) sortKeys = this.sortSpec(this.next());
    const t = this.peek();
    if (t.kind === ')') throw new CqlDiagnostic(13, "this ')' has no matching '('", t.start);
    if (t.kind !== 'eof') throw this.unexpectedAfterClause(t, false);
    return { root, sortKeys };
  }

  private cqlQuery(depth: number): CqlNode {
    const prefixes: CqlPrefix[] = [];
    let t = this.peek();
    while (t.kind === 'comparitor' && t.text === '>') {
      this.next();
      prefixes.push(this.prefixAssignment());
      t = this.peek();
    }
    const node = this.scopedClause(depth, prefixes.length > 0);
    if (prefixes.length > 0) node.prefixes = [...prefixes, ...node.prefixes];
    return node;
  }

  private prefixAssignment(): CqlPrefix {
    const first = this.next();
    if (!isTerm(first)) {
      throw new CqlDiagnostic(
        10,
        `expected a prefix name or a context set URI after '>', found ${describe(first)}`,
        first.start,
      );
    }
    const eq = this.peek();
    if (eq.kind !== 'comparitor' || eq.text !== '=') return { name: null, uri: unescapeIdentifier(first.text) };
    this.next();
    const uri = this.next();
    if (!isTerm(uri)) {
      throw new CqlDiagnostic(
        10,
        `expected a context set URI after '${first.text} =', found ${describe(uri)}`,
        uri.start,
      );
    }
    return { name: unescapeIdentifier(first.text), uri: unescapeIdentifier(uri.text) };
  }

  private scopedClause(depth: number, afterPrefix: boolean): CqlNode {
    let left = this.searchClause(depth, afterPrefix ? 'a prefix assignment' : null);
    for (let t = this.peek(); t.kind === 'word'; t = this.peek()) {
      const operator = t.text.toLowerCase();
      if (!BOOLEANS.has(operator)) break;
      this.next();
      if (++this.booleans > this.maxBooleans) {
        throw new CqlDiagnostic(38, `more than ${this.maxBooleans} boolean operators`, t.start);
      }
      const modifiers = this.modifiers(`'${t.text}'`);
      const right = this.searchClause(depth, `'${t.text}'`);
      left = { type: 'boolean', prefixes: [], operator: operator as CqlBooleanOperator, modifiers, left, right };
    }
    return left;
  }

  private searchClause(depth: number, after: string | null): CqlNode {
    const t = this.peek();
    if (t.kind === '(') {
      if (depth >= this.maxDepth) {
        throw new CqlDiagnostic(13, `parentheses nested more than ${this.maxDepth} levels deep`, t.start);
      }
      this.next();
      if (this.peek().kind === ')') throw new CqlDiagnostic(13, 'empty parentheses', t.start);
      const node = this.cqlQuery(depth + 1);
      const close = this.peek();
      if (close.kind === ')') {
        this.next();
        return node;
      }
      if (close.kind === 'eof') throw new CqlDiagnostic(13, "this '(' is never closed", t.start);
      throw this.unexpectedAfterClause(close, true);
    }
    if (!isTerm(t)) throw this.expectedClause(t, after);
    this.next();
    const r = this.peek();
    if (r.kind !== 'comparitor' && !(r.kind === 'word' && !isReserved(r.text))) {
      return {
        type: 'searchClause',
        prefixes: [],
        index: SERVER_CHOICE,
        relation: { base: '=', modifiers: [] },
        term: parseTerm(t.text),
      };
    }
    this.next();
    const base = r.kind === 'comparitor' ? r.text : r.text.toLowerCase();
    const modifiers = this.modifiers(`the relation '${r.text}'`);
    const term = this.peek();
    if (!isTerm(term)) throw this.missingTerm(term, r);
    this.next();
    return {
      type: 'searchClause',
      prefixes: [],
      index: unescapeIdentifier(t.text),
      relation: { base, modifiers },
      term: parseTerm(term.text),
    };
  }

  private modifiers(owner: string): CqlModifier[] {
    const list: CqlModifier[] = [];
    while (this.peek().kind === '/') {
      this.next();
      const name = this.next();
      if (!isTerm(name)) {
        throw new CqlDiagnostic(
          10,
          `expected a modifier name after '/' in ${owner}, found ${describe(name)}`,
          name.start,
        );
      }
      const modifier: CqlModifier = { name: unescapeIdentifier(name.text) };
      const c = this.peek();
      if (c.kind === 'comparitor') {
        this.next();
        const value = this.next();
        if (!isTerm(value)) {
          throw new CqlDiagnostic(
            10,
            `expected a value after '${c.text}' in the modifier '${name.text}', found ${describe(value)}`,
            value.start,
          );
        }
        modifier.comparison = c.text;
        modifier.value = unescapeIdentifier(value.text);
      }
      list.push(modifier);
    }
    return list;
  }

  private sortSpec(sortBy: Token): CqlSortKey[] {
    const keys: CqlSortKey[] = [];
    while (isTerm(this.peek())) {
      const index = this.next();
      keys.push({ index: unescapeIdentifier(index.text), modifiers: this.modifiers(`the sort key '${index.text}'`) });
    }
    if (keys.length === 0) {
      const t = this.peek();
      throw new CqlDiagnostic(10, `expected an index to sort by after '${sortBy.text}', found ${describe(t)}`, t.start);
    }
    return keys;
  }

  private expectedClause(t: Token, after: string | null): CqlDiagnostic {
    const where = after ? ` after ${after}` : '';
    switch (t.kind) {
      case 'eof':
        return new CqlDiagnostic(10, `the query ends where a search clause is expected${where}`, t.start);
      case ')':
        return new CqlDiagnostic(13, `expected a search clause${where} before ')'`, t.start);
      case 'word':
        return new CqlDiagnostic(
          10,
          `'${t.text}' is a reserved word where a search clause is expected${where}; to search for the word, quote it: "${t.text}"`,
          t.start,
        );
      case 'comparitor':
        if (t.text === '>') {
          return new CqlDiagnostic(
            10,
            'a prefix assignment can only begin the query or a part in parentheses',
            t.start,
          );
        }
        return new CqlDiagnostic(10, `expected a search clause${where}, found '${t.text}'`, t.start);
      default:
        return new CqlDiagnostic(10, `expected a search clause${where}, found ${describe(t)}`, t.start);
    }
  }

  private missingTerm(t: Token, relation: Token): CqlDiagnostic {
    const after = `after the relation '${relation.text}'`;
    if (t.kind === '(') return new CqlDiagnostic(13, `a search term cannot be put in parentheses (${after})`, t.start);
    if (t.kind === 'word') {
      return new CqlDiagnostic(
        10,
        `'${t.text}' is a reserved word where a search term is expected ${after}; to search for the word, quote it: "${t.text}"`,
        t.start,
      );
    }
    const hint = relation.kind === 'word' && t.kind === 'eof' ? PHRASE_HINT : '';
    return new CqlDiagnostic(10, `expected a search term ${after}, found ${describe(t)}${hint}`, t.start);
  }

  private unexpectedAfterClause(t: Token, inParentheses: boolean): CqlDiagnostic {
    if (isWord(t, 'sortby')) {
      return new CqlDiagnostic(10, "'sortBy' can only end the whole query, not a part in parentheses", t.start);
    }
    const expected = inParentheses
      ? "a boolean operator (and, or, not, prox) or ')'"
      : 'a boolean operator (and, or, not, prox), sortBy or the end of the query';
    const hint = t.kind === 'word' || t.kind === 'string' ? PHRASE_HINT : '';
    return new CqlDiagnostic(10, `expected ${expected}, found ${describe(t)}${hint}`, t.start);
  }
}

export function parseCql(query: string, options: ParseOptions = {}): CqlQuery {
  return new Parser(tokenize(query), options).sortedQuery();
}
