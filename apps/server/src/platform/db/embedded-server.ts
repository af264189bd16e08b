// Child-process entry: owns the PGlite data directory and serves it over the Postgres wire
// protocol on the Unix socket the parent names (embedded-socket.ts; else a loopback port), so the
// app (in the parent) talks to it through `pg`, and a slow query here never blocks the parent's
// event loop.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedStartParams } from './embedded-settings.js';
import { removeSocketDir, socketAt, SOCKET_PATH_ENV } from './embedded-socket.js';
import { pgliteExtensions } from './pglite-extensions.js';
import { withWholeExchanges } from './pglite-protocol.js';
import { installWholeMessages } from './whole-messages.js';

/** `port`: the loopback port taken, 0 on a Unix socket. */
export type ChildMessage = { type: 'ready'; port: number; version: string } | { type: 'failed'; message: string };

async function main(): Promise<void> {
  const dataDir = process.env.ATHENAEUM_EMBEDDED_DIR;
  const maxConnections = Number(process.env.ATHENAEUM_EMBEDDED_MAX_CONNECTIONS ?? '32');
  if (!dataDir) throw new Error('ATHENAEUM_EMBEDDED_DIR is not set');

  const db = await PGlite.create({ dataDir, extensions: pgliteExtensions, startParams: embeddedStartParams() });
  // Each connection's socket hands pglite-socket whole messages, not the chunks it reads.
  installWholeMessages();
  const socketPath = process.env[SOCKET_PATH_ENV];
  const server = new PGLiteSocketServer({
    db: withWholeExchanges(db),
    ...(socketPath ? { path: socketPath } : { host: '127.0.0.1', port: 0 }),
    maxConnections,
  });
  await server.start();
  const port = socketPath ? 0 : Number(server.getServerConn().split(':').pop());
  const version = (await db.query<{ v: string }>('show server_version')).rows[0]?.v ?? 'unknown';

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await server.stop();
      await db.close();
      // The parent removes it too, but may have exited without stopping us.
      if (socketPath) removeSocketDir(socketAt(socketPath));
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

  process.send?.({ type: 'ready', port, version } satisfies ChildMessage);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'failed', message } satisfies ChildMessage);
  process.exit(1);
});
