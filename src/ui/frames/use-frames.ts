/**
 * The studio's view of the frame store (zustand): every run and its frames (loaded from
 * IndexedDB at start, then kept in step with frame-store.ts's change events), the run on the
 * timeline and the frame on screen, the selection policy of the decent inspector. Every frame
 * is classified with the studio's current trust levels; changing them re-classifies every
 * stored frame (and the selection follows). Storage errors are shown, frames in memory are kept.
 */
import { create } from 'zustand';
import type { RunInfo } from '../../worker/frames.ts';
import { useStudio } from '../store.ts';
import * as store from './frame-store.ts';
import type { FramePatch, FrameStoreEvent, StoredFrame } from './frame-store.ts';
import { DEFAULT_POLICY, selectionFor, type SelectionPolicy } from './selection.ts';
import { classifyMaxDevi, trustLevelError } from './trust.ts';

export interface FramesState {
  /** The store has been read (frames of earlier sessions are in `byRun`). */
  ready: boolean;
  /** The last storage error, named. */
  error: string | null;
  /** Runs, oldest first. */
  runs: RunInfo[];
  /** Frames of each run, in recorded order. */
  byRun: Record<string, StoredFrame[]>;
  /** The run the timeline shows. */
  runId: string | null;
  /** Index (in byRun[runId]) of the frame replayed in the viewer; null = the live/structure view. */
  cursor: number | null;
  policy: SelectionPolicy;
  set(p: Partial<FramesState>): void;
}

const POLICY_KEY = 'nanostudio.decentPolicy';

/** The selection policy kept in this browser (falls back to the default on anything unreadable). */
function savedPolicy(): SelectionPolicy {
  try {
    const p = JSON.parse(globalThis.localStorage?.getItem(POLICY_KEY) ?? 'null') as Partial<SelectionPolicy> | null;
    if (p && Number.isInteger(p.capPerRun) && p.capPerRun! >= 0 && typeof p.thinning === 'boolean') return { capPerRun: p.capPerRun!, thinning: p.thinning };
  } catch { /* unreadable: default */ }
  return DEFAULT_POLICY;
}

export const useFrames = create<FramesState>((set) => ({
  ready: false,
  error: null,
  runs: [],
  byRun: {},
  runId: null,
  cursor: null,
  policy: savedPolicy(),
  set: (p) => set(p),
}));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const fail = (what: string) => (e: unknown) => useFrames.getState().set({ error: `${what}: ${message(e)}` });

/** The trust levels to classify with: the studio's, when they are valid. */
function levels(): { lo: number; hi: number } | null {
  const { trustLo, trustHi } = useStudio.getState();
  return trustLevelError(trustLo, trustHi) ? null : { lo: trustLo, hi: trustHi };
}

/** Class and selection changes that bring one run's frames in line with the trust levels and the policy. */
function reconcile(frames: StoredFrame[], policy: SelectionPolicy): { next: StoredFrame[]; patches: FramePatch[] } {
  const t = levels();
  const classed = frames.map((f) => {
    const c = t ? classifyMaxDevi(f.maxDeviF, t.lo, t.hi) : f.frameClass;
    return c === f.frameClass ? f : { ...f, frameClass: c };
  });
  const sel = selectionFor(classed, policy);
  const patches: FramePatch[] = [];
  const next = classed.map((f, k) => {
    const s = sel.get(f.id) ?? false;
    const g = s === f.selected ? f : { ...f, selected: s };
    if (g !== frames[k]) patches.push({ id: g.id, frameClass: g.frameClass, selected: g.selected });
    return g;
  });
  return { next, patches };
}

/** Re-classify and re-select the given runs (all when omitted), in memory at once and in the store. */
export function refreshRuns(runIds?: string[]): void {
  const st = useFrames.getState();
  const byRun = { ...st.byRun };
  const patches: FramePatch[] = [];
  for (const id of runIds ?? Object.keys(byRun)) {
    const r = reconcile(byRun[id] ?? [], st.policy);
    byRun[id] = r.next;
    patches.push(...r.patches);
  }
  st.set({ byRun });
  syncReplay();
  if (patches.length) store.updateFrames(patches).catch(fail('could not save the frame classes'));
}

function onStoreEvent(e: FrameStoreEvent): void {
  const st = useFrames.getState();
  if (e.kind === 'run') {
    const runs = [...st.runs.filter((r) => r.id !== e.run.id), e.run];
    st.set({ runs, byRun: { [e.run.id]: [], ...st.byRun }, runId: e.run.id, cursor: null });
    useStudio.getState().set({ replay: null });
  } else if (e.kind === 'frames') {
    const byRun = { ...st.byRun };
    for (const f of e.frames) byRun[f.runId] = [...(byRun[f.runId] ?? []), f];
    st.set({ byRun, runId: st.runId ?? e.frames[0].runId });
    refreshRuns([...new Set(e.frames.map((f) => f.runId))]);
  } else if (e.kind === 'updated') {
    const byId = new Map(e.frames.map((f) => [f.id, f]));
    const byRun = { ...st.byRun };
    for (const runId of new Set(e.frames.map((f) => f.runId))) byRun[runId] = (byRun[runId] ?? []).map((f) => byId.get(f.id) ?? f);
    st.set({ byRun });
  } else {
    st.set({ runs: [], byRun: {}, runId: null, cursor: null });
    useStudio.getState().set({ replay: null });
  }
}

/** Keep the viewer's replayed frame the same object as the one in the store (its class may change). */
function syncReplay(): void {
  const { runId, cursor, byRun } = useFrames.getState();
  if (runId === null || cursor === null) return;
  const f = byRun[runId]?.[cursor];
  if (f && useStudio.getState().replay !== f) useStudio.getState().set({ replay: f });
}

let started = false;

/** Load the stored runs and frames and follow the store and the trust levels (once per page). */
export async function initFrames(): Promise<void> {
  if (started) return;
  started = true;
  store.onFrameStoreChange(onStoreEvent);
  useStudio.subscribe((s, prev) => {
    if (s.trustLo !== prev.trustLo || s.trustHi !== prev.trustHi) refreshRuns();
  });
  try {
    const runs = await store.listRuns();
    const byRun: Record<string, StoredFrame[]> = {};
    for (const r of runs) byRun[r.id] = await store.listFrames(r.id);
    const st = useFrames.getState();
    st.set({ runs, byRun: { ...byRun, ...st.byRun }, runId: st.runId ?? runs.at(-1)?.id ?? null, ready: true });
    refreshRuns();
  } catch (e) {
    useFrames.getState().set({ ready: true });
    fail('could not read the stored frames')(e);
  }
}

/** Show frame `index` of run `runId` in the viewer (null: back to the live view). */
export function showFrame(runId: string, index: number | null): void {
  const frames = useFrames.getState().byRun[runId] ?? [];
  if (index !== null) index = Math.max(0, Math.min(frames.length - 1, index));
  const f = index === null ? null : frames[index] ?? null;
  useFrames.getState().set({ runId, cursor: f ? index : null });
  useStudio.getState().set({ replay: f });
}

/** Select or deselect a frame by hand (the automatic cap leaves it alone from then on). */
export function setSelected(id: number, selected: boolean): void {
  const st = useFrames.getState();
  const runId = Object.keys(st.byRun).find((r) => st.byRun[r].some((f) => f.id === id));
  if (!runId) return;
  st.set({ byRun: { ...st.byRun, [runId]: st.byRun[runId].map((f) => (f.id === id ? { ...f, selected, manual: true } : f)) } });
  store.updateFrames([{ id, selected, manual: true }]).then(() => refreshRuns([runId]), fail('could not save the selection'));
}

/** Change the cap per run / thinning; the automatic part of every run's selection follows. */
export function setPolicy(p: Partial<SelectionPolicy>): void {
  const st = useFrames.getState();
  const policy = { ...st.policy, ...p };
  st.set({ policy });
  globalThis.localStorage?.setItem(POLICY_KEY, JSON.stringify(policy));
  refreshRuns();
}

/** Forget every stored run and frame. */
export function forgetAllFrames(): void {
  store.clearFrameStore().catch(fail('could not clear the frame store'));
}
