import type { PGlite } from '@electric-sql/pglite';

const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'
const PARSE = 0x50; // 'P'
const QUERY = 0x51; // 'Q'
const CLOSE = 0x43; // 'C'
const PARSE_COMPLETE = 0x31; // '1'
const PARSE_COMPLETE_MESSAGE = Uint8Array.of(PARSE_COMPLETE, 0, 0, 0, 4);

/** A Parse message's statement name and what follows it (text and parameter types); null for an unnamed one. */
function namedParse(message: Uint8Array): { name: string; body: Buffer } | null {
  if (message[0] !== PARSE) return null;
  const end = message.indexOf(0, 5);
  if (end <= 5) return null;
  return {
    name: Buffer.from(message.buffer, message.byteOffset + 5, end - 5).toString(),
    body: bodyOf(message, end + 1),
  };
}

const bodyOf = (message: Uint8Array, from: number) =>
  Buffer.from(message.buffer, message.byteOffset + from, message.byteLength - from);

// DEALLOCATE [PREPARE] name | ALL, and DISCARD ALL (DISCARD PLANS keeps the statements).
const DEALLOCATE = /^\s*deallocate\s+(?:prepare\s+)?(?:"([^"]+)"|([a-z_][a-z0-9_$]*))\s*;?\s*$/i;
const DROPS_ALL = /^\s*(?:deallocate\s+(?:prepare\s+)?all|discard\s+all)\b/i;

/**
 * The statements a message drops from the session: a Close of a statement, or SQL (a simple
 * query, or a statement parsed for the extended protocol) that deallocates them. `all`, a name,
 * or null.
 */
function droppedStatements(message: Uint8Array): 'all' | string | null {
  if (message[0] === CLOSE) {
    if (message[5] !== 0x53) return null; // 'S', a statement (not a portal)
    return bodyOf(message, 6).toString().split('\0')[0]!;
  }
  if (message[0] !== QUERY && message[0] !== PARSE) return null;
  const body = bodyOf(message, 5);
  const from = message[0] === PARSE ? body.indexOf(0) + 1 : 0;
  const to = body.indexOf(0, from);
  const text = body.toString('utf8', from, to < 0 ? body.length : to);
  if (!/deallocate|discard/i.test(text)) return null;
  if (DROPS_ALL.test(text)) return 'all';
  const one = DEALLOCATE.exec(text);
  if (one) return one[1] ?? one[2]!.toLowerCase();
  // Some other form (several statements in one query, …): forget everything, to be safe.
  return /^\s*discard\s+(?:plans|sequences|temp|temporary)\s*;?\s*$/i.test(text) ? null : 'all';
}

/** Whether a backend's answer holds a ParseComplete message. */
function holdsParseComplete(data: Uint8Array): boolean {
  for (
    let at = 0;
    at + 5 <= data.length;
    at += 1 + Buffer.from(data.buffer, data.byteOffset + at + 1, 4).readInt32BE(0)
  ) {
    if (data[at] === PARSE_COMPLETE) return true;
  }
  return false;
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
 * held name goes on to PostgreSQL, which refuses it. DEALLOCATE, DISCARD ALL and Close drop a
 * statement for every connection (the app never sends them; a client that parsed it before then
 * gets "does not exist"), and are forgotten here (a DEALLOCATE this cannot read forgets everything:
 * a Parse of a statement the session still holds then goes on, and fails).
 */
export function withWholeExchanges(pglite: PGlite): PGlite {
  let exchangeOpen = false;
  // Statement name → the Parse message's text and parameter types, for each the session holds.
  const statements = new Map<string, Buffer>();
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const parse = namedParse(message);
    if (parse && statements.get(parse.name)?.equals(parse.body)) {
      exchangeOpen = true;
      options?.onRawData?.(PARSE_COMPLETE_MESSAGE);
      return;
    }
    const dropped = droppedStatements(message);
    let tail = new Uint8Array(0);
    // The answer to a Parse (a few bytes: ParseComplete, or an error, maybe after notices).
    const answer: Uint8Array[] = [];
    try {
      await pglite.execProtocolRawStream(message, {
        ...options,
        onRawData: (data: Uint8Array) => {
          if (parse) answer.push(data.slice());
          if (data.length >= 6) tail = data.slice(data.length - 6);
          else if (data.length > 0) tail = Uint8Array.from([...tail, ...data].slice(-6));
          options?.onRawData?.(data);
        },
      });
      if (parse && holdsParseComplete(Buffer.concat(answer))) statements.set(parse.name, Buffer.from(parse.body));
    } finally {
      if (dropped === 'all') statements.clear();
      else if (dropped !== null) statements.delete(dropped);
      // ReadyForQuery is 'Z', length 5, a status byte: the last six bytes of a finished exchange.
      const ready = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[4] === 5;
      exchangeOpen = message[0] !== TERMINATE && !ready;
    }
  };
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'execProtocolRawStream') return execProtocolRawStream;
      if (property === 'isInTransaction') return () => exchangeOpen || target.isInTransaction();
      if (property === 'exec') {
        // The socket server calls exec only to roll back after a connection left mid-way.
        return (...args: Parameters<PGlite['exec']>) => {
          exchangeOpen = false;
          return target.exec(...args);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
