// Child-process entry: owns the PGlite data directory and serves it over the Postgres wire
// protocol on a Unix socket of its own (embedded-socket.ts; a loopback port where there is none),
// so the app (in the parent) talks to it through `pg`, and a slow query here never blocks the
// parent's event loop.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedStartParams } from './embedded-settings.js';
import { addressOf, chooseListen, removeSocketDir, type EmbeddedAddress } from './embedded-socket.js';
import { pgliteExtensions } from './pglite-extensions.js';
import { withWholeExchanges } from './pglite-protocol.js';

export type ChildMessage =
  { type: 'ready'; address: EmbeddedAddress; version: string } | { type: 'failed'; message: string };

async function main(): Promise<void> {
  const dataDir = process.env.ATHENAEUM_EMBEDDED_DIR;
  const maxConnections = Number(process.env.ATHENAEUM_EMBEDDED_MAX_CONNECTIONS ?? '32');
  if (!dataDir) throw new Error('ATHENAEUM_EMBEDDED_DIR is not set');

  const db = await PGlite.create({ dataDir, extensions: pgliteExtensions, startParams: embeddedStartParams() });
  const listen = chooseListen();
  const server = new PGLiteSocketServer({
    db: withWholeExchanges(db),
    ...(listen.kind === 'socket' ? { path: listen.path } : { host: listen.host, port: listen.port }),
    maxConnections,
  });
  try {
    await server.start();
  } catch (error) {
    if (listen.kind === 'socket') removeSocketDir(listen.dir);
    throw error;
  }
  const address = addressOf(listen, server.getServerConn());
  const version = (await db.query<{ v: string }>('show server_version')).rows[0]?.v ?? 'unknown';

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await server.stop();
      await db.close();
      removeSocketDir(address.host);
    } finally {
      process.exit(code);
    }
  };
  // The parent asks us to stop, or dies (the IPC channel closes): close PGlite cleanly.
  process.on('message', (message) => {
    if (message === 'stop') void stop(0);
  });
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => {
    // The parent handles Ctrl-C and will send 'stop' once requests in flight are done.
  });

  process.send?.({ type: 'ready', address, version } satisfies ChildMessage);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'failed', message } satisfies ChildMessage);
  process.exit(1);
});
