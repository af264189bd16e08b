import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK_FILE = 'athenaeum.lock';

interface LockRecord {
  pid: number;
  childPid?: number;
  host: string;
  startedAt: string;
}

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly startedAt: string,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holderPid} (started ${startedAt}). ` +
        `Stop that process first, or point ATHENAEUM_DATA_DIR at another directory.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockRecord | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockRecord;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An exclusive, cross-process lock on a data directory: a lock file created with O_EXCL that
 * names the holder. A lock left by a dead process is taken over, after its database child (if
 * any) has exited, so a kill -9 never blocks the next start.
 */
export class DataDirLock {
  private constructor(
    readonly dataDir: string,
    private readonly file: string,
    private record: LockRecord,
  ) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    const record: LockRecord = {
      pid: process.pid,
      host: os.hostname(),
      startedAt: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(record), { flag: 'wx' });
        // Re-read: a concurrent starter that cleared a stale lock may have raced us.
        const written = readLock(file);
        if (written?.pid === process.pid && written.startedAt === record.startedAt) {
          return new DataDirLock(dataDir, file, record);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(file);
      if (holder && isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder.pid, holder.startedAt);
      }
      if (holder && isAlive(holder.childPid)) {
        // The holder died but its database process is still flushing; give it a moment.
        await sleep(100);
        continue;
      }
      try {
        fs.renameSync(file, `${file}.stale-${process.pid}`);
        fs.rmSync(`${file}.stale-${process.pid}`, { force: true });
      } catch {
        // Someone else cleared it first; loop and try again.
      }
    }
    const holder = readLock(file);
    throw new DataDirLockedError(dataDir, holder?.pid ?? -1, holder?.startedAt ?? 'unknown');
  }

  /** Records the pid of the database child process so a successor waits for it. */
  setChildPid(childPid: number | undefined): void {
    this.record = { ...this.record, childPid };
    fs.writeFileSync(this.file, JSON.stringify(this.record));
  }

  release(): void {
    const current = readLock(this.file);
    if (current?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}
