/**
 * The Slurm commands the executor uses: `sbatch --parsable` (submit), `squeue` (jobs still queued
 * or running, by id or by name), `sacct` (final state, only where accounting is enabled: without
 * slurmdbd it is not) with `scontrol show job` as the fallback (finished jobs stay visible for
 * MinJobAge seconds), and `scancel`. Every failure is a SlurmError naming the command and its
 * output. The commands come from PATH (or `bin`); their configuration from SLURM_CONF as usual.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** A Slurm command failed or printed something unexpected. */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmError';
  }
}

/** Slurm did not answer (controller down or unreachable): nothing can be concluded about any job; ask again later. */
export class SlurmUnreachableError extends SlurmError {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmUnreachableError';
  }
}

const INVALID_ID = /invalid job id/i;

/** Slurm job states that are over (squeue/sacct/scontrol long names). */
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);

export interface SlurmJobState {
  /** Slurm's state, e.g. PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT; 'UNKNOWN' when Slurm no longer knows the job. */
  state: string;
  /** Whether the job is over (or unknown to Slurm: it can no longer run). */
  final: boolean;
  /** "exit:signal" when known. */
  exitCode?: string;
  /** squeue's reason for a pending job (e.g. Resources, Priority). */
  reason?: string;
}

export interface SlurmClientOptions {
  /** Folder of the Slurm commands (default: PATH). */
  bin?: string;
  /** Environment of the commands (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Time limit of one command, ms. */
  timeoutMs?: number;
}

/** A failed query command (not a missing binary): Slurm is unreachable for now. */
function unreachable(e: unknown): never {
  const m = e instanceof Error ? e.message : String(e);
  if (/ not found (in|on PATH)/.test(m)) throw e;
  throw new SlurmUnreachableError(m);
}

export class SlurmClient {
  private accounting: boolean | null = null;

  constructor(private readonly opts: SlurmClientOptions = {}) {}

  private run(cmd: string, args: string[], okCodes: number[] = [0]): Promise<{ stdout: string; stderr: string; code: number }> {
    const exe = this.opts.bin ? join(this.opts.bin, cmd) : cmd;
    return new Promise((resolve, reject) => {
      execFile(exe, args, { env: this.opts.env ?? process.env, timeout: this.opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new SlurmError(`${cmd} not found${this.opts.bin ? ` in ${this.opts.bin}` : ' on PATH'} (is Slurm installed? Debian: apt-get install slurm-client)`));
          return;
        }
        if (err && !okCodes.includes(code)) {
          reject(new SlurmError(`${cmd} ${args.join(' ')} failed (${err.killed ? 'timed out' : `exit ${code}`}): ${(stderr || stdout || err.message).trim().slice(0, 600)}`));
          return;
        }
        resolve({ stdout, stderr, code });
      });
    });
  }

  /** Submit a batch script; returns the Slurm job id. */
  async submit(script: string, extraArgs: string[] = []): Promise<string> {
    const { stdout } = await this.run('sbatch', ['--parsable', ...extraArgs, script]);
    const id = stdout.trim().split(';')[0]; // "id" or "id;cluster"
    if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch printed no job id: '${stdout.trim().slice(0, 200)}'`);
    return id;
  }

  /** Jobs Slurm still lists (queued, running, completing), by id: state and pending reason. */
  async queued(ids: string[]): Promise<Map<string, SlurmJobState>> {
    const out = new Map<string, SlurmJobState>();
    if (ids.length === 0) return out;
    // An id Slurm forgot makes squeue exit 1 ("Invalid job id specified") when it is the only one.
    const { stdout, stderr, code } = await this.run('squeue', ['-h', '-o', '%i|%T|%r', '-j', ids.join(',')], [0, 1]).catch(unreachable);
    // Exit 1 for any other reason (e.g. "Unable to contact slurm controller") is not "the jobs are gone".
    if (code === 1 && !INVALID_ID.test(stderr)) throw new SlurmUnreachableError(`squeue failed (exit 1): ${stderr.trim().slice(0, 300)}`);
    for (const line of stdout.split('\n')) {
      const [id, state, reason] = line.trim().split('|');
      if (!id || !state) continue;
      out.set(id, { state, final: FINAL.has(state), reason });
    }
    return out;
  }

  /** Ids of the jobs Slurm lists with this name (to find a submission whose id was never recorded). */
  async idsByName(name: string): Promise<string[]> {
    const { stdout } = await this.run('squeue', ['-h', '-o', '%i', '-n', name]).catch(unreachable);
    return stdout.split('\n').map((s) => s.trim()).filter((s) => /^\d+$/.test(s));
  }

  /** Whether sacct works here (accounting storage enabled); checked once. */
  async hasAccounting(): Promise<boolean> {
    if (this.accounting === null) {
      try {
        await this.run('sacct', ['-n', '-X', '-P', '-o', 'JobID', '-S', 'now']);
        this.accounting = true;
      } catch {
        this.accounting = false;
      }
    }
    return this.accounting;
  }

  /** The state of a job that squeue no longer lists: from sacct where it works, else scontrol, else UNKNOWN. */
  async finalState(id: string): Promise<SlurmJobState> {
    if (await this.hasAccounting()) {
      const { stdout } = await this.run('sacct', ['-n', '-X', '-P', '-j', id, '-o', 'State,ExitCode']).catch(unreachable);
      const [state, exitCode] = (stdout.split('\n')[0] ?? '').trim().split('|');
      if (state) {
        const s = state.split(' ')[0]; // "CANCELLED by 0"
        return { state: s, final: FINAL.has(s), exitCode };
      }
    }
    try {
      const { stdout } = await this.run('scontrol', ['show', 'job', '-o', id]);
      const state = /\bJobState=(\S+)/.exec(stdout)?.[1];
      const exitCode = /\bExitCode=(\S+)/.exec(stdout)?.[1];
      if (state) return { state, final: FINAL.has(state), exitCode };
    } catch (e) {
      // Purged from the controller's memory ("Invalid job id"): its end is unknown. Anything else: ask again later.
      if (!INVALID_ID.test((e as Error).message)) throw new SlurmUnreachableError((e as Error).message);
    }
    return { state: 'UNKNOWN', final: true };
  }

  /** Cancel jobs (ids Slurm no longer knows are ignored). */
  async cancel(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run('scancel', ids, [0, 1]);
  }
}
