/**
 * The files of one executor task (docs/jobs.md §4), in its own folder WORK/job-J/task-I/:
 *   task.json    what to do (frames + labeler, or training data + settings + member)
 *   run.sh       the sbatch script: modules, setup lines, the calculation, then the wrapper
 *   result.json  written by the wrapper (task-main.ts) at the very end, atomically (temp + rename)
 *   slurm-<id>.out  Slurm's output of each submission
 * A script finds result.json already there and exits at once: a submission that was lost track of
 * and made again never runs the calculation twice.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Frame, Pbc } from '../../core/atoms.ts';
import type { LabelerSpec } from '../labelers/spec.ts';
import type { TrainJobSettings } from '../schemas.ts';
import type { SlurmSettings } from './config.ts';

/** The wrapper's entry (run with node on the compute node). */
export const TASK_BOOT = fileURLToPath(new URL('./task-boot.mjs', import.meta.url));

export interface FrameJson { symbols: string[]; positions: number[]; cell: number[] | null; pbc: Pbc }

export const frameToJson = (f: Frame): FrameJson => ({ symbols: [...f.symbols], positions: Array.from(f.positions), cell: f.cell ? Array.from(f.cell) : null, pbc: [...f.pbc] as Pbc });
export const frameFromJson = (f: FrameJson): Frame => ({ symbols: f.symbols, positions: Float64Array.from(f.positions), cell: f.cell ? Float64Array.from(f.cell) : null, pbc: f.pbc });

/** task.json of a label task. `cp2k`: CP2K runs from run.sh in frame-<id>/ and the wrapper parses its output. */
export interface LabelTaskSpec {
  kind: 'label';
  jobId: number;
  item: number;
  labeler: LabelerSpec;
  /** The labeler's name recorded with each label (e.g. cp2k:PBE-D3/…). */
  labelerName: string;
  frames: Array<{ id: number; frame: FrameJson; /** CP2K: cell volume Å³ the output is parsed with (periodic frames). */ volume?: number | null; /** CP2K: time limit of one run, s. */ timeoutSeconds?: number; /** A frame that could not even be prepared: its failed label. */ failed?: string }>;
}

/** One labeled frame of a train task's data. */
export interface LabeledFrameJson { id: number; frame: FrameJson; energy: number; forces: number[]; virial: number[] | null }

/** task.json of a train task: one ensemble member (member k has seed settings.seed + k). */
export interface TrainTaskSpec {
  kind: 'train';
  jobId: number;
  item: number;
  member: number;
  settings: TrainJobSettings;
  /** The training data (built-in trainer; a DeePMD-kit task has its deepmd/npy copy in data/ instead). */
  frames: LabeledFrameJson[];
}

export type TaskSpec = LabelTaskSpec | TrainTaskSpec;

/** result.json of a label task: one outcome per frame. */
export interface LabelTaskResult {
  kind: 'label';
  item: number;
  labeler: string;
  frames: Array<{ id: number; status: 'ok'; energy: number; forces: number[]; virial: number[] | null; seconds: number } | { id: number; status: 'failed'; reason: string; seconds: number }>;
}

/** result.json of a train task; the model itself is model.dp next to it. */
export interface TrainTaskResult {
  kind: 'train';
  item: number;
  seed: number;
  /** Where the model came from, e.g. 'nanostudio built-in DP-SE (float64)'. */
  trainer: string;
  modelFile: string;
  format: string;
  curve: Array<{ step: number; lr: number; loss: number; rmseETrain: number; rmseFTrain: number; rmseEVal: number | null }>;
  metrics: Record<string, number>;
  /** Step the run started from (> 0 when it resumed from a checkpoint of an earlier submission); null when the trainer does not say (DeePMD-kit). */
  resumedFromStep: number | null;
  /** DeePMD-kit: whether dp train was started with --restart from its own checkpoint. */
  restarted?: boolean;
}

export type TaskResult = LabelTaskResult | TrainTaskResult;

/** Single-quote a word for bash. */
export function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The #SBATCH header and environment lines of a task script. */
export function scriptHeader(name: string, dir: string, s: SlurmSettings): string[] {
  const opts = [
    `--job-name=${name}`,
    `--output=${join(dir, 'slurm-%j.out')}`,
    `--chdir=${dir}`,
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${s.cpusPerTask}`,
    `--time=${s.time}`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.account ? [`--account=${s.account}`] : []),
    ...(s.qos ? [`--qos=${s.qos}`] : []),
    ...(s.mem ? [`--mem=${s.mem}`] : []),
    ...s.extraSbatch,
  ];
  return [
    '#!/bin/bash',
    ...opts.map((o) => `#SBATCH ${o}`),
    '# written by nanostudio (docs/jobs.md §4); result.json is the end mark of this task',
    'set -u',
    `cd ${sq(dir)} || exit 1`,
    'if [ -e result.json ]; then echo "nanostudio: result.json exists, nothing to do"; exit 0; fi',
    ...s.modules.map((m) => `module load ${m}`),
    ...s.setup,
    `export OMP_NUM_THREADS=${s.cpusPerTask}`,
  ];
}

/** The command line that runs the wrapper. */
export function wrapperLine(mode: string, dir: string, s: SlurmSettings): string {
  return `exec ${sq(s.node ?? process.execPath)} ${sq(TASK_BOOT)} ${mode} ${sq(dir)}`;
}

/** run.sh of a label task: EAM labels in the wrapper; CP2K runs per frame from the script, the wrapper parses. */
export function labelScript(spec: LabelTaskSpec, name: string, dir: string, s: SlurmSettings): string {
  const lines = scriptHeader(name, dir, s);
  if (spec.labeler.kind === 'cp2k') {
    const cmd = s.cp2kCommand ?? sq(spec.labeler.settings.executable ?? 'cp2k');
    for (const f of spec.frames) {
      if (f.failed) continue;
      const d = `frame-${f.id}`;
      // A frame finished by an earlier submission (its exit-code written) is not run again.
      lines.push(`if [ ! -e ${d}/exit-code ]; then (cd ${d} && rm -f label.out && timeout ${Math.ceil(f.timeoutSeconds ?? 86400)} ${cmd} -i label.inp -o label.out 2> stderr.txt; echo $? > exit-code.tmp && mv exit-code.tmp exit-code); fi`);
    }
    lines.push(wrapperLine('cp2k', dir, s));
  } else {
    lines.push(wrapperLine('label', dir, s));
  }
  return lines.join('\n') + '\n';
}

/** Paths of a task's files. */
export const taskPaths = (dir: string) => ({ spec: join(dir, 'task.json'), script: join(dir, 'run.sh'), result: join(dir, 'result.json'), checkpoint: join(dir, 'checkpoint.json') });
