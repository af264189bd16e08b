import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './embedded-server.js';
import { chooseListen, removeSocketDir, SOCKET_PATH_ENV, urlOf } from './embedded-socket.js';
import { DataDirLock } from './lock.js';

/** A running embedded PostgreSQL (PGlite in a child process) and how to reach it. */
export interface EmbeddedPostgres {
  url: string;
  version: string;
  dataDir: string;
  childPid: number | undefined;
  stop(): Promise<void>;
}

function childEntry(): { file: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  // From sources (tests, `npm run dev`) the child is TypeScript too and runs through tsx.
  if (self.endsWith('.ts')) {
    return { file: self.replace(/embedded\.ts$/, 'embedded-server.ts'), execArgv: ['--import', 'tsx'] };
  }
  return { file: self.replace(/embedded\.js$/, 'embedded-server.js'), execArgv: [] };
}

/**
 * Locks the data directory, then starts PGlite on it in a child process that speaks the Postgres
 * wire protocol on a Unix socket of its own (embedded-socket.ts; a loopback port where there can
 * be none). A second opener of the same directory fails at once.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { maxConnections?: number; startTimeoutMs?: number } = {},
): Promise<EmbeddedPostgres> {
  const lock = await DataDirLock.acquire(dataDir);
  const { file, execArgv } = childEntry();
  const listen = chooseListen();
  let child: ChildProcess;
  try {
    child = fork(file, [], {
      execArgv,
      env: {
        ...process.env,
        ATHENAEUM_EMBEDDED_DIR: `${dataDir}/pgdata`,
        ATHENAEUM_EMBEDDED_MAX_CONNECTIONS: String(options.maxConnections ?? 32),
        ...(listen.kind === 'socket' ? { [SOCKET_PATH_ENV]: listen.path } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  } catch (error) {
    removeSocketDir(listen);
    lock.release();
    throw error;
  }
  lock.setChildPid(child.pid);
  // However the child ends (stopped, failed to start, killed), its socket's directory goes with it.
  child.once('exit', () => removeSocketDir(listen));

  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The embedded database in ${dataDir} did not start in time`)),
      options.startTimeoutMs ?? 60_000,
    );
    child.once('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`The embedded database in ${dataDir} failed to start: ${message.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded database in ${dataDir} exited during start (code ${code})`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    lock.release();
    throw error;
  });

  let stopped: Promise<void> | null = null;
  return {
    url: urlOf(listen, ready.port),
    version: ready.version,
    dataDir,
    childPid: child.pid,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send('stop');
      }).finally(() => lock.release());
      return stopped;
    },
  };
}
