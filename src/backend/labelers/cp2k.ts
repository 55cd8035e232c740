/**
 * CP2K labeler: one `cp2k -i label.inp -o label.out` run per frame in a fresh temporary folder,
 * in its own process group (killed as a group on timeout and cancellation; a process watcher
 * records it so that the job runner can kill it after a crash of the service).
 * A non-converged SCF, a crash, a timeout or a cancellation throws a LabelError with the reason
 * (and the tail of the output); the labeling job records it as a failed label.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../../core/atoms.ts';
import { det3, validateFrame } from '../../core/atoms.ts';
import type { CalcResult } from '../../core/potentials/calculator.ts';
import { LabelError, type Labeler, type ProcessWatcher, type RunsExternalPrograms } from './labeler.ts';
import { killGroup, processStartTicks } from '../jobs/process-group.ts';
import { cp2kSettings, type Cp2kSettings, type Cp2kSettingsInput } from './cp2k-settings.ts';
import { findBasisFile, findCp2k, findCp2kDataDir, gthValence } from './cp2k-data.ts';
import { cp2kInput } from './cp2k-input.ts';
import { parseCp2kOutput } from './cp2k-output.ts';

export class Cp2kLabeler implements Labeler, RunsExternalPrograms {
  readonly name: string;
  readonly implementedProperties = [] as const;
  readonly settings: Cp2kSettings;
  private readonly potentialsText: string;
  private watch: ProcessWatcher | null = null;

  constructor(overrides: Cp2kSettingsInput = {}, readonly executable: string, readonly dataDir: string) {
    this.settings = cp2kSettings(overrides);
    const s = this.settings;
    this.name = `cp2k:${s.xc}${s.d3 ? '-D3' : ''}/${s.basis}/${s.potential}/${s.cutoff}Ry/rel${s.relCutoff}`;
    this.potentialsText = readFileSync(join(dataDir, 'GTH_POTENTIALS'), 'utf8');
  }

  /** Find cp2k and its data; throws a clear error when CP2K is not installed. */
  static create(overrides: Cp2kSettingsInput = {}): Cp2kLabeler {
    const s = cp2kSettings(overrides);
    const exe = findCp2k(s.executable);
    if (!exe) throw new Error(`cp2k executable not found${s.executable ? ` ('${s.executable}')` : ' on PATH (tried cp2k, cp2k.psmp, cp2k.ssmp, cp2k.sopt, cp2k.popt); Debian/Ubuntu: apt-get install cp2k'}`);
    const dataDir = findCp2kDataDir(s.dataDir);
    if (!dataDir) throw new Error('CP2K data files (GTH_POTENTIALS, BASIS_MOLOPT) not found: set CP2K_DATA_DIR or dataDir (Debian: package cp2k-data)');
    return new Cp2kLabeler(overrides, exe, dataDir);
  }

  /** Report every cp2k process started from now on to `watch` (null: stop reporting). */
  watchProcesses(watch: ProcessWatcher | null): void {
    this.watch = watch;
  }

  /**
   * A labeler that only writes inputs and reads outputs (CP2K runs elsewhere, e.g. in a Slurm task:
   * docs/jobs.md §4): needs the data files here (a shared file system), not the executable.
   */
  static forTasks(overrides: Cp2kSettingsInput = {}): Cp2kLabeler {
    const s = cp2kSettings(overrides);
    const dataDir = findCp2kDataDir(s.dataDir);
    if (!dataDir) throw new Error('CP2K data files (GTH_POTENTIALS, BASIS_MOLOPT) not found: set CP2K_DATA_DIR or dataDir (Debian: package cp2k-data)');
    return new Cp2kLabeler(overrides, s.executable ?? 'cp2k', dataDir);
  }

  /** The CP2K input of a frame and the cell volume (Å³, periodic frames only) its output is parsed with; throws a LabelError. */
  prepare(frame: Frame): { input: string; volume: number | null } {
    validateFrame(frame);
    const s = this.settings;
    const valence: Record<string, number> = {};
    const basisFiles = new Set<string>();
    for (const el of new Set(frame.symbols)) {
      const v = gthValence(this.potentialsText, el, s.potential);
      if (v === null) throw new LabelError(`pseudopotential ${s.potential} not found for ${el} in ${this.dataDir}/GTH_POTENTIALS`);
      valence[el] = v;
      const b = findBasisFile(this.dataDir, el, s.basis);
      if (!b) throw new LabelError(`basis set ${s.basis} not found for ${el} in ${this.dataDir}`);
      basisFiles.add(b);
    }
    const input = cp2kInput(frame, s, { dataDir: this.dataDir, basisFiles: [...basisFiles], potentialFile: join(this.dataDir, 'GTH_POTENTIALS'), valence });
    // Periodic cells are run with the analytical stress tensor: their label carries the virial.
    const periodic = frame.pbc.some(Boolean) && !!frame.cell;
    return { input: input.text, volume: periodic ? Math.abs(det3(input.cell)) : null };
  }

  /** The label in a finished run's output (`code`: cp2k's exit code); throws a LabelError with the reason. */
  static result(out: string, frame: Frame, volume: number | null, code: number | null, stderr = ''): CalcResult {
    const parsed = parseCp2kOutput(out, frame.symbols.length, volume);
    if (parsed.status === 'failed') {
      throw new LabelError(code !== 0 ? `${parsed.reason}; cp2k exited with code ${code}: ${tail(out + '\n' + stderr)}` : parsed.reason);
    }
    return { energy: parsed.energy, forces: parsed.forces, ...(parsed.virial ? { virial: parsed.virial } : {}) };
  }

  /** Energy eV, forces eV/Å and, for a periodic cell, the virial eV of one frame; throws a LabelError with the reason. */
  async compute(frame: Frame, signal?: AbortSignal): Promise<CalcResult> {
    let dir: string | null = null;
    try {
      const { input, volume } = this.prepare(frame);
      dir = mkdtempSync(join(tmpdir(), 'nanostudio-cp2k-'));
      writeFileSync(join(dir, 'label.inp'), input);
      const run = await this.run(dir, signal);
      const outPath = join(dir, 'label.out');
      const out = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
      if (run.reason) throw new LabelError(run.reason);
      return Cp2kLabeler.result(out, frame, volume, run.code, run.stderr);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }

  private run(dir: string, signal?: AbortSignal): Promise<{ code: number | null; stderr: string; reason?: string }> {
    return new Promise((resolve) => {
      const env = { ...process.env, OMP_NUM_THREADS: String(this.settings.threads) };
      // detached: cp2k leads its own process group, so the group (cp2k and anything it starts) can be killed at once.
      const child = spawn(this.executable, ['-i', 'label.inp', '-o', 'label.out'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      const pid = child.pid;
      const exited = pid !== undefined && this.watch ? this.watch({ pid, pgid: pid, startTicks: processStartTicks(pid), executable: this.executable, dir }) : null;
      const kill = (): void => { if (pid === undefined || !killGroup(pid)) child.kill('SIGKILL'); };
      let stderr = '';
      let reason: string | undefined;
      child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
      const timer = setTimeout(() => { reason = `cp2k exceeded the time limit of ${this.settings.timeoutSeconds} s`; kill(); }, this.settings.timeoutSeconds * 1000);
      const onAbort = (): void => { reason = 'cancelled'; kill(); };
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => { reason = `cannot run ${this.executable}: ${e.message}`; });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        exited?.();
        signal?.removeEventListener('abort', onAbort);
        if (!reason && sig) reason = `cp2k killed by signal ${sig}: ${tail(stderr)}`;
        resolve({ code, stderr, reason });
      });
    });
  }
}

function tail(s: string, n = 600): string {
  const t = s.trim();
  return t.length > n ? '…' + t.slice(-n) : t;
}
