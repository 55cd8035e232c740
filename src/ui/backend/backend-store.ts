/**
 * UI state of the backend side (zustand): the connection (URL and token, kept in localStorage),
 * the data set, the iterations, the label and train jobs followed live, and the ensemble in use.
 */
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Dataset, Ensemble, IterationSummary, JobState } from './client.ts';

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';
const CONNECTION_KEY = 'nanostudio.backend';
const SESSION_KEY = 'nanostudio.backend.session';

export type ConnectionStatus =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; version: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'unauthorized'; message: string };

/** A frame the labeler could not label, with where it came from. */
export interface FailedFrame { frameId: number; reason: string; origin: string }

export interface LabelJobView {
  jobId: number; state: JobState; done: number; total: number; ok: number;
  failed: FailedFrame[]; error: string | null; calculator: string;
}

/** One learning-curve row: step, energy RMSE train/validation eV/atom, loss. */
export interface CurvePoint { step: number; rmseETrain: number; rmseEVal: number | null; loss: number }

export interface TrainJobView {
  jobId: number; state: JobState; done: number; total: number; error: string | null;
  /** Learning curve per model index. */
  curves: CurvePoint[][];
  ensemble: Ensemble | null;
}

export type LabelerKind = 'eam' | 'cp2k';
export type NetworkPreset = 'demo' | 'paper';

export interface BackendState {
  url: string;
  token: string;
  status: ConnectionStatus;
  datasets: Dataset[];
  datasetId: number | null;
  iterations: IterationSummary[];
  labeler: LabelerKind;
  label: LabelJobView | null;
  train: TrainJobView | null;
  trainSteps: number;
  network: NetworkPreset;
  /** The backend ensemble loaded into the worker for exploration. */
  activeEnsemble: { id: number; name: string; files: string[] } | null;
  /** Last action's result / error, shown in the panel. */
  notice: string | null;
  error: string | null;
  busy: string | null;
  set(p: Partial<BackendState>): void;
}

interface SavedConnection { url: string; token: string }
/** What survives a reload besides the connection: the data set, the jobs followed, runs already posted. */
export interface SavedSession { datasetId: number | null; labelJobId: number | null; trainJobId: number | null; postedRuns: string[] }

function readJson<T>(key: string): Partial<T> {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Partial<T>) : {};
  } catch {
    return {};
  }
}

export function savedConnection(): SavedConnection | null {
  const c = readJson<SavedConnection>(CONNECTION_KEY);
  return typeof c.url === 'string' && typeof c.token === 'string' ? { url: c.url, token: c.token } : null;
}

export function saveConnection(c: SavedConnection): void {
  localStorage.setItem(CONNECTION_KEY, JSON.stringify(c));
}

export function savedSession(): SavedSession {
  const s = readJson<SavedSession>(SESSION_KEY);
  return {
    datasetId: typeof s.datasetId === 'number' ? s.datasetId : null,
    labelJobId: typeof s.labelJobId === 'number' ? s.labelJobId : null,
    trainJobId: typeof s.trainJobId === 'number' ? s.trainJobId : null,
    postedRuns: Array.isArray(s.postedRuns) ? s.postedRuns.filter((r): r is string => typeof r === 'string') : [],
  };
}

export function saveSession(p: Partial<SavedSession>): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ ...savedSession(), ...p }));
}

const conn = savedConnection();

export const useBackend = create<BackendState>((set) => ({
  url: conn?.url ?? DEFAULT_BACKEND_URL,
  token: conn?.token ?? '',
  status: { kind: 'idle' },
  datasets: [],
  datasetId: null,
  iterations: [],
  labeler: 'eam',
  label: null,
  train: null,
  trainSteps: 200,
  network: 'demo',
  activeEnsemble: null,
  notice: null,
  error: null,
  busy: null,
  set: (p) => set(p),
}));

/**
 * Subscribe a component to these fields of the backend store only: it re-renders when one of
 * them changes, not on every change of the store (a job's progress, another section's input).
 */
export function useBackendFields<K extends keyof BackendState>(...keys: K[]): Pick<BackendState, K> {
  return useBackend(useShallow((s) => {
    const out = {} as Pick<BackendState, K>;
    for (const k of keys) out[k] = s[k];
    return out;
  }));
}

/** Id of the backend ensemble the worker explores with (null: the bundled or a user's files); runs record it. */
export function activeEnsembleId(): number | null {
  return useBackend.getState().activeEnsemble?.id ?? null;
}
