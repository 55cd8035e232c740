/**
 * The wrapper of an executor task (docs/jobs.md §4), run on a compute node by the task's run.sh:
 *   label DIR   label the frames of DIR/task.json in this process (EAM, or any in-process labeler)
 *   cp2k DIR    parse the CP2K outputs run.sh left in DIR/frame-<id>/ (label.out, exit-code)
 *   train DIR   train one ensemble member with the built-in trainer (checkpoints in DIR/checkpoint.json)
 *   deepmd DIR  take in the model.dp and lcurve.out DeePMD-kit left in DIR (train/deepmd.ts)
 * and write DIR/result.json atomically at the end. A failed label (SCF not converged, bad frame)
 * is a result; only a wrapper that cannot finish exits non-zero without one (the service then
 * resubmits the task).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLabeler } from '../labelers/spec.ts';
import { labelFrame, LabelError } from '../labelers/labeler.ts';
import { Cp2kLabeler } from '../labelers/cp2k.ts';
import { frameFromJson, taskPaths, type LabelTaskResult, type LabelTaskSpec, type TaskSpec } from './task-files.ts';
import { writeJsonAtomic } from '../../node/write-atomic.ts';
import { runTrainTask } from './train-task.ts';
import { deepmdResult } from '../train/deepmd.ts';

function readSpec(dir: string): TaskSpec {
  return JSON.parse(readFileSync(taskPaths(dir).spec, 'utf8')) as TaskSpec;
}

async function labelInProcess(spec: LabelTaskSpec): Promise<LabelTaskResult> {
  const labeler = await createLabeler(spec.labeler);
  const frames: LabelTaskResult['frames'] = [];
  for (const f of spec.frames) {
    const t0 = performance.now();
    const o = f.failed ? { status: 'failed' as const, reason: f.failed } : await labelFrame(labeler, frameFromJson(f.frame));
    const seconds = (performance.now() - t0) / 1000;
    frames.push(o.status === 'ok'
      ? { id: f.id, status: 'ok', energy: o.energy, forces: Array.from(o.forces), virial: o.virial ? Array.from(o.virial) : null, seconds }
      : { id: f.id, status: 'failed', reason: o.reason, seconds });
  }
  return { kind: 'label', item: spec.item, labeler: labeler.name, frames };
}

function parseCp2kRuns(dir: string, spec: LabelTaskSpec, name: string): LabelTaskResult {
  const frames: LabelTaskResult['frames'] = [];
  for (const f of spec.frames) {
    if (f.failed) { frames.push({ id: f.id, status: 'failed', reason: f.failed, seconds: 0 }); continue; }
    const d = join(dir, `frame-${f.id}`);
    const codePath = join(d, 'exit-code');
    // No exit code: run.sh did not get to this frame (killed by Slurm); no result, the task is resubmitted.
    if (!existsSync(codePath)) throw new Error(`frame ${f.id}: cp2k did not finish (no ${codePath})`);
    const code = Number(readFileSync(codePath, 'utf8').trim());
    const out = existsSync(join(d, 'label.out')) ? readFileSync(join(d, 'label.out'), 'utf8') : '';
    const stderr = existsSync(join(d, 'stderr.txt')) ? readFileSync(join(d, 'stderr.txt'), 'utf8') : '';
    try {
      if (code === 124) throw new LabelError(`cp2k exceeded the time limit of ${f.timeoutSeconds} s`);
      if (code === 126 || code === 127) throw new LabelError(`cannot run cp2k (exit ${code}): ${stderr.trim().slice(-400)}`);
      const r = Cp2kLabeler.result(out, frameFromJson(f.frame), f.volume ?? null, code, stderr);
      if (!Number.isFinite(r.energy) || !r.forces.every(Number.isFinite)) throw new LabelError(`${name} returned a non-finite energy or force`);
      frames.push({ id: f.id, status: 'ok', energy: r.energy, forces: Array.from(r.forces), virial: r.virial ? Array.from(r.virial) : null, seconds: 0 });
    } catch (e) {
      frames.push({ id: f.id, status: 'failed', reason: e instanceof Error ? e.message : String(e), seconds: 0 });
    }
  }
  return { kind: 'label', item: spec.item, labeler: name, frames };
}

export async function main(argv: string[]): Promise<number> {
  const [mode, dir] = argv;
  if (!mode || !dir) {
    console.error('usage: task-boot.mjs label|cp2k|train|deepmd TASK_DIR');
    return 2;
  }
  try {
    const spec = readSpec(dir);
    const out = taskPaths(dir).result;
    if (existsSync(out)) { console.log(`nanostudio task: ${out} exists, nothing to do`); return 0; }
    let result;
    if (mode === 'label' && spec.kind === 'label') result = await labelInProcess(spec);
    else if (mode === 'cp2k' && spec.kind === 'label' && spec.labeler.kind === 'cp2k') result = parseCp2kRuns(dir, spec, spec.labelerName);
    else if (mode === 'train' && spec.kind === 'train') result = await runTrainTask(dir, spec);
    else if (mode === 'deepmd' && spec.kind === 'train') result = deepmdResult(dir, spec.item, spec.settings, spec.member);
    else throw new Error(`mode '${mode}' does not fit task kind '${spec.kind}'`);
    writeJsonAtomic(out, result);
    console.log(`nanostudio task: wrote ${out}`);
    return 0;
  } catch (e) {
    console.error(`nanostudio task failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 1;
  }
}
