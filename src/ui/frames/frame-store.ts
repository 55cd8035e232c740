/**
 * The studio's frame store (contract 1): every run and every saved frame of every run, kept in
 * the browser's IndexedDB (through `idb`) so a reload loses nothing. The simulation side writes
 * (recordRun, recordFrames), the decent inspector updates classes and the selection
 * (updateFrames), the backend side reads the selection and marks frames as sent.
 * Listeners (onFrameStoreChange) see every change; the zustand hook in use-frames.ts is one.
 * Units as in SavedFrame: Å, eV, eV/Å, fs, K.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FrameClass, RunInfo, SavedFrame } from '../../worker/frames.ts';
import { isSendable } from './selection.ts';

/** A frame as the store keeps it. */
export type StoredFrame = SavedFrame & {
  /** The store's key (auto-increment, in the order frames were recorded). */
  id: number;
  /** Selected for labeling (only decent frames are sent; a hand choice is kept while a trust-level change makes the frame good or poor). */
  selected: boolean;
  /** The user chose `selected` by hand: the automatic cap/thinning leaves this frame alone. */
  manual?: boolean;
  /** Backend data set the frame was sent to. */
  sentDatasetId?: number;
  /** Backend label job that labels it. */
  labeledJobId?: number;
};

/** What may change on a stored frame after it is recorded. */
export type FramePatch = Pick<StoredFrame, 'id'> & Partial<Pick<StoredFrame, 'selected' | 'manual' | 'frameClass'>>;

export type FrameStoreEvent =
  | { kind: 'run'; run: RunInfo }
  | { kind: 'frames'; frames: StoredFrame[] }
  | { kind: 'updated'; frames: StoredFrame[] }
  | { kind: 'cleared' };

type NewFrame = Omit<StoredFrame, 'id'>;

interface FramesDb extends DBSchema {
  runs: { key: string; value: RunInfo };
  frames: { key: number; value: StoredFrame; indexes: { runId: string } };
}

const DB_NAME = 'nanostudio-frames';
const DB_VERSION = 1;
let db: Promise<IDBPDatabase<FramesDb>> | undefined;
const listeners = new Set<(e: FrameStoreEvent) => void>();

function open(): Promise<IDBPDatabase<FramesDb>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB: frames cannot be kept'));
  db ??= openDB<FramesDb>(DB_NAME, DB_VERSION, {
    upgrade(d) {
      d.createObjectStore('runs', { keyPath: 'id' });
      d.createObjectStore('frames', { keyPath: 'id', autoIncrement: true }).createIndex('runId', 'runId');
    },
  });
  return db;
}

function emit(e: FrameStoreEvent): void {
  for (const l of listeners) l(e);
}

/** Be told of every change to the store; returns the unsubscribe function. */
export function onFrameStoreChange(listener: (e: FrameStoreEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Check a frame before it is stored; throws an error naming the problem. */
export function validateSavedFrame(f: SavedFrame): void {
  const n = f.symbols.length;
  const where = `frame (run ${f.runId}, step ${f.step})`;
  if (!f.runId) throw new Error(`${where}: no runId`);
  if (n === 0) throw new Error(`${where}: no atoms`);
  if (f.positions.length !== 3 * n) throw new Error(`${where}: ${f.positions.length} position values for ${n} atoms (expected ${3 * n})`);
  if (f.atomicDeviF.length !== n) throw new Error(`${where}: ${f.atomicDeviF.length} per-atom deviations for ${n} atoms`);
  if (f.cell && f.cell.length !== 9) throw new Error(`${where}: cell has ${f.cell.length} values (expected 9)`);
  if (!Number.isFinite(f.maxDeviF)) throw new Error(`${where}: max force deviation is ${f.maxDeviF}`);
}

/** Store a run (replaces a run with the same id). */
export async function recordRun(run: RunInfo): Promise<void> {
  const d = await open();
  await d.put('runs', run);
  emit({ kind: 'run', run });
}

/** Append frames (in the given order) as unselected; every frame is validated first, so a bad batch stores nothing. */
export async function recordFrames(frames: SavedFrame[]): Promise<void> {
  if (!frames.length) return;
  frames.forEach(validateSavedFrame);
  const d = await open();
  const tx = d.transaction('frames', 'readwrite');
  const stored: StoredFrame[] = [];
  for (const f of frames) {
    const rec: NewFrame = { ...f, selected: false };
    // The key is assigned by the store (autoIncrement); `add` accepts a record without it.
    const id = await tx.store.add(rec as StoredFrame);
    stored.push({ ...rec, id });
  }
  await tx.done;
  emit({ kind: 'frames', frames: stored });
}

/** Every run, oldest first. */
export async function listRuns(): Promise<RunInfo[]> {
  const runs = await (await open()).getAll('runs');
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** The frames of a run in the order they were recorded. */
export async function listFrames(runId: string): Promise<StoredFrame[]> {
  const frames = await (await open()).getAllFromIndex('frames', 'runId', runId);
  return frames.sort((a, b) => a.id - b.id);
}

/** The decent frames the user selected for labeling that have not been sent to a data set yet. */
export async function selectedFrames(): Promise<StoredFrame[]> {
  const out: StoredFrame[] = [];
  let cursor = await (await open()).transaction('frames').store.openCursor();
  while (cursor) {
    const f = cursor.value;
    if (isSendable(f)) out.push(f);
    cursor = await cursor.continue();
  }
  return out;
}

async function patchFrames(ids: number[], patch: (f: StoredFrame) => StoredFrame): Promise<StoredFrame[]> {
  const d = await open();
  const tx = d.transaction('frames', 'readwrite');
  const out: StoredFrame[] = [];
  for (const id of ids) {
    const f = await tx.store.get(id);
    if (!f) throw new Error(`frame ${id} is not in the frame store`);
    const next = patch(f);
    await tx.store.put(next);
    out.push(next);
  }
  await tx.done;
  if (out.length) emit({ kind: 'updated', frames: out });
  return out;
}

/** Record that frames were sent to data set `datasetId` (and to label job `jobId`, once known). */
export async function markSent(ids: number[], info: { datasetId: number; jobId?: number }): Promise<void> {
  await patchFrames(ids, (f) => ({ ...f, sentDatasetId: info.datasetId, ...(info.jobId !== undefined ? { labeledJobId: info.jobId } : {}) }));
}

/** Change the class, selection or manual flag of stored frames. */
export async function updateFrames(patches: FramePatch[]): Promise<StoredFrame[]> {
  const byId = new Map(patches.map((p) => [p.id, p]));
  return patchFrames([...byId.keys()], (f) => ({ ...f, ...byId.get(f.id) }));
}

/** Forget every run and frame. */
export async function clearFrameStore(): Promise<void> {
  const d = await open();
  const tx = d.transaction(['runs', 'frames'], 'readwrite');
  await Promise.all([tx.objectStore('runs').clear(), tx.objectStore('frames').clear(), tx.done]);
  emit({ kind: 'cleared' });
}

/** Classes used by the store, re-exported for convenience. */
export type { FrameClass, RunInfo, SavedFrame };
