/**
 * Splits a stream of SQL text into top-level statements, honouring '…' and E'…' literals,
 * "…" identifiers, $tag$…$tag$ bodies and comments, so a `;` inside any of them never splits.
 */
export class SqlSplitter {
  private buffer = '';
  private state: 'code' | 'single' | 'escape-single' | 'double' | 'line-comment' | 'block-comment' | 'dollar' = 'code';
  private dollarTag = '';
  private scanned = 0;

  /** Adds text; returns the statements completed by it. */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let start = 0;
    let i = this.scanned;
    const b = this.buffer;
    while (i < b.length) {
      const c = b[i]!;
      const n = b[i + 1];
      // A token that may continue in the next chunk (--, /*, */, a dollar tag) waits for it.
      const needsNext =
        (this.state === 'code' && (c === '-' || c === '/')) || (this.state === 'block-comment' && c === '*');
      if (n === undefined && needsNext) return this.keep(out, start, i);
      if (
        this.state === 'dollar' &&
        c === '$' &&
        b.length - i < this.dollarTag.length &&
        this.dollarTag.startsWith(b.slice(i))
      ) {
        return this.keep(out, start, i);
      }
      switch (this.state) {
        case 'code':
          if (c === "'") {
            const prev = b[i - 1];
            this.state =
              (prev === 'E' || prev === 'e') && !/[A-Za-z0-9_]/.test(b[i - 2] ?? '') ? 'escape-single' : 'single';
          } else if (c === '"') this.state = 'double';
          else if (c === '-' && n === '-') this.state = 'line-comment';
          else if (c === '/' && n === '*') this.state = 'block-comment';
          else if (c === '$' && !/[A-Za-z0-9_$]/.test(b[i - 1] ?? '')) {
            // As PostgreSQL's lexer: a `$` inside an identifier (`q$`) opens nothing.
            const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(b.slice(i, i + 64));
            if (m) {
              this.state = 'dollar';
              this.dollarTag = m[0];
              i += m[0].length - 1;
            } else if (b.length - i < 64 && /^\$([A-Za-z_][A-Za-z0-9_]*)?$/.test(b.slice(i))) {
              // What is here so far may still become a tag.
              return this.keep(out, start, i);
            }
          } else if (c === ';') {
            const statement = b.slice(start, i + 1).trim();
            if (statement !== ';') out.push(statement);
            start = i + 1;
          }
          break;
        case 'single':
          if (c === "'") {
            if (n === undefined) return this.keep(out, start, i);
            if (n === "'") i++;
            else this.state = 'code';
          }
          break;
        case 'escape-single':
          if (c === '\\') i++;
          else if (c === "'") {
            if (n === undefined) return this.keep(out, start, i);
            if (n === "'") i++;
            else this.state = 'code';
          }
          break;
        case 'double':
          if (c === '"') this.state = 'code';
          break;
        case 'line-comment':
          if (c === '\n') this.state = 'code';
          break;
        case 'block-comment':
          if (c === '*' && n === '/') {
            this.state = 'code';
            i++;
          }
          break;
        case 'dollar':
          if (c === '$' && b.startsWith(this.dollarTag, i)) {
            this.state = 'code';
            i += this.dollarTag.length - 1;
          }
          break;
      }
      i++;
    }
    return this.keep(out, start, i);
  }

  /** The text after the last statement, if it holds anything but whitespace and comments. */
  end(): string | null {
    const rest = this.buffer.trim();
    this.buffer = '';
    this.scanned = 0;
    return rest.replace(/--[^\n]*\n?/g, '').trim() ? rest : null;
  }

  private keep(out: string[], start: number, scannedTo: number): string[] {
    this.buffer = this.buffer.slice(start);
    this.scanned = scannedTo - start;
    return out;
  }
}
