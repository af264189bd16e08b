// Character classes and quoting shared by the tokenizer and the serializer, so that what one
// writes the other reads back.
import type { CqlTerm, CqlTermPart } from './ast.js';

const OTHER_SPACE = /\s/;

export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && OTHER_SPACE.test(String.fromCharCode(c)));
}

/** Characters that end an unquoted word: ( ) = < > " / (and whitespace). */
export function isDelimiter(c: number): boolean {
  return c === 40 || c === 41 || c === 61 || c === 60 || c === 62 || c === 34 || c === 47;
}

export const RESERVED_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'prox', 'sortby']);

export function isReserved(word: string): boolean {
  return word.length <= 6 && RESERVED_WORDS.has(word.toLowerCase());
}

function hasDelimiterOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDelimiter(c) || isSpace(c)) return true;
  }
  return false;
}

function endsWithLoneBackslash(s: string): boolean {
  let run = 0;
  for (let i = s.length - 1; i >= 0 && s.charCodeAt(i) === 92; i--) run++;
  return run % 2 === 1;
}

/**
 * Whether a search term's raw text must be quoted to be read back as the same term. Text with a
 * delimiter is quoted even when the delimiter is escaped (clearer, and other parsers agree), and
 * so is text ending in a lone backslash, which unquoted would escape what follows.
 */
export function termNeedsQuotes(text: string): boolean {
  return text === '' || isReserved(text) || hasDelimiterOrSpace(text) || endsWithLoneBackslash(text);
}

/** Whether text is one unquoted word as the tokenizer reads it (escapes included), not reserved. */
export function isBareWord(text: string): boolean {
  if (text === '' || isReserved(text)) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      if (++i >= text.length) return false;
    } else if (isDelimiter(c) || isSpace(c)) return false;
  }
  return true;
}

/**
 * Quotes a raw term text. Backslash pairs are kept; a bare `"` and a trailing lone backslash are
 * escaped, which keeps their meaning (a literal quote, a literal backslash).
 */
export function quoteTermText(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      if (i + 1 < text.length) {
        out += ch + text[i + 1]!;
        i++;
      } else out += '\\\\';
    } else if (ch === '"') out += '\\"';
    else out += ch;
  }
  return out + '"';
}

export function writeTerm(text: string): string {
  return termNeedsQuotes(text) ? quoteTermText(text) : text;
}

/**
 * Writes a name or value (index, prefix, URI, modifier): unquoted when it reads back unchanged,
 * otherwise quoted with `\` and `"` escaped.
 */
export function writeIdentifier(value: string): string {
  return !termNeedsQuotes(value) && !value.includes('\\') ? value : quoteIdentifier(value);
}

export function quoteIdentifier(value: string): string {
  return '"' + value.replace(/[\\"]/g, '\\$&') + '"';
}

/** Reads backslash escapes in a name or value: `\x` is `x`; a trailing lone `\` stays. */
export function unescapeIdentifier(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      out += raw[i + 1]!;
      i++;
    } else out += ch;
  }
  return out;
}

/**
 * Reads a term with the CQL masking rules (CQL context set 1.2): `*` any run of characters, `?`
 * one character, `^` an anchor (first/last character: anchoredStart/anchoredEnd; elsewhere an
 * `anchor` part), and `\` makes the next character literal.
 */
export function parseTerm(text: string): CqlTerm {
  // A dangling backslash (possible only at the very end of a query) means a literal backslash;
  // it is written as the escaped pair so that the text reads the same anywhere.
  if (endsWithLoneBackslash(text)) text += '\\';
  const pattern: CqlTermPart[] = [];
  let literal = '';
  let anchoredStart = false;
  let anchoredEnd = false;
  const flush = () => {
    if (literal !== '') {
      pattern.push({ kind: 'literal', value: literal });
      literal = '';
    }
  };
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      if (i < last) {
        literal += text[i + 1]!;
        i++;
      } else literal += ch;
    } else if (ch === '*') {
      flush();
      pattern.push({ kind: 'anyChars' });
    } else if (ch === '?') {
      flush();
      pattern.push({ kind: 'anyChar' });
    } else if (ch === '^') {
      if (i === 0) anchoredStart = true;
      else if (i === last) anchoredEnd = true;
      else {
        flush();
        pattern.push({ kind: 'anchor' });
      }
    } else literal += ch;
  }
  flush();
  return { text, pattern, anchoredStart, anchoredEnd };
}

/** Escapes a literal string for use inside a term: `*`, `?`, `^`, `\` and `"` get a backslash. */
export function escapeTermLiteral(value: string): string {
  return value.replace(/[*?^\\"]/g, '\\$&');
}
