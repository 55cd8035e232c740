/**
 * The studio's state as a share (studio-share.ts) and back: what is on screen, the potential in
 * use and the settings are read from the stores; a link or a session file is applied by showing
 * its structure and setting the stores. Problems and what the receiver must do by hand (a
 * backend ensemble, model files) are kept in `useShare` for the Share panel to show.
 */
import { create } from 'zustand';
import { makeFrame, type Frame } from '../../core/atoms.ts';
import { useStudio } from '../store.ts';
import { useEngine } from '../engine/engine-store.ts';
import { useBackend } from '../backend/backend-store.ts';
import { buildStructure, DEFAULT_STRUCTURE, presetSpec, STRUCTURES } from '../structures.ts';
import { isShareQuery, shareFromQuery, type ParsedShare, type SharedPotential, type SharedSettings, type StudioShare } from './studio-share.ts';

export const useShare = create<{ notice: string | null; error: string | null; set(p: { notice?: string | null; error?: string | null }): void }>((set) => ({
  notice: null, error: null, set: (p) => set(p),
}));

type Show = (frame: Frame, title: string) => void;

const presetCache = new Map<string, Float64Array>();
/** Is `frame` the unchanged preset named `title`? */
function isPreset(frame: Frame, title: string): boolean {
  if (!STRUCTURES.some((s) => s.id === title)) return false;
  let x = presetCache.get(title);
  if (!x) { x = buildStructure(presetSpec(title)).frame.positions; presetCache.set(title, x); }
  return x.length === frame.positions.length && x.every((v, i) => Math.abs(v - frame.positions[i]) < 1e-9);
}

export function currentSettings(): SharedSettings {
  const e = useEngine.getState();
  const s = useStudio.getState();
  return { md: { ...e.mdForm }, engine: e.preference, trustLo: s.trustLo, trustHi: s.trustHi, colourMode: s.colourMode };
}

export function currentPotential(): SharedPotential {
  const a = useBackend.getState().activeEnsemble;
  if (a) return { kind: 'backend', ensembleId: a.id, name: a.name };
  const names = useStudio.getState().models.map((m) => m.name);
  return names.length === 0 || names.every((n) => n.startsWith('cu_eam_demo_')) ? { kind: 'demo' } : { kind: 'files', names };
}

/** The share of the studio now, or null when nothing is on screen. */
export function currentShare(): StudioShare | null {
  const { frame, title } = useStudio.getState();
  if (!frame) return null;
  return {
    structure: { title, ...(isPreset(frame, title) ? { preset: title } : {}), symbols: frame.symbols, positions: frame.positions, cell: frame.cell, pbc: frame.pbc },
    potential: currentPotential(),
    settings: currentSettings(),
  };
}

function potentialNotice(p: SharedPotential): string | null {
  if (p.kind === 'backend') return `the shared state used the backend ensemble ${p.ensembleId} (${p.name}): connect to that backend and use it in the Backend tab`;
  if (p.kind === 'files') return `the shared state used model files ${p.names.join(', ')}: load them again (files do not travel in a link or a session)`;
  return null;
}

/** Show a shared state (a parsed link or a session); returns what was restored. */
export function applyShare(s: ParsedShare | StudioShare, show: Show): string {
  const st = s.structure;
  let frame: Frame, title: string;
  if ('symbols' in st) {
    frame = makeFrame(st.symbols, st.positions, st.cell, st.pbc);
    title = st.title;
  } else {
    if (!STRUCTURES.some((p) => p.id === st.preset)) throw new Error(`unknown structure preset "${st.preset}" (known: ${STRUCTURES.map((p) => p.id).join(', ')})`);
    frame = buildStructure(presetSpec(st.preset)).frame;
    title = st.preset;
  }
  show(frame, title);
  useEngine.getState().set({ mdForm: { ...s.settings.md }, preference: s.settings.engine });
  useStudio.getState().set({ trustLo: s.settings.trustLo, trustHi: s.settings.trustHi, colourMode: s.settings.colourMode });
  useShare.getState().set({ notice: potentialNotice(s.potential) });
  return `${title} (${frame.symbols.length} atoms), ${s.settings.md.ensemble} ${s.settings.md.temperatureK} K, trust ${s.settings.trustLo}/${s.settings.trustHi} eV/Å`;
}

/** The share parameters of a location: the fragment (`#…`, where links put them) or else the query. */
export function shareParams(loc: { search: string; hash: string }): string | null {
  const h = loc.hash.replace(/^#/, '');
  if (isShareQuery(h)) return h;
  return isShareQuery(loc.search) ? loc.search : null;
}

function restore(params: string, show: Show): boolean {
  try {
    const what = applyShare(shareFromQuery(params, currentSettings()), show);
    const n = useShare.getState().notice;
    useShare.getState().set({ error: null, notice: `restored from the link: ${what}${n ? ` · ${n}` : ''}` });
    return true;
  } catch (e) {
    useShare.getState().set({ error: `the link could not be restored: ${e instanceof Error ? e.message : String(e)}` });
    return false;
  }
}

let following = false;

/**
 * At start: the state of the page's link when it carries one (errors named in the Share panel),
 * else the default structure. A link pasted later into the same tab (only the fragment changes)
 * is restored as well.
 */
export function startFromLocation(show: Show): void {
  const params = shareParams(window.location);
  if (!(params !== null && restore(params, show))) show(buildStructure(presetSpec(DEFAULT_STRUCTURE)).frame, DEFAULT_STRUCTURE);
  if (!following) {
    following = true;
    window.addEventListener('hashchange', () => {
      const p = shareParams(window.location);
      if (p !== null) restore(p, show);
    });
  }
}
