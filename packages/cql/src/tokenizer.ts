import type { CqlComparitor } from './ast.js';
import { CqlDiagnostic } from './diagnostics.js';
import { isDelimiter, isSpace } from './lexical.js';

export type Token =
  /** An unquoted word; `text` as written. */
  | { kind: 'word'; text: string; start: number; end: number }
  /** A quoted string; `text` is what is between the quotes, escapes kept. */
  | { kind: 'string'; text: string; start: number; end: number }
  | { kind: 'comparitor'; text: CqlComparitor; start: number; end: number }
  | { kind: '(' | ')' | '/' | 'eof'; text: string; start: number; end: number };

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const n = query.length;
  let i = 0;
  while (true) {
    while (i < n && isSpace(query.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    const c = query.charCodeAt(i);
    if (c === 40 || c === 41 || c === 47) {
      tokens.push({ kind: query[i] as '(' | ')' | '/', text: query[i]!, start, end: ++i });
    } else if (c === 61 || c === 60 || c === 62) {
      const next = query.charCodeAt(i + 1);
      let text: CqlComparitor;
      if (c === 61) text = next === 61 ? '==' : '=';
      else if (c === 60) text = next === 61 ? '<=' : next === 62 ? '<>' : '<';
      else text = next === 61 ? '>=' : '>';
      i += text.length;
      tokens.push({ kind: 'comparitor', text, start, end: i });
    } else if (c === 34) {
      i++;
      while (i < n && query.charCodeAt(i) !== 34) i += query.charCodeAt(i) === 92 ? 2 : 1;
      if (i >= n) throw new CqlDiagnostic(14, 'a quoted string is not closed', start);
      tokens.push({ kind: 'string', text: query.slice(start + 1, i), start, end: ++i });
    } else {
      // A backslash takes the next character into the word, even a delimiter (`foo\(1\)`), as
      // YAZ reads it; the BNF's charString1 does not say how escapes meet delimiters.
      while (i < n) {
        const d = query.charCodeAt(i);
        if (d === 92) i += 2;
        else if (isDelimiter(d) || isSpace(d)) break;
        else i++;
      }
      i = Math.min(i, n);
      tokens.push({ kind: 'word', text: query.slice(start, i), start, end: i });
    }
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}
