// Canonical CQL text: lower-case booleans and relations, `sortBy`, one space between parts,
// quotes only where needed, a bare term for `cql.serverChoice =`, and parentheses only where
// the tree needs them (plus around a left operand whose operator differs, for human readers:
// CQL booleans have one precedence, which few people expect).
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery, CqlRelation } from './ast.js';
import { isBareWord, quoteIdentifier, writeIdentifier, writeTerm } from './lexical.js';
import { SERVER_CHOICE } from './parser.js';

const BOOLEANS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'prox']);
const COMPARITORS: ReadonlySet<string> = new Set(['=', '==', '<>', '<', '>', '<=', '>=']);

// A relation is written as read: a symbol, or one unquoted word (the parser lower-cases names).
function isRelationName(base: string): boolean {
  return isBareWord(base) && base === base.toLowerCase();
}

function modifiers(list: CqlModifier[]): string {
  let out = '';
  for (const m of list) {
    out += '/' + writeIdentifier(m.name);
    if (m.comparison !== undefined) {
      if (!COMPARITORS.has(m.comparison)) throw new TypeError(`not a CQL comparitor: ${m.comparison}`);
      out += m.comparison + writeIdentifier(m.value ?? '');
    }
  }
  return out;
}

function relation(r: CqlRelation): string {
  if (!COMPARITORS.has(r.base) && !isRelationName(r.base)) {
    throw new TypeError(`not a CQL relation (a comparitor symbol or a lower-case name): ${JSON.stringify(r.base)}`);
  }
  return r.base + modifiers(r.modifiers);
}

function prefixes(list: CqlPrefix[]): string {
  let out = '';
  for (const p of list) {
    // URIs are always quoted, as in the specification's examples.
    out +=
      p.name === null ? `> ${quoteIdentifier(p.uri)} ` : `> ${writeIdentifier(p.name)} = ${quoteIdentifier(p.uri)} `;
  }
  return out;
}

function isDefaultClause(n: CqlNode): boolean {
  return (
    n.type === 'searchClause' &&
    n.index === SERVER_CHOICE &&
    n.relation.base === '=' &&
    n.relation.modifiers.length === 0
  );
}

function node(n: CqlNode): string {
  let body: string;
  if (n.type === 'searchClause') {
    body = isDefaultClause(n)
      ? writeTerm(n.term.text)
      : `${writeIdentifier(n.index)} ${relation(n.relation)} ${writeTerm(n.term.text)}`;
  } else {
    const l = n.left;
    const r = n.right;
    const left =
      l.prefixes.length > 0 || (l.type === 'boolean' && l.operator !== n.operator) ? `(${node(l)})` : node(l);
    const right = r.prefixes.length > 0 || r.type === 'boolean' ? `(${node(r)})` : node(r);
    if (!BOOLEANS.has(n.operator)) throw new TypeError(`not a CQL boolean operator: ${JSON.stringify(n.operator)}`);
    body = `${left} ${n.operator}${modifiers(n.modifiers)} ${right}`;
  }
  return prefixes(n.prefixes) + body;
}

export function serializeCql(query: CqlQuery | CqlNode): string {
  if ('type' in query) return node(query);
  let out = node(query.root);
  if (query.sortKeys.length > 0) {
    out += ' sortBy';
    for (const key of query.sortKeys) out += ' ' + writeIdentifier(key.index) + modifiers(key.modifiers);
  }
  return out;
}
