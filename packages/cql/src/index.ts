// @athenaeum/cql: CQL 1.2 (SRU 1.2 and 2.0) text → AST, AST → canonical CQL and XCQL.
// No dependency on the app; translating an AST to SQL is the server's job.
// Grammar and masking rules: LoC "CQL: Contextual Query Language" and the CQL context set 1.2.

export type {
  /** A comparitor symbol: `=`, `==`, `<>`, `<`, `>`, `<=`, `>=`. */
  CqlComparitor,
  /** `and`, `or`, `not` or `prox`, in lower case. */
  CqlBooleanOperator,
  /** A relation, boolean or sort modifier: `/name` or `/name<comparison>value`. */
  CqlModifier,
  /** A relation: its base (symbol or lower-case name) and its modifiers. */
  CqlRelation,
  /** One piece of a parsed term: literal text, `*`, `?` or an inner `^`. */
  CqlTermPart,
  /** A search term: the raw text and its masking-aware pattern. */
  CqlTerm,
  /** A prefix assignment (`> dc = "uri"`; name null for `> "uri"`). */
  CqlPrefix,
  /** `index relation term`; a bare term has index `cql.serverChoice` and relation `=`. */
  CqlSearchClause,
  /** Two operands joined by a boolean operator, with its modifiers. */
  CqlBoolean,
  /** A search clause or a boolean. */
  CqlNode,
  /** One `sortBy` key: an index and its modifiers. */
  CqlSortKey,
  /** A whole query: the tree and its sort keys. */
  CqlQuery,
} from './ast.js';

/** Parses CQL text into a CqlQuery; throws only CqlDiagnostic (SRU diagnostics 10, 13, 14, 38). */
export { parseCql } from './parser.js';
/** Limits for parseCql: boolean operator count and parenthesis depth. */
export type { ParseOptions } from './parser.js';
/** The index a bare term searches: `cql.serverChoice`. */
export { SERVER_CHOICE } from './parser.js';

/** Writes a query or node as canonical CQL text, which parseCql reads back to the same AST. */
export { serializeCql } from './serialize.js';

/** Writes a query or node as XCQL (the XML echoed by SRU 1.2 in `<xQuery>`). */
export { toXcql, XCQL_NAMESPACE } from './xcql.js';
/** Options for toXcql: namespace declaration and indentation. */
export type { XcqlOptions } from './xcql.js';

/** The error every parse failure is: an SRU diagnostic code, its URI, details and a position. */
export { CqlDiagnostic, CQL_DIAGNOSTIC_MESSAGES, SRU_DIAGNOSTIC_PREFIX } from './diagnostics.js';
/** A query-related SRU diagnostic number (10–49). */
export type { CqlDiagnosticCode } from './diagnostics.js';

/** Builds a CqlTerm from raw term text (backslash escapes and masking characters as in a query). */
export { parseTerm as cqlTerm } from './lexical.js';
/** Escapes a literal string for term text, so `*`, `?`, `^`, `\` and `"` stay literal. */
export { escapeTermLiteral } from './lexical.js';

/** Every search clause of a query with the prefix map in force at it, left to right. */
export { searchClauses, prefixMap, resolveIndex } from './scope.js';
/** Prefix maps and resolved indexes, for turning `dc.title` into a context set URI and a name. */
export type { PrefixMap, ScopedSearchClause, ResolvedIndex } from './scope.js';
