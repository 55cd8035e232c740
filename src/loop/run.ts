/**
 * `nanostudio loop` end to end: plan → store (embedded under DIR or a backend over HTTP) →
 * initial data (labeled) → iterations (train → explore → select → label) until N iterations or
 * convergence → DIR/report.json and DIR/report.html. The same command on the same DIR resumes a
 * killed run (see iteration.ts for what is kept). DIR/loop.json records the run's identity so
 * that a different run is not mixed into it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { createLabeler, type LabelerSpec } from '../backend/labelers/spec.ts';
import { readPlan, type Plan } from './plan.ts';
import { EmbeddedStore, HttpStore, type LoopStore } from './store.ts';
import { initialFrames } from './init-data.ts';
import { chooseEngine, type Engine } from './explore.ts';
import { writeAtomic } from '../node/write-atomic.ts';
import { modelDir, runIteration, type LoopContext } from './iteration.ts';
import { finalSection, reportHtml, reportIteration, type LoopReport, type Parity } from './report.ts';
import { loadEnsemble, memberFile, type MemberResult } from './train.ts';
import { StageClock } from './stage-clock.ts';

export interface LoopOptions {
  planPath: string;
  /** A YAML file merged into the plan before validation (plan.ts applyPlanOverride), e.g. a short test budget. */
  planOverride?: string;
  out: string;
  initData?: string;
  labeler: LabelerSpec;
  /** Iterations to run in total (numbers 0 … N−1). */
  iterations: number;
  server?: string;
  token?: string;
  /** Override of the plan's training steps per model per iteration. */
  trainSteps?: number;
  models: number;
  seed: number;
  engine: 'auto' | Engine;
  /** Models trained at a time (default: the machine's parallelism). */
  threads?: number;
  /** Data-set name (default: the plan's name). */
  dataset?: string;
  command: string;
  log: (m: string) => void;
}

export interface LoopRunResult { report: LoopReport; reportJson: string; reportHtml: string }

interface Identity { plan: string; dataset: string; server: string | null; labeler: LabelerSpec; models: number; seed: number }

function checkIdentity(dir: string, id: Identity): void {
  const file = join(dir, 'loop.json');
  if (!existsSync(file)) {
    writeAtomic(file, JSON.stringify(id, null, 1));
    return;
  }
  const old = JSON.parse(readFileSync(file, 'utf8')) as Identity;
  const diff = (Object.keys(id) as (keyof Identity)[]).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(id[k]));
  if (diff.length) {
    throw new Error(`${dir} holds another loop run (${diff.map((k) => `${k}: ${JSON.stringify(old[k])} there, ${JSON.stringify(id[k])} now`).join('; ')}); use another --out or the same settings to resume it`);
  }
}

/** Label the initial frames once (posted in one batch; a resumed label job finishes first). Its wall time (s, runs before a kill included) is kept in DIR/init-seconds.json. */
async function initStage(plan: Plan, o: LoopOptions, store: LoopStore, datasetId: number, dir: string): Promise<number> {
  const file = join(dir, 'init-seconds.json');
  const clock = new StageClock(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seconds: number }).seconds : 0,
    (seconds) => writeAtomic(file, JSON.stringify({ seconds })));
  let states = await store.frameStates(datasetId);
  if (!states.some((s) => s.source.startsWith('init'))) {
    const labeler = await createLabeler(o.labeler);
    const frames = await initialFrames(plan, dir, o.initData, labeler, o.seed, o.log);
    await store.addFrames(datasetId, frames.map((f) => ({ frame: f.frame, provenance: { source: f.source } })));
  }
  await store.waitForLabelJobs(datasetId, o.log);
  states = await store.frameStates(datasetId);
  const todo = states.filter((s) => s.source.startsWith('init') && s.label === null).map((s) => s.id);
  if (todo.length) {
    o.log(`initial data: labeling ${todo.length} frames`);
    await store.label(datasetId, todo, o.labeler, o.log);
  }
  const seconds = await clock.stop();
  writeAtomic(file, JSON.stringify({ seconds }));
  return seconds;
}

export async function runLoop(o: LoopOptions): Promise<LoopRunResult> {
  const plan = readPlan(o.planPath, o.planOverride);
  const dir = resolve(o.out);
  mkdirSync(dir, { recursive: true });
  const dataset = o.dataset ?? plan.name;
  checkIdentity(dir, { plan: plan.name, dataset, server: o.server ?? null, labeler: o.labeler, models: o.models, seed: o.seed });
  if (o.server && !o.token) throw new Error('--server needs --token (the backend\'s bearer token)');
  const store: LoopStore = o.server ? new HttpStore(o.server, o.token!) : EmbeddedStore.open(dir);
  try {
    const datasetId = await store.ensureDataset(dataset, `nanostudio loop, plan ${plan.name}`);
    o.log(`loop ${plan.name}: data set '${dataset}' (id ${datasetId}) in the ${store.where}; output ${dir}`);
    const initSeconds = await initStage(plan, o, store, datasetId, dir);
    const engine = await chooseEngine(o.engine, o.log);
    const ctx: LoopContext = { plan, dir, store, datasetId, labeler: o.labeler, models: o.models, seed: o.seed, trainSteps: o.trainSteps, engine,
      threads: o.threads ?? Math.max(1, availableParallelism()), log: o.log };
    let converged = false;
    let stopReason = `${o.iterations} iteration(s) run, convergence level ${plan.convergence.accurate} not reached`;
    for (let n = 0; n < o.iterations; n++) {
      const t0 = performance.now();
      const r = await runIteration(ctx, n);
      const fr = Object.entries(r.kinds).map(([k, c]) => `${k} ${(100 * c.accurate / c.frames).toFixed(1)}% accurate`).join(', ');
      o.log(`iteration ${n} done (${((performance.now() - t0) / 1000).toFixed(0)} s this run): ${fr}; data set ${r.summary.datasetSize} labeled frames`);
      if (r.converged) {
        converged = true;
        stopReason = `stopped after iteration ${n}: ${r.summary.note}`;
        break;
      }
    }
    o.log(converged ? `CONVERGED — ${stopReason}` : stopReason);
    // report
    const summaries = (await store.iterations(datasetId)).filter((s) => s.number < o.iterations);
    const last = [...summaries].reverse().find((s) => existsSync(memberFile(modelDir(dir, s.number), o.models - 1)));
    let final: LoopReport['final'] = null;
    let parity: Parity | null = null;
    if (last) {
      const mdir = modelDir(dir, last.number);
      const files = Array.from({ length: o.models }, (_, k) => memberFile(mdir, k));
      const members = Array.from({ length: o.models }, (_, k) => JSON.parse(readFileSync(join(mdir, `model-${k}.json`), 'utf8')) as MemberResult);
      const models = await loadEnsemble(mdir, o.models);
      const data = await store.labeledFrames(datasetId);
      ({ final, parity } = finalSection(plan, dir, last.number, files, models, members, data, o.seed, o.log));
    }
    const report: LoopReport = {
      plan: plan.name, command: o.command, where: store.where, engine, labeler: o.labeler.kind === 'eam' ? `eam:${o.labeler.file}` : 'cp2k',
      converged, stopReason, initSeconds, iterations: summaries.map((s) => reportIteration(s, plan, modelDir(dir, s.number), o.models)), final,
    };
    const reportJson = join(dir, 'report.json'), reportHtmlPath = join(dir, 'report.html');
    writeAtomic(reportJson, JSON.stringify(report, null, 1));
    writeAtomic(reportHtmlPath, reportHtml(report, parity));
    o.log(`report: ${reportJson}, ${reportHtmlPath}`);
    return { report, reportJson, reportHtml: reportHtmlPath };
  } finally {
    await store.close();
  }
}
