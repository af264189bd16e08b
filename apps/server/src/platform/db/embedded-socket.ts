// Where the embedded database's child listens: a Unix socket in a directory of its own, which only
// this user may enter, so no other account on the machine can reach the database (a loopback
// port is open to every local user, and the embedded database has no password). A Unix socket is
// also cheaper: each exchange costs the database's child about 70 µs less CPU and the app about
// 35 µs less than over loopback TCP (docs/BENCHMARKS.md, catalog-import, 2026-11-24). On Windows,
// or where the temporary directory's path is too long for a socket's address or cannot be
// written, a loopback port. The parent makes the directory, gives the child the socket's path
// (SOCKET_PATH_ENV) and removes the directory once the child has exited, however it ended; the
// child removes it too when it stops, for a parent that exited without stopping it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the child listens on: a socket in a directory the parent made, or a loopback port. */
export type EmbeddedListen = { kind: 'socket'; dir: string; path: string } | { kind: 'tcp' };

/** The environment variable that gives the child its socket's path; unset, it takes a loopback port. */
export const SOCKET_PATH_ENV = 'ATHENAEUM_EMBEDDED_SOCKET';

// pg (like libpq) finds a server's socket as `<host>/.s.PGSQL.<port>`; the port only names the file.
const SOCKET_PORT = 5432;
const SOCKET_FILE = `.s.PGSQL.${SOCKET_PORT}`;
// A Unix socket's address holds at most 104 bytes on macOS and 108 on Linux, the terminator included.
const MAX_SOCKET_PATH = 103;
const DIR_PREFIX = 'athenaeum-db-';

/**
 * Makes a private socket directory (mode 0700) under the temporary directory, or chooses loopback
 * TCP where sockets cannot serve: on Windows, with a temporary directory whose path is too long,
 * or one that cannot be written.
 */
export function chooseListen(tmp = os.tmpdir(), platform = process.platform): EmbeddedListen {
  // Absolute, or pg would take a relative directory for a host name.
  const base = path.resolve(tmp);
  const probe = path.join(base, `${DIR_PREFIX}XXXXXX`, SOCKET_FILE);
  if (platform === 'win32' || Buffer.byteLength(probe) > MAX_SOCKET_PATH) return { kind: 'tcp' };
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(base, DIR_PREFIX));
  } catch {
    return { kind: 'tcp' };
  }
  return { kind: 'socket', dir, path: path.join(dir, SOCKET_FILE) };
}

/** The child's view of the socket the parent named. */
export function socketAt(socketPath: string): EmbeddedListen {
  return { kind: 'socket', dir: path.dirname(socketPath), path: socketPath };
}

/** The URL of the child's database: its socket's directory (percent-encoded, as the host), or the loopback port it took. */
export function urlOf(listen: EmbeddedListen, tcpPort: number): string {
  const [host, port] =
    listen.kind === 'socket' ? [encodeURIComponent(listen.dir), SOCKET_PORT] : ['127.0.0.1', tcpPort];
  return `postgres://postgres@${host}:${port}/postgres`;
}

/** Removes a socket directory, best effort (what is left in the temporary directory harms nothing). */
export function removeSocketDir(listen: EmbeddedListen): void {
  if (listen.kind !== 'socket' || !path.basename(listen.dir).startsWith(DIR_PREFIX)) return;
  try {
    fs.rmSync(listen.dir, { recursive: true, force: true });
  } catch {
    // Left for the system's cleaning of temporary files.
  }
}
