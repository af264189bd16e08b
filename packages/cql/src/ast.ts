// The CQL abstract syntax tree. Plain data (JSON-serializable, no classes, no positions), so two
// parses of equivalent queries compare equal with a deep equality.

export type CqlComparitor = '=' | '==' | '<>' | '<' | '>' | '<=' | '>=';

export type CqlBooleanOperator = 'and' | 'or' | 'not' | 'prox';

/** `/name` or `/name<comparison>value`, on a relation, a boolean or a sort key. */
export interface CqlModifier {
  /** As written (modifier names are case-insensitive; compare with `toLowerCase()`). */
  name: string;
  comparison?: CqlComparitor;
  value?: string;
}

export interface CqlRelation {
  /** A comparitor symbol, or a named relation (`any`, `all`, `adj`, `cql.within`…) in lower case. */
  base: string;
  modifiers: CqlModifier[];
}

export type CqlTermPart =
  | { kind: 'literal'; value: string }
  /** `*`: zero or more characters. */
  | { kind: 'anyChars' }
  /** `?`: exactly one character. */
  | { kind: 'anyChar' }
  /** `^` inside the term, e.g. before a word of an `any`/`all` word list. */
  | { kind: 'anchor' };

export interface CqlTerm {
  /** The term as written, without the surrounding quotes, backslash escapes kept (a dangling final backslash is doubled). */
  text: string;
  /** `text` read with the CQL masking rules: which characters are literal and which are masks. */
  pattern: CqlTermPart[];
  /** The term began with an unescaped `^`. */
  anchoredStart: boolean;
  /** The term ended with an unescaped `^`. */
  anchoredEnd: boolean;
}

/** `> name = "uri"`, or `> "uri"` (name null: the default context set for unprefixed indexes). */
export interface CqlPrefix {
  name: string | null;
  uri: string;
}

export interface CqlSearchClause {
  type: 'searchClause';
  /** Prefix assignments scoped to this clause, outermost first (a later one with the same name wins). */
  prefixes: CqlPrefix[];
  /** `cql.serverChoice` when the query gave a bare term. */
  index: string;
  relation: CqlRelation;
  term: CqlTerm;
}

export interface CqlBoolean {
  type: 'boolean';
  /** Prefix assignments scoped to this subtree, outermost first. */
  prefixes: CqlPrefix[];
  operator: CqlBooleanOperator;
  modifiers: CqlModifier[];
  left: CqlNode;
  right: CqlNode;
}

export type CqlNode = CqlSearchClause | CqlBoolean;

export interface CqlSortKey {
  index: string;
  modifiers: CqlModifier[];
}

export interface CqlQuery {
  root: CqlNode;
  /** From `sortBy`; empty when the query has none. Scoped by the root's prefix assignments. */
  sortKeys: CqlSortKey[];
}
