import type { PGlite } from '@electric-sql/pglite';

const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'

/**
 * PGlite is one backend session, and the socket server feeds it the messages of all its
 * connections from one queue, keeping a connection's messages together only while a transaction
 * is open. An extended-protocol exchange (Parse, Bind, Execute … Sync) is not a transaction, so
 * two connections' exchanges interleaved: one bound the other's unnamed statement and got its
 * rows, or failed with `portal "" does not exist`. This view of the database reports "in a
 * transaction" from the first message of an exchange until the backend answers ReadyForQuery,
 * so the queue keeps each exchange whole. Give it to `PGLiteSocketServer` instead of the PGlite.
 */
export function withWholeExchanges(pglite: PGlite): PGlite {
  let exchangeOpen = false;
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    let tail = new Uint8Array(0);
    try {
      await pglite.execProtocolRawStream(message, {
        ...options,
        onRawData: (data: Uint8Array) => {
          if (data.length >= 6) tail = data.slice(data.length - 6);
          else if (data.length > 0) tail = Uint8Array.from([...tail, ...data].slice(-6));
          options?.onRawData?.(data);
        },
      });
    } finally {
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
