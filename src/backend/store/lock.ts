/**
 * One service per database: `nanostudio serve` holds a lock file next to its SQLite file
 * (`<db>.lock`, JSON with the pid, its start time and the host). A second service on the same
 * database is refused with the folder and the pid that holds it. A lock left by a crashed
 * service (kill -9) is stale when its pid is gone or is now another program, and is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { processStartTicks } from '../jobs/process-group.ts';

export interface LockInfo {
  pid: number;
  /** Start time of the pid in clock ticks since boot (/proc/<pid>/stat field 22; null off Linux). */
  startTicks: number | null;
  host: string;
  startedAt: string;
  db: string;
}

export class DataFolderInUseError extends Error {
  constructor(readonly folder: string, readonly holder: LockInfo, readonly lockPath: string) {
    super(`data folder ${folder} is in use by another nanostudio service (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}; lock ${lockPath}). ` +
      'Stop that service, or give this one another --data-dir / NANOSTUDIO_HOME.');
    this.name = 'DataFolderInUseError';
  }
}

export interface ServiceLock {
  path: string;
  release(): void;
}

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? { pid: v.pid, startTicks: v.startTicks ?? null, host: v.host ?? '?', startedAt: v.startedAt ?? '?', db: v.db ?? '?' } : null;
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

/** Whether the process a lock names still runs (same host, pid alive, same start time). */
function holderAlive(l: LockInfo): boolean {
  if (l.host !== hostname()) return true; // cannot check another machine: assume it runs
  try {
    process.kill(l.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const ticks = processStartTicks(l.pid);
  return l.startTicks === null || ticks === null || ticks === l.startTicks;
}

/** Take the lock of database `db` or throw DataFolderInUseError. */
export function lockDatabase(db: string): ServiceLock {
  const path = `${db}.lock`;
  const info: LockInfo = { pid: process.pid, startTicks: processStartTicks(process.pid), host: hostname(), startedAt: new Date().toISOString(), db };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(path);
      if (holder && holderAlive(holder)) throw new DataFolderInUseError(dirname(db), holder, path);
      rmSync(path, { force: true }); // stale: its service is gone
      continue;
    }
    writeSync(fd, JSON.stringify(info));
    closeSync(fd);
    return {
      path,
      release() {
        const cur = readLock(path);
        if (cur && cur.pid === process.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new Error(`cannot take the lock ${path} (it keeps reappearing)`);
}
