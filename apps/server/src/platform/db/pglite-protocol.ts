import type { PGlite } from '@electric-sql/pglite';

// Message types: the client's…
const TERMINATE = 0x58; // 'X'
const PARSE = 0x50; // 'P'
const QUERY = 0x51; // 'Q'
const CLOSE = 0x43; // 'C'
const STATEMENT = 0x53; // 'S', what a Close closes (not a portal)
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4); // 'S'
// …and the backend's.
const ERROR_RESPONSE = 0x45; // 'E'
const COMMAND_COMPLETE = 0x43; // 'C'
const READY_FOR_QUERY = 0x5a; // 'Z'
const PARSE_COMPLETE = 0x31; // '1'
const CLOSE_COMPLETE = 0x33; // '3'
const bodiless = (type: number) => Uint8Array.of(type, 0, 0, 0, 4);

const bodyOf = (message: Uint8Array, from: number) =>
  Buffer.from(message.buffer, message.byteOffset + from, message.byteLength - from);

/** The name a message gives from `from` on (a C string); '' for the unnamed statement. */
const nameAt = (message: Uint8Array, from: number) => {
  const end = message.indexOf(0, from);
  return bodyOf(message, from).toString('utf8', 0, Math.max(0, end - from));
};

/** A Parse message's statement name and what follows it (text and parameter types); null for an unnamed one. */
function namedParse(message: Uint8Array): { name: string; body: Buffer } | null {
  if (message[0] !== PARSE) return null;
  const name = nameAt(message, 5);
  return name ? { name, body: bodyOf(message, 5 + Buffer.byteLength(name) + 1) } : null;
}

// DEALLOCATE [PREPARE] name, and the forms that drop every statement (DISCARD PLANS keeps them).
const DEALLOCATE_ONE = /^\s*deallocate\s+(?:prepare\s+)?(?:"([^"]+)"|([a-z_][a-z0-9_$]*))\s*;?\s*$/i;
const DROPS_ALL = /^\s*(?:deallocate\s+(?:prepare\s+)?all|discard\s+all)\s*;?\s*$/i;

/**
 * What SQL (a simple query, or an unnamed statement parsed for the extended protocol) would drop
 * from the session's statements if it succeeds: one name, `all` (DEALLOCATE ALL, DISCARD ALL, or
 * a form this does not read that begins with DEALLOCATE), or null.
 */
function wouldDrop(message: Uint8Array): 'all' | string | null {
  if (message[0] !== QUERY && message[0] !== PARSE) return null;
  const from = message[0] === PARSE ? 5 + Buffer.byteLength(nameAt(message, 5)) + 1 : 5;
  const text = nameAt(message, from);
  if (!/^\s*(deallocate|discard\s+all)\b/i.test(text)) return null;
  if (DROPS_ALL.test(text)) return 'all';
  const one = DEALLOCATE_ONE.exec(text);
  return one ? (one[1] ?? one[2]!.toLowerCase()) : 'all';
}

/**
 * Reads the backend's answer as it streams, chunk by chunk, message by message: whether it
 * holds an error, ParseComplete, CloseComplete or ReadyForQuery, and its command tags.
 */
class AnswerReader {
  error = false;
  parsed = false;
  closed = false;
  ready = false;
  readonly tags: string[] = [];
  private readonly header = new Uint8Array(5);
  private headerBytes = 0;
  private left = -1; // bytes of the current message's body still to come; -1 between messages
  private tag: number[] | null = null;

  read(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      if (this.left < 0) {
        // A message's type and length, perhaps split between chunks.
        while (this.headerBytes < 5 && at < data.length) this.header[this.headerBytes++] = data[at++]!;
        if (this.headerBytes < 5) return;
        this.headerBytes = 0;
        const h = this.header;
        this.left = ((h[1]! << 24) | (h[2]! << 16) | (h[3]! << 8) | h[4]!) - 4;
        this.tag = h[0] === COMMAND_COMPLETE ? [] : null;
      }
      const n = Math.min(this.left, data.length - at);
      if (this.tag) for (let i = at; i < at + n; i++) this.tag.push(data[i]!);
      this.left -= n;
      at += n;
      if (this.left === 0) this.end();
    }
  }

  private end(): void {
    const type = this.header[0];
    if (type === ERROR_RESPONSE) this.error = true;
    else if (type === PARSE_COMPLETE) this.parsed = true;
    else if (type === CLOSE_COMPLETE) this.closed = true;
    else if (type === READY_FOR_QUERY) this.ready = true;
    else if (this.tag) this.tags.push(Buffer.from(this.tag.filter((b) => b !== 0)).toString());
    this.left = -1;
    this.tag = null;
  }
}

/**
 * PGlite is one backend session, and the socket server feeds it the messages of all its
 * connections from one queue, keeping a connection's messages together only while a transaction
 * is open. An extended-protocol exchange (Parse, Bind, Execute … Sync) is not a transaction, so
 * two connections' exchanges interleaved: one bound the other's unnamed statement and got its
 * rows, or failed with `portal "" does not exist`. This view of the database reports "in a
 * transaction" from the first message of an exchange until the backend answers ReadyForQuery,
 * so the queue keeps each exchange whole. Give it to `PGLiteSocketServer` instead of the PGlite.
 *
 * Its connections share the session's prepared statements too. A client names a statement after
 * its text (prepared.ts), the same name in every connection and process, and parses it on each of
 * its connections the first time; the session has it already after the first, and PostgreSQL would
 * refuse the second Parse. So a Parse of a statement the session holds, with the same text and
 * parameter types, is answered here (ParseComplete) and not passed on; a different text under a
 * held name goes on to PostgreSQL, which refuses it. A Close of a held statement is answered here
 * too (pg sends one when it cannot serialize a value): passed on, it would take the statement from
 * every connection. DEALLOCATE and DISCARD ALL, which the app never sends, are forgotten once
 * PostgreSQL completes them (then every connection that parsed the statement gets "does not
 * exist"; a DEALLOCATE this cannot read forgets everything). Since an error, until ReadyForQuery,
 * nothing is answered here: PostgreSQL ignores those messages.
 */
export function withWholeExchanges(pglite: PGlite): PGlite {
  let exchangeOpen = false;
  // Since an error, until ReadyForQuery, the backend ignores what comes: nothing is answered here then.
  let failed = false;
  // Statement name → the Parse message's text and parameter types, for each the session holds.
  const statements = new Map<string, Buffer>();
  // What a DEALLOCATE or DISCARD of this exchange drops once its command completes.
  let dropping: 'all' | string | null = null;
  const answerHere = (answer: Uint8Array, options?: Parameters<PGlite['execProtocolRawStream']>[1]) => {
    exchangeOpen = true;
    options?.onRawData?.(answer);
  };
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const parse = namedParse(message);
    const close = message[0] === CLOSE && message[5] === STATEMENT ? nameAt(message, 6) : null;
    if (!failed && parse && statements.get(parse.name)?.equals(parse.body))
      return answerHere(bodiless(PARSE_COMPLETE), options);
    // A Close of a held statement would take it from every connection; the statement is kept
    // (its name is its text's) and the Close answered here.
    if (!failed && close && statements.has(close)) return answerHere(bodiless(CLOSE_COMPLETE), options);
    dropping = wouldDrop(message) ?? dropping;
    const answer = new AnswerReader();
    try {
      await pglite.execProtocolRawStream(message, {
        ...options,
        onRawData: (data: Uint8Array) => {
          answer.read(data);
          options?.onRawData?.(data);
        },
      });
    } finally {
      if (!answer.error) {
        if (parse && answer.parsed) statements.set(parse.name, Buffer.from(parse.body));
        if (close && answer.closed) statements.delete(close);
        if (dropping && answer.tags.some((t) => t.startsWith('DEALLOCATE') || t === 'DISCARD ALL')) {
          if (dropping === 'all') statements.clear();
          else statements.delete(dropping);
          dropping = null;
        }
      }
      failed = (failed || answer.error) && !answer.ready;
      if (answer.ready) dropping = null;
      // ReadyForQuery ends an exchange.
      exchangeOpen = message[0] !== TERMINATE && !answer.ready;
    }
  };
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'execProtocolRawStream') return execProtocolRawStream;
      if (property === 'isInTransaction') return () => exchangeOpen || target.isInTransaction();
      if (property === 'exec') {
        // The socket server calls exec only to roll back after a connection left mid-way; after
        // an error in its exchange, the backend would ignore that until a Sync.
        return async (...args: Parameters<PGlite['exec']>) => {
          if (failed) await target.execProtocolRaw(SYNC);
          exchangeOpen = false;
          failed = false;
          dropping = null;
          return target.exec(...args);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
