/**
 * The structure panel: a menu of named structures, a builder for every kind core/build makes
 * (element, size, facet, lattice constants), import of extended XYZ (file picker; the viewer
 * takes dropped files too) and export of what is on screen or of the run on the timeline.
 * Errors name the problem (the builder's parameter, the reader's line); frames already stored
 * are never touched by loading a structure.
 */
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useStudio } from '../store.ts';
import { buildStructure, DEFAULT_SPEC, FACETS, presetSpec, STRUCTURE_KINDS, STRUCTURES, type Facet, type StructureKind, type StructureSpec } from '../structures.ts';
import { framesToExtxyz, importStructureText, structureToExtxyz } from '../frames/structure-io.ts';
import { useFrames } from '../frames/use-frames.ts';
import { download, fileStem } from '../plots/export.ts';

export interface StructureActions {
  /** Put a structure on screen (stops a running simulation). */
  show(frame: StructureInputFrame, title: string): void;
}
type StructureInputFrame = Parameters<ReturnType<typeof useStudio.getState>['setFrame']>[0];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Read dropped or picked files: the first extended XYZ file becomes the structure; errors go to the panel. */
export async function importFiles(files: File[], show: StructureActions['show']): Promise<void> {
  const set = useStudio.getState().set;
  const f = files[0];
  if (!f) return;
  try {
    const { frame, frames } = importStructureText(f.name, await f.text());
    show(frame, `${f.name}: ${frame.symbols.length} atoms${frames > 1 ? ` (frame 1 of ${frames})` : ''}`);
    set({ structureError: null });
  } catch (e) {
    set({ structureError: message(e) });
  }
}

const EXTXYZ = 'chemical/x-extxyz';

function Num({ label, value, onChange, step = 1, testId }: { label: ReactNode; value: number; onChange: (v: number) => void; step?: number; testId?: string }) {
  return (
    <label>
      {label}
      <input type="number" data-testid={testId} step={step} value={Number.isFinite(value) ? value : ''} placeholder="default"
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
    </label>
  );
}

export function StructurePanel({ actions }: { actions: StructureActions }) {
  const st = useStudio();
  const [spec, setSpec] = useState<StructureSpec>(DEFAULT_SPEC);
  const up = (p: Partial<StructureSpec>) => setSpec({ ...spec, ...p });
  const rep = (k: number, v: number) => up({ repeat: spec.repeat.map((x, j) => (j === k ? v : x)) as [number, number, number] });
  const preset = STRUCTURES.some((s) => s.id === st.title) ? st.title : '';
  const build = () => {
    try {
      const { frame, title } = buildStructure(spec);
      actions.show(frame, title);
      st.set({ structureError: null });
    } catch (e) {
      st.set({ structureError: `cannot build the ${spec.kind}: ${message(e)}` });
    }
  };
  const choose = (id: string) => {
    const s = presetSpec(id);
    setSpec(s);
    try {
      actions.show(buildStructure(s).frame, id);
      st.set({ structureError: null });
    } catch (e) {
      st.set({ structureError: message(e) });
    }
  };
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    void importFiles([...(e.target.files ?? [])], actions.show);
    e.target.value = '';
  };
  const exportScreen = () => {
    const { replay, frame, title } = useStudio.getState();
    if (replay) download(`${fileStem(replay.runId, 'run')}-step${replay.step}.extxyz`, framesToExtxyz([replay]), EXTXYZ);
    else if (frame) download(`${fileStem(title, 'structure')}.extxyz`, structureToExtxyz(frame, title), EXTXYZ);
  };
  const exportRun = () => {
    const { runId, byRun } = useFrames.getState();
    if (runId && byRun[runId]?.length) download(`${fileStem(runId, 'run')}.extxyz`, framesToExtxyz(byRun[runId]), EXTXYZ);
  };
  const timelineFrames = useFrames((s) => (s.runId ? s.byRun[s.runId]?.length ?? 0 : 0));
  const periodic = spec.kind === 'bulk' || spec.kind === 'slab';
  return (
    <section className="structure-panel">
      <h3>Structure</h3>
      <select data-testid="structure" value={preset} onChange={(e) => e.target.value && choose(e.target.value)}>
        {!preset && <option value="">{st.title || '—'}</option>}
        {STRUCTURES.map((s) => <option key={s.id} value={s.id}>{s.id}</option>)}
      </select>
      <details className="builder" data-testid="builder">
        <summary>Build…</summary>
        <div className="grid2">
          <label>kind
            <select data-testid="build-kind" value={spec.kind} onChange={(e) => up({ kind: e.target.value as StructureKind })}>
              {STRUCTURE_KINDS.map((k) => <option key={k.id} value={k.id}>{k.label}</option>)}
            </select>
          </label>
          <label>element
            <input data-testid="build-element" value={spec.element} onChange={(e) => up({ element: e.target.value })} />
          </label>
          {spec.kind === 'icosahedron' && <Num label="shells" testId="build-shells" value={spec.shells} onChange={(v) => up({ shells: v })} />}
          {spec.kind === 'decahedron' && (<>
            <Num label="p (100 ⟂ axis)" value={spec.p} onChange={(v) => up({ p: v })} />
            <Num label="q (100 ∥ axis)" value={spec.q} onChange={(v) => up({ q: v })} />
            <Num label="r (Marks)" value={spec.r} onChange={(v) => up({ r: v })} />
          </>)}
          {spec.kind === 'octahedron' && (<>
            <Num label="edge length (atoms)" value={spec.length} onChange={(v) => up({ length: v })} />
            <Num label="vertex cutoff (layers)" value={spec.cutoff} onChange={(v) => up({ cutoff: v })} />
          </>)}
          {spec.kind === 'random' && (<>
            <Num label="atoms" testId="build-natoms" value={spec.natoms} onChange={(v) => up({ natoms: v })} />
            <Num label="seed" value={spec.seed} onChange={(v) => up({ seed: v })} />
            <Num label="d min (Å)" step={0.1} value={spec.dmin} onChange={(v) => up({ dmin: v })} />
            <Num label="d max (Å)" step={0.1} value={spec.dmax} onChange={(v) => up({ dmax: v })} />
          </>)}
          {spec.kind === 'bulk' && (
            <label>lattice
              <select data-testid="build-lattice" value={spec.lattice} onChange={(e) => up({ lattice: e.target.value as StructureSpec['lattice'] })}>
                <option value="fcc">fcc (cubic cell)</option><option value="bcc">bcc (cubic cell)</option><option value="hcp">hcp</option>
              </select>
            </label>
          )}
          {spec.kind === 'slab' && (
            <label>facet
              <select data-testid="build-facet" value={spec.facet} onChange={(e) => up({ facet: e.target.value as Facet })}>
                {FACETS.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </label>
          )}
          {periodic && (<>
            <Num label={spec.kind === 'slab' ? 'nx' : 'repeat a'} testId="build-nx" value={spec.repeat[0]} onChange={(v) => rep(0, v)} />
            <Num label={spec.kind === 'slab' ? 'ny' : 'repeat b'} testId="build-ny" value={spec.repeat[1]} onChange={(v) => rep(1, v)} />
            <Num label={spec.kind === 'slab' ? 'layers' : 'repeat c'} testId="build-nz" value={spec.repeat[2]} onChange={(v) => rep(2, v)} />
            {spec.kind === 'slab' && <Num label="vacuum (Å)" step={1} value={spec.vacuum} onChange={(v) => up({ vacuum: v })} />}
          </>)}
          {spec.kind !== 'random' && <Num label="a (Å)" testId="build-a" step={0.01} value={spec.a} onChange={(v) => up({ a: v })} />}
          {(spec.lattice === 'hcp' && spec.kind === 'bulk') || (spec.kind === 'slab' && spec.facet === 'hcp0001')
            ? <Num label="c (Å)" testId="build-c" step={0.01} value={spec.c} onChange={(v) => up({ c: v })} /> : null}
        </div>
        <button data-testid="build" onClick={build}>Build</button>
      </details>
      <div className="row wrap">
        <label className="file">
          Import .xyz…
          <input data-testid="import-xyz" type="file" accept=".xyz,.extxyz,text/plain" onChange={onPick} />
        </label>
        <button data-testid="export-xyz" onClick={exportScreen} disabled={!st.frame}>Export on-screen</button>
        <button data-testid="export-run" onClick={exportRun} disabled={!timelineFrames}>Export run ({timelineFrames})</button>
      </div>
      <p className="muted small">or drop an extended XYZ file on the viewer</p>
      {st.structureError && <p className="error" role="alert" data-testid="structure-error">{st.structureError}</p>}
    </section>
  );
}
