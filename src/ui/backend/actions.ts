/**
 * What the backend panels do: connect (and check the token), pick or create a data set, send the
 * selected frames to label with their provenance and the exploration of the runs, follow label and
 * train jobs live over SSE, and load a trained ensemble into the worker. Errors are named in the
 * store (`error` / the connection status); nothing the studio collected is dropped on failure.
 */
import type { RunInfo } from '../../worker/frames.ts';
import { BackendClient, BackendError, tokenFromPaste, type Ensemble, type IterationSummary, type Job, type JobEvent, type TrainJobSettings } from './client.ts';
import { saveConnection, savedSession, saveSession, useBackend, type CurvePoint, type LabelerKind, type LabelJobView, type NetworkPreset, type TrainJobView } from './backend-store.ts';
import type { FrameSource, StoredFrameLike } from './frame-source.ts';
import { explorationEntry, frameInput, runLabel } from './frame-payload.ts';
import { backendEnsembleKey, backendEnsembleName, filesEnsemble, type EnsembleInUse, type ModelFile } from '../engine/ensemble-in-use.ts';

export type { ModelFile };

const st = () => useBackend.getState();
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let client: BackendClient | null = null;
const stopFollowing: { label?: () => void; train?: () => void } = {};

/** The connected client, or a named error. */
function connected(): BackendClient {
  if (!client || st().status.kind !== 'connected') throw new Error('not connected to the backend: enter its URL and token and press Connect');
  return client;
}

/** A connection-level error (service gone, token refused) changes the connection status. */
function noteConnection(e: unknown): void {
  if (e instanceof BackendError && e.kind === 'unreachable') st().set({ status: { kind: 'unreachable', message: e.message } });
  if (e instanceof BackendError && e.kind === 'unauthorized') st().set({ status: { kind: 'unauthorized', message: e.message } });
}

/** Record an action's failure: connection-level errors also change the status. */
function fail(what: string, e: unknown): void {
  noteConnection(e);
  st().set({ error: `${what}: ${message(e)}`, busy: null });
}

async function run<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  st().set({ busy: what, error: null });
  try {
    const r = await fn();
    st().set({ busy: null });
    return r;
  } catch (e) {
    fail(what, e);
    return undefined;
  }
}

/** Connect with the URL and token in the store; saves them in localStorage once they work. */
export async function connect(): Promise<void> {
  const url = st().url;
  const token = tokenFromPaste(st().token);
  st().set({ token, status: { kind: 'connecting' }, error: null });
  try {
    const c = new BackendClient(url, token);
    const h = await c.health();
    await c.checkToken();
    client = c;
    saveConnection({ url: c.url, token });
    st().set({ url: c.url, status: { kind: 'connected', version: h.version } });
    await refreshDatasets();
    await resumeJobs();
  } catch (e) {
    client = null;
    const m = message(e);
    st().set({ status: e instanceof BackendError && e.kind === 'unauthorized' ? { kind: 'unauthorized', message: m } : { kind: 'unreachable', message: m } });
  }
}

export async function refreshDatasets(): Promise<void> {
  await run('list data sets', async () => {
    const datasets = await connected().datasets();
    const saved = savedSession().datasetId;
    const cur = st().datasetId ?? saved;
    const datasetId = datasets.some((d) => d.id === cur) ? cur : (datasets.at(-1)?.id ?? null);
    st().set({ datasets, datasetId });
    await refreshIterations();
  });
}

export async function refreshIterations(): Promise<IterationSummary[]> {
  const id = st().datasetId;
  if (id === null || !client) {
    st().set({ iterations: [] });
    return [];
  }
  const iterations = await client.iterations(id);
  const datasets = await client.datasets();
  st().set({ iterations, datasets });
  return iterations;
}

/**
 * Re-read the iterations quietly (the dashboard's periodic refresh: `nanostudio loop --server` or
 * another studio may write them). Skipped while an action runs; a lost service or a refused token
 * shows in the connection status, another failure as the panel's error.
 */
export async function pollIterations(): Promise<void> {
  if (!client || st().status.kind !== 'connected' || st().busy !== null) return;
  try {
    await refreshIterations();
  } catch (e) {
    if (e instanceof BackendError && e.kind !== 'http') noteConnection(e);
    else st().set({ error: `refresh the iterations: ${message(e)}` });
  }
}

export async function chooseDataset(id: number): Promise<void> {
  st().set({ datasetId: id });
  saveSession({ datasetId: id });
  await run('load iterations', refreshIterations);
}

export async function createDataset(name: string): Promise<void> {
  await run('create data set', async () => {
    const d = await connected().createDataset(name.trim());
    st().set({ datasetId: d.id, notice: `data set '${d.name}' created` });
    saveSession({ datasetId: d.id });
    await refreshIterations();
  });
}

/** The iteration new frames belong to: the newest one not done, or a new one. */
async function currentIteration(c: BackendClient, datasetId: number): Promise<IterationSummary> {
  const its = await c.iterations(datasetId);
  const open = its.filter((i) => i.status !== 'done').at(-1);
  return open ?? c.openIteration(datasetId, 'studio');
}

/**
 * Post the exploration of every run not yet posted to the data set's current iteration (its frames
 * counted good/decent/poor). Returns that iteration.
 */
async function postExplorations(c: BackendClient, frames: FrameSource, datasetId: number): Promise<{ iteration: IterationSummary; runs: RunInfo[] }> {
  const iteration = await currentIteration(c, datasetId);
  const runs = await frames.listRuns();
  const posted = new Set(savedSession().postedRuns);
  for (const r of runs.filter((x) => !posted.has(`${c.url}|${datasetId}|${x.id}`))) {
    const fs = await frames.listFrames(r.id);
    if (!fs.length) continue;
    await c.postExploration(iteration.id, explorationEntry(r, fs));
    posted.add(`${c.url}|${datasetId}|${r.id}`);
    saveSession({ postedRuns: [...posted] });
  }
  return { iteration, runs };
}

/** Post the exploration of the runs so far to the current iteration without sending frames. */
export async function recordExploration(frames: FrameSource | undefined): Promise<void> {
  await run('record exploration', async () => {
    const c = connected();
    const ds = requireDataset();
    if (!frames) throw new Error('the frame store is not available');
    const { iteration } = await postExplorations(c, frames, ds);
    st().set({ notice: `exploration recorded in iteration ${iteration.number}` });
    await refreshIterations();
  });
}

function requireDataset(): number {
  const id = st().datasetId;
  if (id === null) throw new Error('no data set chosen: create or pick one first');
  return id;
}

/** Send the frames selected in the decent inspector, record the exploration, start a label job and follow it. */
export async function sendToLabel(frames: FrameSource | undefined): Promise<void> {
  await run('send to label', async () => {
    const c = connected();
    const ds = requireDataset();
    if (!frames) throw new Error('the frame store is not available');
    const selected = (await frames.selectedFrames()).filter((f) => f.labeledJobId === undefined);
    if (!selected.length) throw new Error('no frames selected: select decent frames in the inspector first');
    const n = selected.length;
    // What a failure leaves behind, said with the error: nothing collected in the studio is dropped.
    let stage = `nothing was sent: the ${n} selected frame(s) stay selected in this browser`;
    try {
      const { iteration, runs } = await postExplorations(c, frames, ds);
      const byId = new Map(runs.map((r) => [r.id, r]));
      const ids = await c.addFrames(ds, selected.map((f) => frameInput(f, { run: byId.get(f.runId), iterationId: iteration.id, iterationNumber: iteration.number })));
      stage = `the ${n} frame(s) are in data set ${ds} (backend ids ${ids[0]}–${ids[ids.length - 1]}) but no label job was started`;
      const local = selected.map((f) => f.id);
      await frames.markSent(local, { datasetId: ds });
      const origin = new Map(ids.map((id, k) => [id, originText(selected[k], byId.get(selected[k].runId))]));
      const calculator = st().labeler;
      const job = await c.labelJob(ds, ids, { kind: calculator });
      stage = `label job ${job.id} was started`;
      await labelStarted(c, frames, local, ds, job, calculator, ids, origin, iteration);
    } catch (e) {
      noteConnection(e);
      throw new Error(`${message(e)} — ${stage}`);
    }
  });
}

/** The label job exists: remember it, mark the frames and the iteration, and follow it (also when marking the iteration failed). */
async function labelStarted(
  c: BackendClient, frames: FrameSource, local: number[], ds: number, job: Job, calculator: LabelerKind,
  ids: number[], origin: Map<number, string>, iteration: IterationSummary,
): Promise<void> {
  saveSession({ labelJobId: job.id });
  await frames.markSent(local, { datasetId: ds, jobId: job.id });
  // The iteration is 'labeling' before the job's end is seen (finishLabel records the stage time there).
  let patchError: unknown = null;
  try { await c.patchIteration(iteration.id, { status: 'labeling' }); } catch (e) { patchError = e; }
  followLabel(c, job.id, calculator, origin, job.progress.total);
  if (patchError) throw patchError;
  st().set({ notice: `${ids.length} frame(s) sent to data set ${ds} (iteration ${iteration.number}); label job ${job.id} (${calculator})` });
  await refreshIterations();
}

function originText(f: StoredFrameLike, r: RunInfo | undefined): string {
  return `${r ? runLabel(r) : f.runId}, step ${f.step}`;
}

function setLabel(p: Partial<LabelJobView>): void {
  const cur = st().label;
  if (cur) st().set({ label: { ...cur, ...p } });
}

function followLabel(c: BackendClient, jobId: number, calculator: string, origin: Map<number, string>, total: number, timed = true): void {
  stopFollowing.label?.();
  st().set({ label: { jobId, state: 'queued', done: 0, total, ok: 0, failed: [], error: null, calculator } });
  const started = timed ? performance.now() : null;
  stopFollowing.label = c.followJob(jobId, (e: JobEvent) => {
    const cur = st().label;
    if (!cur || cur.jobId !== jobId) return;
    if (e.type === 'progress') {
      const failed = e.status === 'failed' && e.frameId !== undefined && !cur.failed.some((x) => x.frameId === e.frameId)
        ? [...cur.failed, { frameId: e.frameId, reason: e.reason ?? 'no reason given', origin: origin.get(e.frameId) ?? `frame ${e.frameId}` }]
        : cur.failed;
      setLabel({ done: e.done, total: e.total, ok: cur.ok + (e.status === 'ok' ? 1 : 0), failed });
    } else if (e.type === 'state') {
      setLabel({ state: e.state, error: e.error ?? null });
      if (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled') void finishLabel(c, jobId, origin, started === null ? null : (performance.now() - started) / 1000);
    }
  }, (m) => setLabel({ error: m }));
}

/** After the label job: exact counts and failure reasons from the service, stage time, dashboard. */
async function finishLabel(c: BackendClient, jobId: number, origin: Map<number, string>, seconds: number | null): Promise<void> {
  try {
    const labels = await c.jobLabels(jobId);
    const failed = labels.filter((l) => l.status === 'failed').map((l) => ({ frameId: l.frameId, reason: l.reason ?? 'no reason given', origin: origin.get(l.frameId) ?? `frame ${l.frameId}` }));
    const job = await c.job(jobId);
    setLabel({ ok: labels.filter((l) => l.status === 'ok').length, failed, done: job.progress.done, total: job.progress.total, state: job.state, error: job.error });
    const it = (await c.iterations(requireDataset())).filter((i) => i.status === 'labeling').at(-1);
    if (it && seconds !== null) await c.patchIteration(it.id, { stageSeconds: { label: seconds } });
    await refreshIterations();
  } catch (e) {
    fail('read the label job', e);
  }
}

/** Training settings: the paper's network, or a tiny one that trains in a minute on a CPU (demos, tests). */
export function trainSettings(preset: NetworkPreset, steps: number): TrainJobSettings {
  if (preset === 'paper') return { models: 4, steps };
  return {
    models: 4, steps, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4,
    startLr: 1e-2, stopLr: 1e-4, decaySteps: Math.max(1, Math.round(steps / 4)), startPrefE: 1, limitPrefE: 1, validationFraction: 0.2,
  };
}

export async function startTrain(): Promise<void> {
  await run('start training', async () => {
    const c = connected();
    const ds = requireDataset();
    const { trainSteps, network } = st();
    if (!Number.isInteger(trainSteps) || trainSteps < 1) throw new Error(`steps must be a positive integer, got ${trainSteps}`);
    const it = await currentIteration(c, ds);
    const job = await c.trainJob(ds, trainSettings(network, trainSteps), it.id, `studio iteration ${it.number}`);
    await c.patchIteration(it.id, { status: 'training' });
    saveSession({ trainJobId: job.id });
    st().set({ notice: `train job ${job.id}: 4 models × ${trainSteps} steps (iteration ${it.number})` });
    followTrain(c, job.id, it.id);
    await refreshIterations();
  });
}

function setTrain(p: Partial<TrainJobView>): void {
  const cur = st().train;
  if (cur) st().set({ train: { ...cur, ...p } });
}

function followTrain(c: BackendClient, jobId: number, iterationId: number | null, timed = true): void {
  stopFollowing.train?.();
  st().set({ train: { jobId, state: 'queued', done: 0, total: 4, error: null, curves: [], ensemble: null } });
  const started = timed ? performance.now() : null;
  stopFollowing.train = c.followJob(jobId, (e: JobEvent) => {
    const cur = st().train;
    if (!cur || cur.jobId !== jobId) return;
    if (e.type === 'progress') {
      const d = e.detail;
      let curves = cur.curves;
      if (d && d.step !== undefined && d.model !== undefined) {
        curves = [...cur.curves];
        const point: CurvePoint = { step: d.step, rmseETrain: d.rmseETrain, rmseEVal: d.rmseEVal ?? null, loss: d.loss };
        curves[d.model] = [...(curves[d.model] ?? []), point];
      }
      setTrain({ done: e.done, total: e.total, curves });
    } else if (e.type === 'state') {
      setTrain({ state: e.state, error: e.error ?? null });
      if (e.state === 'succeeded') void finishTrain(c, jobId, iterationId, started === null ? null : (performance.now() - started) / 1000);
    }
  }, (m) => setTrain({ error: m }));
}

/** After the train job: the ensemble it stored (with full learning curves), the iteration closed. */
async function finishTrain(c: BackendClient, jobId: number, iterationId: number | null, seconds: number | null): Promise<void> {
  try {
    const ensemble = (await c.ensembles()).find((e) => e.jobId === jobId) ?? null;
    if (!ensemble) throw new Error(`train job ${jobId} succeeded but stored no ensemble`);
    const curves = ensemble.models.map((m) => m.learningCurve.map((r) => ({ step: r.step, rmseETrain: r.rmseETrain, rmseEVal: Number.isFinite(r.rmseEVal) ? r.rmseEVal : null, loss: r.loss })));
    setTrain({ ensemble, curves });
    if (iterationId !== null && seconds !== null) await c.patchIteration(iterationId, { status: 'done', stageSeconds: { train: seconds } });
    await refreshIterations();
  } catch (e) {
    fail('read the trained ensemble', e);
  }
}

/** Re-follow the jobs of the last session after a reload (they ran on in the service). */
async function resumeJobs(): Promise<void> {
  const c = client;
  if (!c) return;
  const s = savedSession();
  try {
    if (s.labelJobId !== null && !st().label) {
      const j = await c.job(s.labelJobId);
      followLabel(c, j.id, String((j.params.calculator as { kind?: string } | undefined)?.kind ?? 'labeler'), new Map(), j.progress.total, false);
    }
    if (s.trainJobId !== null && !st().train) {
      const j = await c.job(s.trainJobId);
      followTrain(c, j.id, typeof j.params.iterationId === 'number' ? j.params.iterationId : null, false);
    }
  } catch (e) {
    // A job of another service (the data folder was replaced): forget it, keep the connection.
    if (e instanceof BackendError && e.status === 404) saveSession({ labelJobId: null, trainJobId: null });
    else fail('resume the last jobs', e);
  }
}

/** The .dp model files of a backend ensemble (downloaded), in model order. */
export async function ensembleFiles(id: number): Promise<{ ensemble: Ensemble; files: ModelFile[] }> {
  const c = connected();
  const ensemble = await c.ensemble(id);
  const files = await Promise.all(ensemble.models.map(async (m) => ({ name: `backend-ensemble-${ensemble.id}-seed${m.seed}.${m.format}`, bytes: await c.modelFile(m.id) })));
  return { ensemble, files };
}

/** A backend ensemble as the studio names and keys it (the analyses evaluate it; "use for exploration" loads it). */
export async function backendEnsemble(id: number): Promise<EnsembleInUse> {
  const { ensemble, files } = await ensembleFiles(id);
  return filesEnsemble(backendEnsembleName(ensemble), files, backendEnsembleKey(ensemble.id));
}

/** Download the trained ensemble's .dp models and load them into the worker; the next run uses them. */
export async function useEnsemble(loadEnsemble: (e: EnsembleInUse) => Promise<unknown>): Promise<void> {
  await run('use the new ensemble', async () => {
    const ens = st().train?.ensemble;
    if (!ens) throw new Error('no trained ensemble yet');
    const e = await backendEnsemble(ens.id);
    await loadEnsemble(e);
    st().set({ activeEnsemble: { id: ens.id, name: ens.name, files: e.modelNames }, notice: `ensemble ${ens.id} (${e.modelNames.length} models) loaded for exploration` });
  });
}
