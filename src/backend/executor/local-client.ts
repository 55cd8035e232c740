/**
 * The local stand-in for SlurmClient (docs/jobs.md §4): runs a task's run.sh with bash on this
 * machine, in its own process group, output in slurm-<pid>.out like Slurm's. Used where a task
 * folder is the unit of work but no cluster is asked for (DeePMD-kit training with the local
 * executor), so the same scripts, result files, resubmission and restart logic apply. After a
 * restart of the service a task whose process still runs (same pid, same start time) is waited
 * for; one that is gone without a result is resubmitted.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { killGroup, processRuns, processStartTicks } from '../jobs/process-group.ts';
import type { SlurmJobState } from './slurm-client.ts';

/** The subset of SlurmClient the executor loop uses. */
export interface TaskClient {
  submit(script: string): Promise<string>;
  queued(ids: string[]): Promise<Map<string, SlurmJobState>>;
  idsByName(name: string): Promise<string[]>;
  finalState(id: string): Promise<SlurmJobState>;
  cancel(ids: string[]): Promise<void>;
}

/** Ids are "pid:startTicks" so that a reused pid is not mistaken for the task. */
export class LocalScriptClient implements TaskClient {
  private readonly exits = new Map<string, { code: number | null; signal: string | null }>();

  async submit(script: string): Promise<string> {
    const dir = dirname(script);
    const tmp = join(dir, `local-${process.pid}-${Date.now()}.out`);
    const fd = openSync(tmp, 'a');
    const child = spawn('bash', [script], { cwd: dir, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`cannot run bash ${script}`);
    const id = `${pid}:${processStartTicks(pid) ?? 0}`;
    renameSync(tmp, join(dir, `slurm-${id}.out`));
    child.on('exit', (code, signal) => this.exits.set(id, { code, signal }));
    child.unref();
    return id;
  }

  private alive(id: string): boolean {
    if (this.exits.has(id)) return false;
    const [pid, ticks] = id.split(':').map(Number);
    if (!processRuns(pid)) return false;
    const now = processStartTicks(pid);
    return ticks === 0 || now === null || now === ticks;
  }

  async queued(ids: string[]): Promise<Map<string, SlurmJobState>> {
    const out = new Map<string, SlurmJobState>();
    for (const id of ids) if (this.alive(id)) out.set(id, { state: 'RUNNING', final: false });
    return out;
  }

  async idsByName(): Promise<string[]> {
    return [];
  }

  async finalState(id: string): Promise<SlurmJobState> {
    const e = this.exits.get(id);
    if (!e) return { state: 'UNKNOWN', final: true };
    return { state: e.code === 0 ? 'COMPLETED' : 'FAILED', final: true, exitCode: `${e.code ?? 0}:${e.signal ?? 0}` };
  }

  async cancel(ids: string[]): Promise<void> {
    for (const id of ids) if (this.alive(id)) killGroup(Number(id.split(':')[0]));
  }
}
