/**
 * One active-learning iteration as a resumable stage machine over the shared iteration model:
 *   training  → the ensemble (from the previous iteration's models) is trained and attached
 *   exploring → MD per task with the deviation per frame; fractions per system are recorded
 *   (converged: every explored system type reaches the accurate level → done, the loop stops)
 *   labeling  → candidates selected (cap, diversity thinning), posted with the iteration's id,
 *               labeled in a label job
 *   done      → data-set size frozen, stage wall times recorded.
 * Every stage skips what the store or DIR already holds, so a killed run resumes with at most
 * the step in flight repeated: finished models, finished MD tasks, posted frames and written
 * labels are never redone (a label job resumes with its unlabeled frames only).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import type { IterationSummary } from '../backend/store/iterations.ts';
import type { LabelerSpec } from '../backend/labelers/spec.ts';
import { systemsFor, type Plan, type SystemKind } from './plan.ts';
import { explorationTasks } from './systems.ts';
import { exploreTask, readTaskFrames, readTaskResult, type Engine, type TaskResult } from './explore.ts';
import { countClasses, KINDS, selectFrames, structureKey, type ClassCounts } from './select.ts';
import { iterationTrainSettings, loadEnsemble, memberFile, readMember, trainIterationEnsemble, type MemberResult } from './train.ts';
import { median, replaceLaggingMembers, trustWarning, validationRmse } from './lagging.ts';
import { StageClock } from './stage-clock.ts';
import type { LoopStore } from './store.ts';

export interface LoopContext {
  plan: Plan;
  dir: string;
  store: LoopStore;
  datasetId: number;
  labeler: LabelerSpec;
  models: number;
  seed: number;
  trainSteps?: number;
  engine: Engine;
  threads: number;
  log: (m: string) => void;
}

export const iterDir = (dir: string, n: number): string => join(dir, `iter-${String(n).padStart(3, '0')}`);
export const modelDir = (dir: string, n: number): string => join(iterDir(dir, n), 'models');

export interface IterationOutcome {
  summary: IterationSummary;
  /** Accurate / candidate / failed counts per explored system type. */
  kinds: Partial<Record<SystemKind, ClassCounts>>;
  converged: boolean;
}

/** Whether every explored system type reaches the accurate fraction `level`. */
export function isConverged(kinds: Partial<Record<SystemKind, ClassCounts>>, level: number): boolean {
  const explored = KINDS.filter((k) => (kinds[k]?.frames ?? 0) > 0);
  return explored.length > 0 && explored.every((k) => kinds[k]!.accurate / kinds[k]!.frames >= level);
}

/** Accurate/candidate/failed per system type from the recorded exploration entries. */
export function kindCounts(s: IterationSummary): Partial<Record<SystemKind, ClassCounts>> {
  const out: Partial<Record<SystemKind, ClassCounts>> = {};
  for (const e of s.exploration) {
    if (e.kind === 'studio') continue;
    const c = (out[e.kind] ??= { frames: 0, accurate: 0, candidate: 0, failed: 0 });
    c.frames += e.frames; c.accurate += e.accurate; c.candidate += e.candidate; c.failed += e.failed;
  }
  return out;
}

/** Largest atomic force magnitude, eV/Å. */
export function maxAtomForce(f: Float64Array): number {
  let m = 0;
  for (let i = 0; i < f.length; i += 3) m = Math.max(m, Math.hypot(f[i], f[i + 1], f[i + 2]));
  return m;
}

/** Run (or resume) iteration n. */
export async function runIteration(ctx: LoopContext, n: number): Promise<IterationOutcome> {
  const { plan, store, datasetId, log } = ctx;
  let it = (await store.iterations(datasetId)).find((i) => i.number === n) ?? await store.openIteration(datasetId, 'training', `nanostudio loop iteration ${n}`);
  if (it.status === 'done') return { summary: it, kinds: kindCounts(it), converged: /converged/.test(it.note) };
  // Stage wall times are recorded while a stage runs (StageClock), so work before a kill counts.
  const startClock = (stage: string): StageClock => {
    const id = it.id;
    return new StageClock(it.stageSeconds[stage] ?? 0, (s) => store.patchIteration(id, { stageSeconds: { [stage]: s } }));
  };
  const stopClock = async (stage: string, clock: StageClock): Promise<void> => {
    it = await store.patchIteration(it.id, { stageSeconds: { [stage]: await clock.stop() } });
  };
  mkdirSync(iterDir(ctx.dir, n), { recursive: true });
  // member k keeps its seed across iterations (a replaced lagging member continues with its new seed)
  const previousMembers = n > 0 ? Array.from({ length: ctx.models }, (_, k) => readMember(modelDir(ctx.dir, n - 1), k)) : [];
  const seeds = Array.from({ length: ctx.models }, (_, k) => previousMembers[k]?.seed ?? ctx.seed + k);

  // 1. training
  if (it.ensembleId === null) {
    const clock = startClock('train');
    const onCheckpoint = (): void => { clock.record().catch(() => {}); };
    if (it.status !== 'training') it = await store.patchIteration(it.id, { status: 'training' });
    const all = await store.labeledFrames(datasetId);
    const data = all.filter((d) => maxAtomForce(d.forces) <= plan.training.maxForce);
    if (data.length < all.length) log(`iteration ${n}: ${all.length - data.length} of ${all.length} labeled frames have an atom force above ${plan.training.maxForce} eV/Å and are left out of training`);
    if (data.length < 2) throw new Error(`iteration ${n}: the data set has ${data.length} labeled frame(s); training needs at least 2`);
    const previous: DpModel[] | null = n > 0 && existsSync(memberFile(modelDir(ctx.dir, n - 1), ctx.models - 1)) ? await loadEnsemble(modelDir(ctx.dir, n - 1), ctx.models) : null;
    const typeMap = [...new Set(data.flatMap((d) => d.frame.symbols))].sort();
    const settings = iterationTrainSettings(plan, typeMap, previous !== null, ctx.seed, ctx.trainSteps);
    log(`iteration ${n}: training ${ctx.models} models × ${settings.numSteps} steps on ${data.length} labeled frames${previous ? ' (continuing from iteration ' + (n - 1) + ')' : ' (from random weights)'}`);
    const trained = await trainIterationEnsemble({ dir: modelDir(ctx.dir, n), data, settings, seeds, previous, threads: ctx.threads, checkpointEvery: plan.training.checkpointEvery, onCheckpoint, log });
    const { members, record } = await replaceLaggingMembers({
      plan, dir: modelDir(ctx.dir, n), iteration: n, data, members: trained as MemberResult[], settings: iterationTrainSettings(plan, typeMap, false, ctx.seed, ctx.trainSteps),
      seed: ctx.seed, threads: ctx.threads, onCheckpoint, log,
    });
    const warning = trustWarning(plan, [...new Set(systemsFor(plan, n).map((s) => s.kind))], median(members.map((m) => validationRmse(m)?.force ?? NaN)));
    if (warning) log(`iteration ${n}: WARNING: ${warning}`);
    await store.attachEnsemble(it.id, {
      name: `${plan.name} iteration ${n}`,
      settings: { ...settings, trainer: 'nanostudio built-in DP-SE (float64)', initFromPrevious: previous !== null, validationIds: members[0].validationIds, replacedLagging: record },
      trainingFrames: data.map((d) => d.id),
      models: members.map((m) => ({ seed: m.seed, content: new Uint8Array(readFileSync(m.file)), metrics: m.metrics, learningCurve: m.curve })),
    });
    await stopClock('train', clock);
    it = (await store.iterations(datasetId)).find((i) => i.id === it.id)!;
  }

  // 2. exploration
  const models = await loadEnsemble(modelDir(ctx.dir, n), ctx.models);
  if (it.status === 'training') it = await store.patchIteration(it.id, { status: 'exploring' });
  const results: TaskResult[] = [];
  let kinds = kindCounts(it);
  if (it.status === 'exploring') {
    const clock = startClock('explore');
    const tasks = explorationTasks(plan, n, ctx.seed, new DpCalculator(models[0], { onWarning: () => {} }), log);
    const files = Array.from({ length: ctx.models }, (_, k) => memberFile(modelDir(ctx.dir, n), k));
    log(`iteration ${n}: exploring ${tasks.length} MD runs`);
    for (const task of tasks) {
      const r = await exploreTask(task, join(iterDir(ctx.dir, n), 'explore', task.id), models, files, plan.trust[task.kind], ctx.engine, log);
      const c = countClasses([r]);
      log(`  ${task.id}: ${c.frames} frames, ${c.accurate} accurate, ${c.candidate} candidate, ${c.failed} failed${r.stopped ? ` (stopped early: ${r.stopped.split('.')[0]})` : ''}`);
      results.push(r);
      await clock.record();
    }
    for (const system of [...new Set(tasks.map((t) => t.system))]) {
      const rs = results.filter((r) => r.system === system);
      const c = countClasses(rs);
      const kind = rs[0].kind;
      await store.postExploration(it.id, { system, kind, ...c, trustLo: plan.trust[kind].lo, trustHi: plan.trust[kind].hi });
    }
    await stopClock('explore', clock);
    kinds = countsFromResults(results);
    if (isConverged(kinds, plan.convergence.accurate)) {
      const note = `converged: accurate fraction ≥ ${plan.convergence.accurate} for ${Object.keys(kinds).join(', ')}`;
      log(`iteration ${n}: ${note}`);
      it = await store.patchIteration(it.id, { status: 'done', note });
      return { summary: it, kinds, converged: true };
    }
    it = await store.patchIteration(it.id, { status: 'labeling' });
  }

  // 3. selection and labeling
  let mine = (await store.frameStates(datasetId)).filter((f) => f.iterationId === it.id);
  if (mine.length === 0) {
    const clock = startClock('select');
    const exploreDir = join(iterDir(ctx.dir, n), 'explore');
    const all = (results.length ? [...results] : (existsSync(exploreDir) ? readdirSync(exploreDir).sort() : [])
      .map((id) => readTaskResult(join(exploreDir, id))).filter((r): r is TaskResult => r !== null)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Every stored frame, labeled or not: one posted but still unlabeled (its label in flight at a kill) is not posted again.
    const known = new Set((await store.storedFrames(datasetId)).map(structureKey));
    const selected = selectFrames(plan, all, (id) => readTaskFrames(join(exploreDir, id)), known);
    const ensembleId = it.ensembleId;
    if (selected.length) {
      await store.addFrames(datasetId, selected.map((s) => ({
        frame: s.frame,
        provenance: { source: `loop ${plan.name} iteration ${n}`, exploration: s.taskId, iterationId: it.id, ensembleId, maxDeviF: s.maxDeviF, exploredAt: new Date().toISOString() },
      })));
    }
    log(`iteration ${n}: selected ${selected.length} candidate frames (cap ${plan.selection.maxPerIteration}) → ${KINDS.map((k) => `${k} ${selected.filter((s) => s.kind === k).length}`).join(', ')}`);
    await stopClock('select', clock);
  }
  const labelClock = startClock('label');
  await store.waitForLabelJobs(datasetId, log);
  mine = (await store.frameStates(datasetId)).filter((f) => f.iterationId === it.id);
  const todo = mine.filter((f) => f.label === null).map((f) => f.id);
  if (todo.length) {
    log(`iteration ${n}: labeling ${todo.length} frames${todo.length < mine.length ? ` (${mine.length - todo.length} already labeled)` : ''}`);
    await store.label(datasetId, todo, ctx.labeler, log);
  }
  await stopClock('label', labelClock);
  it = await store.patchIteration(it.id, { status: 'done' });
  return { summary: it, kinds: kindCounts(it), converged: false };
}

function countsFromResults(results: TaskResult[]): Partial<Record<SystemKind, ClassCounts>> {
  const out: Partial<Record<SystemKind, ClassCounts>> = {};
  for (const k of KINDS) {
    const rs = results.filter((r) => r.kind === k);
    if (rs.length) out[k] = countClasses(rs);
  }
  return out;
}
