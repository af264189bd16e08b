// Where the embedded database's child listens: a Unix socket in a directory of its own, which only
// this user may enter, so no other account on the machine can reach the database (a loopback
// port is open to every local user, and the embedded database has no password). A Unix socket is
// also cheaper: each exchange costs the database's child about 70 µs less CPU and the app about
// 35 µs less than over loopback TCP (docs/BENCHMARKS.md, catalog-import, 2026-11-24). On Windows,
// or where the temporary directory's path is too long for a socket's address, a loopback port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the child listens on, and what it tells the parent to connect to. */
export type EmbeddedListen =
  { kind: 'socket'; dir: string; path: string } | { kind: 'tcp'; host: '127.0.0.1'; port: 0 };

/** How the parent reaches the child: a socket directory (pg's `host` for Unix sockets) or 127.0.0.1, and a port. */
export interface EmbeddedAddress {
  host: string;
  port: number;
}

// pg (like libpq) finds a server's socket as `<host>/.s.PGSQL.<port>`; the port only names the file.
const SOCKET_PORT = 5432;
const SOCKET_FILE = `.s.PGSQL.${SOCKET_PORT}`;
// A Unix socket's address holds at most 104 bytes on macOS and 108 on Linux, the terminator included.
const MAX_SOCKET_PATH = 103;
const DIR_PREFIX = 'athenaeum-db-';

const LOOPBACK: EmbeddedListen = { kind: 'tcp', host: '127.0.0.1', port: 0 };

/**
 * Makes the child's private socket directory (mode 0700), or chooses loopback TCP where sockets
 * cannot serve: on Windows, with a temporary directory whose path is too long, or one that cannot
 * be written.
 */
export function chooseListen(tmp = os.tmpdir(), platform = process.platform): EmbeddedListen {
  const probe = path.join(tmp, `${DIR_PREFIX}XXXXXX`, SOCKET_FILE);
  if (platform === 'win32' || Buffer.byteLength(probe) > MAX_SOCKET_PATH) return LOOPBACK;
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(tmp, DIR_PREFIX));
  } catch {
    return LOOPBACK;
  }
  return { kind: 'socket', dir, path: path.join(dir, SOCKET_FILE) };
}

/** The address for the parent once the child listens (`serverConn`: the server's "host:port" or socket path). */
export function addressOf(listen: EmbeddedListen, serverConn: string): EmbeddedAddress {
  if (listen.kind === 'socket') return { host: listen.dir, port: SOCKET_PORT };
  return { host: listen.host, port: Number(serverConn.split(':').pop()) };
}

/** The connection URL of an address (a socket directory goes percent-encoded in the host). */
export function urlOf(address: EmbeddedAddress): string {
  return `postgres://postgres@${encodeURIComponent(address.host)}:${address.port}/postgres`;
}

/** Removes a socket directory (an address's host); a loopback host is left alone. */
export function removeSocketDir(host: string): void {
  if (path.isAbsolute(host) && path.basename(host).startsWith(DIR_PREFIX)) {
    fs.rmSync(host, { recursive: true, force: true });
  }
}
