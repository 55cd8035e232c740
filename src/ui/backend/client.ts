/**
 * HTTP client of the nanostudio backend service (src/backend, `nanostudio serve`) for the studio.
 * Every failure becomes a `BackendError` that names what went wrong: the service unreachable
 * (network / CORS), a wrong or missing token (401), or the service's own message and field issues.
 * Units as the API: positions Å, energies eV, forces eV/Å, RMSE energy eV/atom.
 */

export type BackendErrorKind = 'unreachable' | 'unauthorized' | 'http';

export class BackendError extends Error {
  constructor(readonly kind: BackendErrorKind, message: string, readonly status = 0) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface Health { ok: boolean; version: string; schemaVersion: number; jobsRunner: boolean }
export interface Dataset { id: number; name: string; description: string; createdAt: string; frameCount: number; labeledCount: number }
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export interface Job {
  id: number; kind: 'label' | 'train'; state: JobState; datasetId: number | null; params: Record<string, unknown>;
  progress: { done: number; total: number }; error: string | null; createdAt: string;
}
export interface JobLabel { id: number; frameId: number; calculator: string; status: 'ok' | 'failed'; reason: string | null; energy: number | null }
export interface ModelInfo { id: number; seed: number; format: string; metrics: Record<string, number>; learningCurve: Array<Record<string, number>> }
export interface Ensemble { id: number; name: string; datasetId: number | null; iterationId: number | null; jobId: number | null; createdAt: string; models: ModelInfo[] }

/** One exploration result of an iteration (contract 2): frame counts per class at trust levels lo/hi, eV/Å. */
export interface ExplorationEntry {
  system: string; kind: 'cluster' | 'bulk' | 'surface' | 'studio'; frames: number;
  accurate: number; candidate: number; failed: number; trustLo: number; trustHi: number;
}
export type IterationStatus = 'exploring' | 'labeling' | 'training' | 'done';
export interface RmsePair { energyPerAtom: number; force: number }
export interface IterationSummary {
  id: number; datasetId: number; number: number; note: string; createdAt: string; status: IterationStatus;
  exploration: ExplorationEntry[]; framesSelected: number; framesLabeled: number; framesFailed: number;
  datasetSize: number; ensembleId: number | null;
  rmse: { train: RmsePair | null; validation: RmsePair | null };
  stageSeconds: Record<string, number>;
}

/** A frame as the API takes it: positions flat 3N Å, cell 9 numbers Å or null. */
export interface FrameInput {
  symbols: string[];
  positions: number[];
  cell?: number[] | null;
  pbc?: [boolean, boolean, boolean];
  info?: Record<string, string | number | boolean>;
  provenance?: {
    source?: string; exploration?: string | null; ensembleId?: number | null; iterationId?: number | null;
    maxDeviF?: number | null; exploredAt?: string | null;
  };
}

export type LabelerChoice = { kind: 'eam' } | { kind: 'cp2k' };

/** Built-in trainer settings the studio sends (the rest take the service's defaults). */
export interface TrainJobSettings {
  models: number; steps: number; seed?: number; rcut?: number; rcutSmth?: number; embedding?: number[]; fitting?: number[];
  axisNeuron?: number; startLr?: number; stopLr?: number; decaySteps?: number; startPrefE?: number; limitPrefE?: number;
  startPrefF?: number; limitPrefF?: number; validationFraction?: number;
}

/** An event of a job's SSE stream. */
export type JobEvent =
  | { type: 'state'; jobId: number; state: JobState; error?: string | null }
  | { type: 'progress'; jobId: number; done: number; total: number; frameId?: number; status?: 'ok' | 'failed'; reason?: string; detail?: Record<string, number> }
  | { type: 'log'; jobId: number; level: string; message: string; at: string };

/** Normalise a service URL typed by the user ("127.0.0.1:8787/" → "http://127.0.0.1:8787"). */
export function normaliseUrl(raw: string): string {
  let u = raw.trim();
  if (!u) throw new BackendError('unreachable', 'no backend URL given');
  if (!/^https?:\/\//i.test(u)) u = `http://${u}`;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new BackendError('unreachable', `'${raw}' is not a URL (expected e.g. http://127.0.0.1:8787)`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * The token as typed or pasted: surrounding space trimmed, and the whole line `nanostudio serve`
 * prints at start ("token (new, stored in PATH): HEX" or "token: HEX") reduced to the token.
 */
export function tokenFromPaste(raw: string): string {
  const t = raw.trim();
  const m = /^token(?: \([^)]*\))?:\s*(\S+)$/.exec(t);
  return m ? m[1] : t;
}

/** The service's error text: `error` plus its field issues. */
function errorText(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const b = body as { error: unknown; issues?: Array<{ field: string; message: string }> };
    const issues = Array.isArray(b.issues) ? b.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : '';
    return issues ? `${String(b.error)} (${issues})` : String(b.error);
  }
  return `HTTP ${status}`;
}

export class BackendClient {
  readonly url: string;

  constructor(url: string, private readonly token: string) {
    this.url = normaliseUrl(url);
  }

  private async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') headers.authorization = `Bearer ${this.token.trim()}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new BackendError('unreachable', `backend unreachable at ${this.url} (${e instanceof Error ? e.message : String(e)}; is \`nanostudio serve\` running and does its --cors-origin list include ${location.origin}?)`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* plain text */ }
    if (res.status === 401) {
      throw new BackendError('unauthorized', `wrong token (401): ${errorText(parsed, 401)} — use the token \`nanostudio serve\` printed at start`, 401);
    }
    throw new BackendError('http', `${method} ${path}: ${errorText(parsed, res.status)} (HTTP ${res.status})`, res.status);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.raw(method, path, body)).json() as Promise<T>;
  }

  health(): Promise<Health> { return this.json('GET', '/healthz'); }

  /**
   * Check the token without changing anything: a PATCH of the non-existent data set 0 is refused
   * with 401 for a wrong token and with a validation error (400/404) for the right one.
   */
  async checkToken(): Promise<void> {
    try {
      await this.raw('PATCH', '/datasets/0', {});
    } catch (e) {
      if (e instanceof BackendError && e.kind === 'http' && (e.status === 400 || e.status === 404)) return;
      throw e;
    }
  }

  async datasets(): Promise<Dataset[]> { return (await this.json<{ datasets: Dataset[] }>('GET', '/datasets')).datasets; }
  createDataset(name: string, description = ''): Promise<Dataset> { return this.json('POST', '/datasets', { name, description }); }
  dataset(id: number): Promise<Dataset> { return this.json('GET', `/datasets/${id}`); }

  async addFrames(datasetId: number, frames: FrameInput[]): Promise<number[]> {
    return (await this.json<{ ids: number[] }>('POST', `/datasets/${datasetId}/frames`, { frames })).ids;
  }

  labelJob(datasetId: number, frameIds: number[], calculator: LabelerChoice): Promise<Job> {
    return this.json('POST', '/jobs', { kind: 'label', datasetId, frameIds, calculator });
  }

  trainJob(datasetId: number, settings: TrainJobSettings, iterationId?: number, name?: string): Promise<Job> {
    return this.json('POST', '/jobs', { kind: 'train', datasetId, settings, ...(iterationId ? { iterationId } : {}), ...(name ? { name } : {}) });
  }

  job(id: number): Promise<Job> { return this.json('GET', `/jobs/${id}`); }
  async jobLabels(id: number): Promise<JobLabel[]> { return (await this.json<{ labels: JobLabel[] }>('GET', `/jobs/${id}/labels`)).labels; }
  async ensembles(): Promise<Ensemble[]> { return (await this.json<{ ensembles: Ensemble[] }>('GET', '/ensembles')).ensembles; }
  ensemble(id: number): Promise<Ensemble> { return this.json('GET', `/ensembles/${id}`); }

  /** The bytes of one model file (DeePMD-kit v3 .dp). */
  async modelFile(id: number): Promise<Uint8Array> {
    return new Uint8Array(await (await this.raw('GET', `/models/${id}/file`)).arrayBuffer());
  }

  async iterations(datasetId: number): Promise<IterationSummary[]> {
    return (await this.json<{ iterations: IterationSummary[] }>('GET', `/datasets/${datasetId}/iterations`)).iterations;
  }
  openIteration(datasetId: number, note = ''): Promise<IterationSummary> { return this.json('POST', `/datasets/${datasetId}/iterations`, { note }); }
  postExploration(iterationId: number, e: ExplorationEntry): Promise<IterationSummary> { return this.json('POST', `/iterations/${iterationId}/exploration`, e); }
  patchIteration(iterationId: number, p: { status?: IterationStatus; note?: string; stageSeconds?: Record<string, number> }): Promise<IterationSummary> {
    return this.json('PATCH', `/iterations/${iterationId}`, p);
  }

  /**
   * Follow a job's Server-Sent Events until it reaches a final state (the service then closes the
   * stream). Returns a function that stops listening. `onLost` is called if the stream breaks
   * before the job finished (the job keeps running on the service).
   */
  followJob(jobId: number, onEvent: (e: JobEvent) => void, onLost: (message: string) => void): () => void {
    const es = new EventSource(`${this.url}/jobs/${jobId}/events`);
    let finished = false;
    const handle = (m: MessageEvent<string>): void => {
      const e = JSON.parse(m.data) as JobEvent;
      if (e.type === 'state' && (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled')) {
        finished = true;
        es.close();
      }
      onEvent(e);
    };
    for (const t of ['state', 'progress', 'log']) es.addEventListener(t, handle as EventListener);
    es.onerror = () => {
      if (finished) return;
      es.close();
      onLost(`lost the event stream of job ${jobId} at ${this.url} (the job goes on in the service)`);
    };
    return () => { finished = true; es.close(); };
  }
}
