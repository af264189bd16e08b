// Prefix assignments scope over the subtree they precede; an inner assignment of the same
// name hides the outer one. These helpers give each search clause the map in force there.
import type { CqlNode, CqlPrefix, CqlQuery, CqlSearchClause } from './ast.js';

/** Prefix name in lower case (null: the default context set) → context set URI. */
export type PrefixMap = ReadonlyMap<string | null, string>;

export function prefixMap(prefixes: readonly CqlPrefix[], outer: PrefixMap = new Map()): PrefixMap {
  if (prefixes.length === 0) return outer;
  const map = new Map(outer);
  for (const p of prefixes) map.set(p.name === null ? null : p.name.toLowerCase(), p.uri);
  return map;
}

export interface ScopedSearchClause {
  clause: CqlSearchClause;
  prefixes: PrefixMap;
}

export function searchClauses(query: CqlQuery | CqlNode): ScopedSearchClause[] {
  const out: ScopedSearchClause[] = [];
  const visit = (n: CqlNode, outer: PrefixMap) => {
    const scope = prefixMap(n.prefixes, outer);
    if (n.type === 'searchClause') out.push({ clause: n, prefixes: scope });
    else {
      visit(n.left, scope);
      visit(n.right, scope);
    }
  };
  visit('type' in query ? query : query.root, new Map());
  return out;
}

export interface ResolvedIndex {
  /** The part before the first dot, as written; null when the index has no dot. */
  prefix: string | null;
  /** The rest (base name). */
  name: string;
  /** The URI the prefix maps to in scope; undefined when it is not assigned in the query. */
  contextSet: string | undefined;
}

export function resolveIndex(index: string, prefixes: PrefixMap = new Map()): ResolvedIndex {
  const dot = index.indexOf('.');
  if (dot < 0) return { prefix: null, name: index, contextSet: prefixes.get(null) };
  const prefix = index.slice(0, dot);
  return { prefix, name: index.slice(dot + 1), contextSet: prefixes.get(prefix.toLowerCase()) };
}
