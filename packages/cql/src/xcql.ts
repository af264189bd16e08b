// XCQL, the XML form of a CQL query that SRU 1.2 echoes in <xQuery>: <searchClause> and
// <triple> elements, each with optional <prefixes>; the root also carries <sortKeys>.
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery } from './ast.js';

export const XCQL_NAMESPACE = 'http://www.loc.gov/zing/cql/xcql/';

export interface XcqlOptions {
  /** Put `xmlns="http://www.loc.gov/zing/cql/xcql/"` on the root element. Default true. */
  namespace?: boolean;
  /** Indentation per level; '' writes everything on one line. Default two spaces. */
  indent?: string;
}

// XML 1.0 cannot carry C0 controls (but tab, LF, CR), lone surrogates, U+FFFE and U+FFFF.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

class Writer {
  private out = '';
  constructor(private readonly indent: string) {}

  private line(depth: number, s: string): void {
    this.out += this.indent === '' ? s : this.indent.repeat(depth) + s + '\n';
  }

  open(depth: number, name: string, attrs = ''): void {
    this.line(depth, `<${name}${attrs}>`);
  }

  close(depth: number, name: string): void {
    this.line(depth, `</${name}>`);
  }

  leaf(depth: number, name: string, value: string): void {
    this.line(depth, `<${name}>${text(value)}</${name}>`);
  }

  toString(): string {
    return this.out;
  }
}

function modifiers(w: Writer, depth: number, list: CqlModifier[]): void {
  if (list.length === 0) return;
  w.open(depth, 'modifiers');
  for (const m of list) {
    w.open(depth + 1, 'modifier');
    w.leaf(depth + 2, 'type', m.name);
    if (m.comparison !== undefined) {
      w.leaf(depth + 2, 'comparison', m.comparison);
      w.leaf(depth + 2, 'value', m.value ?? '');
    }
    w.close(depth + 1, 'modifier');
  }
  w.close(depth, 'modifiers');
}

function prefixes(w: Writer, depth: number, list: CqlPrefix[]): void {
  if (list.length === 0) return;
  w.open(depth, 'prefixes');
  for (const p of list) {
    w.open(depth + 1, 'prefix');
    if (p.name !== null) w.leaf(depth + 2, 'name', p.name);
    w.leaf(depth + 2, 'identifier', p.uri);
    w.close(depth + 1, 'prefix');
  }
  w.close(depth, 'prefixes');
}

function node(w: Writer, depth: number, n: CqlNode, attrs: string, query: CqlQuery | null): void {
  const name = n.type === 'searchClause' ? 'searchClause' : 'triple';
  w.open(depth, name, attrs);
  prefixes(w, depth + 1, n.prefixes);
  if (n.type === 'searchClause') {
    w.leaf(depth + 1, 'index', n.index);
    w.open(depth + 1, 'relation');
    w.leaf(depth + 2, 'value', n.relation.base);
    modifiers(w, depth + 2, n.relation.modifiers);
    w.close(depth + 1, 'relation');
    w.leaf(depth + 1, 'term', n.term.text);
  } else {
    w.open(depth + 1, 'boolean');
    w.leaf(depth + 2, 'value', n.operator);
    modifiers(w, depth + 2, n.modifiers);
    w.close(depth + 1, 'boolean');
    w.open(depth + 1, 'leftOperand');
    node(w, depth + 2, n.left, '', null);
    w.close(depth + 1, 'leftOperand');
    w.open(depth + 1, 'rightOperand');
    node(w, depth + 2, n.right, '', null);
    w.close(depth + 1, 'rightOperand');
  }
  if (query && query.sortKeys.length > 0) {
    w.open(depth + 1, 'sortKeys');
    for (const key of query.sortKeys) {
      w.open(depth + 2, 'key');
      w.leaf(depth + 3, 'index', key.index);
      modifiers(w, depth + 3, key.modifiers);
      w.close(depth + 2, 'key');
    }
    w.close(depth + 1, 'sortKeys');
  }
  w.close(depth, name);
}

export function toXcql(query: CqlQuery | CqlNode, options: XcqlOptions = {}): string {
  const w = new Writer(options.indent ?? '  ');
  const attrs = options.namespace === false ? '' : ` xmlns="${XCQL_NAMESPACE}"`;
  if ('type' in query) node(w, 0, query, attrs, null);
  else node(w, 0, query.root, attrs, query);
  return w.toString();
}
