/**
 * External programs of jobs (cp2k) run in their own process group so that the whole group can be
 * killed: on cancel, on stop, and on the next start after a crash of the service (the recorded
 * group is reaped only when /proc shows it is still the same program, started at the same time).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22), or null. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) is in parentheses and may contain spaces: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(rest[19]); // field 22 = index 19 after pid and comm
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** Command line of a process (arguments joined by spaces), or null if it is gone. */
export function processCmdline(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

/** SIGKILL a process group; false if it no longer exists. */
export function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** What is recorded of an external program started in its own process group. */
export interface GroupRecord {
  pid: number;
  pgid: number;
  startTicks: number | null;
  executable: string;
  /** Its temporary folder, removed with it. */
  dir: string | null;
}

/** Whether `pid` still runs (a zombie does not). */
export function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Whether the recorded leader is still the program we started: it runs, was started at the
 * recorded time (no pid reuse), and its command line names the recorded executable.
 */
export function isSameProcess(r: GroupRecord): boolean {
  if (!processRuns(r.pid)) return false;
  const ticks = processStartTicks(r.pid);
  if (r.startTicks !== null && ticks !== null && ticks !== r.startTicks) return false;
  const cmd = processCmdline(r.pid);
  return cmd !== null && cmd.includes(basename(r.executable));
}

/**
 * Kill a recorded group if it is still ours and remove its folder. Returns what was done, for the
 * job's log ('' when there was nothing left).
 */
export function reapGroup(r: GroupRecord): string {
  const done: string[] = [];
  if (isSameProcess(r) && killGroup(r.pgid)) done.push(`killed ${basename(r.executable)} process group ${r.pgid}`);
  if (r.dir && existsSync(r.dir)) {
    rmSync(r.dir, { recursive: true, force: true });
    done.push(`removed ${r.dir}`);
  }
  return done.join(', ');
}
