/**
 * Where a loop keeps its data set, labels, ensembles and iterations: the backend's own SQLite
 * store opened on DIR/nanostudio.sqlite with the backend's job runner (embedded), or a running
 * `nanostudio serve` over HTTP with its bearer token (--server). Both use the same iteration
 * model (src/backend/store/iterations.ts) and the same label jobs (src/backend/jobs), so the
 * studio's dashboard reads either.
 */
import { join } from 'node:path';
import type { Frame, Pbc } from '../core/atoms.ts';
import { Store } from '../backend/store/store.ts';
import { JobRunner } from '../backend/jobs/runner.ts';
import { FINAL_STATES, type Job } from '../backend/store/jobs.ts';
import type { ExplorationEntry, IterationStatus, IterationSummary } from '../backend/store/iterations.ts';
import type { Provenance } from '../backend/store/frames.ts';
import type { LabelerSpec } from '../backend/labelers/spec.ts';
import type { TrainingFrame } from './train.ts';

export interface FrameLabelState { id: number; iterationId: number | null; source: string; label: 'ok' | 'failed' | null }

export interface EnsembleUpload {
  name: string;
  settings: Record<string, unknown>;
  trainingFrames: number[];
  models: Array<{ seed: number; content: Uint8Array; metrics: Record<string, number>; learningCurve: Array<Record<string, number>> }>;
}

export interface LoopStore {
  readonly where: string;
  ensureDataset(name: string, description: string): Promise<number>;
  addFrames(datasetId: number, items: Array<{ frame: Frame; provenance: Provenance }>): Promise<number[]>;
  /** Every frame of the data set with its iteration, source and label state (newest label wins, ok over failed). */
  frameStates(datasetId: number): Promise<FrameLabelState[]>;
  /** Frames with a successful label (newest), in frame order. */
  labeledFrames(datasetId: number): Promise<TrainingFrame[]>;
  /** Every frame of the data set (Å), labeled or not (e.g. posted but not yet labeled when a run was killed), in frame order. */
  storedFrames(datasetId: number): Promise<Frame[]>;
  /** Wait until no label job of the data set is queued or running (a resumed job finishes first). */
  waitForLabelJobs(datasetId: number, log: (m: string) => void): Promise<void>;
  /** Label frames in a label job; resolves when it finishes. */
  label(datasetId: number, frameIds: number[], calculator: LabelerSpec, log: (m: string) => void): Promise<void>;
  iterations(datasetId: number): Promise<IterationSummary[]>;
  openIteration(datasetId: number, status: IterationStatus, note: string): Promise<IterationSummary>;
  patchIteration(id: number, patch: { status?: IterationStatus; note?: string; stageSeconds?: Record<string, number> }): Promise<IterationSummary>;
  postExploration(id: number, entry: ExplorationEntry): Promise<void>;
  attachEnsemble(iterationId: number, e: EnsembleUpload): Promise<number>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const POLL_MS = 300;

function labelStates(frames: Array<{ id: number; iterationId: number | null; source: string }>, labels: Map<number, Array<'ok' | 'failed'>>): FrameLabelState[] {
  return frames.map((f) => {
    const ls = labels.get(f.id) ?? [];
    return { ...f, label: ls.includes('ok') ? 'ok' : ls.length ? 'failed' : null };
  });
}

/** The backend store on a file under the loop's folder, with the backend's job runner. */
export class EmbeddedStore implements LoopStore {
  readonly where: string;
  private constructor(readonly store: Store, private readonly runner: JobRunner) {
    this.where = `embedded store ${store.path}`;
  }

  static open(dir: string): EmbeddedStore {
    const store = Store.open(join(dir, 'nanostudio.sqlite'));
    const runner = new JobRunner(store, { concurrency: 1, dataDir: dir });
    runner.start();
    return new EmbeddedStore(store, runner);
  }

  async ensureDataset(name: string, description: string): Promise<number> {
    return (this.store.datasets.byName(name) ?? this.store.datasets.create(name, description)).id;
  }

  async addFrames(datasetId: number, items: Array<{ frame: Frame; provenance: Provenance }>): Promise<number[]> {
    return this.store.frames.addMany(datasetId, items);
  }

  async frameStates(datasetId: number): Promise<FrameLabelState[]> {
    const labels = new Map<number, Array<'ok' | 'failed'>>();
    for (const l of this.store.labels.forDataset(datasetId)) labels.set(l.frameId, [...(labels.get(l.frameId) ?? []), l.status]);
    const frames = this.store.frames.list(datasetId).map((f) => ({ id: f.id, iterationId: f.provenance.iterationId ?? null, source: f.provenance.source ?? '' }));
    return labelStates(frames, labels);
  }

  async labeledFrames(datasetId: number): Promise<TrainingFrame[]> {
    const ok = this.store.labels.latestOk(datasetId);
    return this.store.frames.list(datasetId).flatMap((f) => {
      const l = ok.get(f.id);
      return l && l.energy !== null && l.forces ? [{ id: f.id, frame: f.frame, energy: l.energy, forces: l.forces }] : [];
    });
  }

  async storedFrames(datasetId: number): Promise<Frame[]> {
    return this.store.frames.list(datasetId).map((f) => f.frame);
  }

  private active(datasetId: number): Job[] {
    return this.store.jobs.list({ datasetId }).filter((j) => j.kind === 'label' && !FINAL_STATES.includes(j.state));
  }

  async waitForLabelJobs(datasetId: number, log: (m: string) => void): Promise<void> {
    let said = false;
    for (let a = this.active(datasetId); a.length; a = this.active(datasetId)) {
      if (!said) log(`  waiting for label job(s) ${a.map((j) => j.id).join(', ')} left by the previous run (resumed with their unlabeled frames)`);
      said = true;
      await sleep(POLL_MS);
    }
  }

  async label(datasetId: number, frameIds: number[], calculator: LabelerSpec, log: (m: string) => void): Promise<void> {
    const job = this.store.jobs.create('label', datasetId, { calculator }, frameIds);
    this.store.jobs.log(job.id, 'info', `queued label job (${frameIds.length} frames) by nanostudio loop`);
    this.runner.poke();
    await this.waitJob(job.id, log);
  }

  private async waitJob(id: number, log: (m: string) => void): Promise<void> {
    for (;;) {
      const j = this.store.jobs.get(id)!;
      if (FINAL_STATES.includes(j.state)) {
        if (j.state !== 'succeeded') throw new Error(`label job ${id} ${j.state}${j.error ? `: ${j.error}` : ''}`);
        log(`  label job ${id}: ${j.progress.done}/${j.progress.total} frames`);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  async iterations(datasetId: number): Promise<IterationSummary[]> {
    return this.store.iterations.summaries(datasetId);
  }

  async openIteration(datasetId: number, status: IterationStatus, note: string): Promise<IterationSummary> {
    return this.store.iterations.summary(this.store.iterations.create(datasetId, note, status).id)!;
  }

  async patchIteration(id: number, patch: { status?: IterationStatus; note?: string; stageSeconds?: Record<string, number> }): Promise<IterationSummary> {
    this.store.iterations.update(id, patch);
    return this.store.iterations.summary(id)!;
  }

  async postExploration(id: number, entry: ExplorationEntry): Promise<void> {
    this.store.iterations.addExploration(id, entry);
  }

  async attachEnsemble(iterationId: number, e: EnsembleUpload): Promise<number> {
    const it = this.store.iterations.get(iterationId)!;
    return this.store.db.transaction(() => {
      const id = this.store.models.createEnsemble({ name: e.name, datasetId: it.datasetId, iterationId, settings: e.settings, trainingFrames: e.trainingFrames });
      for (const m of e.models) this.store.models.addModel(id, { seed: m.seed, format: 'dp', content: m.content, metrics: m.metrics, learningCurve: m.learningCurve });
      return id;
    })();
  }

  async close(): Promise<void> {
    await this.runner.stop();
    this.store.close();
  }
}

interface ApiFrame { id: number; symbols: string[]; positions: number[][]; cell: number[][] | null; pbc: Pbc; provenance: Provenance;
  labels?: Array<{ status: 'ok' | 'failed'; energy: number | null; forces: number[][] | null }> }

const apiFrame = (f: ApiFrame): Frame => ({ symbols: f.symbols, positions: Float64Array.from(f.positions.flat()), cell: f.cell ? Float64Array.from(f.cell.flat()) : null, pbc: f.pbc });

/** A `nanostudio serve` backend over HTTP (bearer token on every mutation). */
export class HttpStore implements LoopStore {
  readonly where: string;
  private readonly base: string;
  constructor(url: string, private readonly token: string) {
    this.base = url.replace(/\/+$/, '');
    this.where = `backend ${this.base}`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { authorization: `Bearer ${this.token}` } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new Error(`${method} ${this.base}${path}: cannot reach the backend: ${(e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async ensureDataset(name: string, description: string): Promise<number> {
    const { datasets } = await this.call<{ datasets: Array<{ id: number; name: string }> }>('GET', '/datasets');
    const found = datasets.find((d) => d.name === name);
    if (found) return found.id;
    return (await this.call<{ id: number }>('POST', '/datasets', { name, description })).id;
  }

  async addFrames(datasetId: number, items: Array<{ frame: Frame; provenance: Provenance }>): Promise<number[]> {
    const frames = items.map(({ frame, provenance }) => ({
      symbols: frame.symbols, positions: Array.from(frame.positions), cell: frame.cell ? Array.from(frame.cell) : null, pbc: frame.pbc,
      ...(frame.info ? { info: frame.info } : {}), provenance: Object.fromEntries(Object.entries(provenance).filter(([, v]) => v !== undefined && v !== null && v !== Infinity)),
    }));
    return (await this.call<{ ids: number[] }>('POST', `/datasets/${datasetId}/frames`, { frames })).ids;
  }

  private async allFrames(datasetId: number, labels: boolean): Promise<ApiFrame[]> {
    const out: ApiFrame[] = [];
    for (let after = 0; ;) {
      const page = await this.call<{ frames: ApiFrame[]; next: number | null }>('GET', `/datasets/${datasetId}/frames?after=${after}&limit=1000&labels=${labels}`);
      out.push(...page.frames);
      if (page.next === null) return out;
      after = page.next;
    }
  }

  async frameStates(datasetId: number): Promise<FrameLabelState[]> {
    const frames = await this.allFrames(datasetId, true);
    const labels = new Map(frames.map((f) => [f.id, (f.labels ?? []).map((l) => l.status)]));
    return labelStates(frames.map((f) => ({ id: f.id, iterationId: f.provenance.iterationId ?? null, source: f.provenance.source ?? '' })), labels);
  }

  async labeledFrames(datasetId: number): Promise<TrainingFrame[]> {
    return (await this.allFrames(datasetId, true)).flatMap((f) => {
      const l = [...(f.labels ?? [])].reverse().find((x) => x.status === 'ok' && x.energy !== null && x.forces);
      if (!l) return [];
      return [{ id: f.id, frame: apiFrame(f), energy: l.energy!, forces: Float64Array.from(l.forces!.flat()) }];
    });
  }

  async storedFrames(datasetId: number): Promise<Frame[]> {
    return (await this.allFrames(datasetId, false)).map(apiFrame);
  }

  private async active(datasetId: number): Promise<Job[]> {
    const { jobs } = await this.call<{ jobs: Job[] }>('GET', `/jobs?datasetId=${datasetId}`);
    return jobs.filter((j) => j.kind === 'label' && !FINAL_STATES.includes(j.state));
  }

  async waitForLabelJobs(datasetId: number, log: (m: string) => void): Promise<void> {
    let said = false;
    for (let a = await this.active(datasetId); a.length; a = await this.active(datasetId)) {
      if (!said) log(`  waiting for label job(s) ${a.map((j) => j.id).join(', ')} on the backend`);
      said = true;
      await sleep(POLL_MS);
    }
  }

  async label(datasetId: number, frameIds: number[], calculator: LabelerSpec, log: (m: string) => void): Promise<void> {
    const job = await this.call<Job>('POST', '/jobs', { kind: 'label', datasetId, calculator, frameIds });
    for (;;) {
      const j = await this.call<Job>('GET', `/jobs/${job.id}`);
      if (FINAL_STATES.includes(j.state)) {
        if (j.state !== 'succeeded') throw new Error(`label job ${j.id} ${j.state}${j.error ? `: ${j.error}` : ''}`);
        log(`  label job ${j.id}: ${j.progress.done}/${j.progress.total} frames`);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  async iterations(datasetId: number): Promise<IterationSummary[]> {
    return (await this.call<{ iterations: IterationSummary[] }>('GET', `/datasets/${datasetId}/iterations`)).iterations;
  }

  async openIteration(datasetId: number, status: IterationStatus, note: string): Promise<IterationSummary> {
    return this.call('POST', `/datasets/${datasetId}/iterations`, { status, note });
  }

  async patchIteration(id: number, patch: { status?: IterationStatus; note?: string; stageSeconds?: Record<string, number> }): Promise<IterationSummary> {
    return this.call('PATCH', `/iterations/${id}`, patch);
  }

  async postExploration(id: number, entry: ExplorationEntry): Promise<void> {
    await this.call('POST', `/iterations/${id}/exploration`, entry);
  }

  async attachEnsemble(iterationId: number, e: EnsembleUpload): Promise<number> {
    const body = { ...e, models: e.models.map((m) => ({ ...m, format: 'dp', content: Buffer.from(m.content).toString('base64'),
      metrics: Object.fromEntries(Object.entries(m.metrics).filter(([, v]) => Number.isFinite(v))) })) };
    return (await this.call<{ ensembleId: number }>('POST', `/iterations/${iterationId}/ensemble`, body)).ensembleId;
  }

  async close(): Promise<void> {}
}
