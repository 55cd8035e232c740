/**
 * Where the analyses take their frames from: named sources the panel lists (the structure on
 * screen, the frames of a run, a data set of the backend, reference structures built here).
 * Each source loads its frames on demand as plain data (FrameInput of the analysis worker).
 */
import type { FrameInput, LabeledInput } from '../../worker/analysis-service.ts';
import { bulk, icosahedron } from '../../core/build/index.ts';

export interface FrameSource {
  id: string;
  label: string;
  /** Load the frames (positions Å). */
  load(): Promise<SourceFrame[]>;
}

/** A source of labeled frames (reference energy eV, forces eV/Å) for parity plots. */
export interface LabeledSource {
  id: string;
  label: string;
  load(): Promise<LabeledInput[]>;
}

const plain = (f: { symbols: string[]; positions: Float64Array; cell: Float64Array | null; pbc: [boolean, boolean, boolean] }): FrameInput =>
  ({ symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc });

/** Reference structures everybody can compare with (Cu, the reference lattice constant). */
export const REFERENCE_SOURCES: FrameSource[] = [
  { id: 'ref:fcc', label: 'reference: bulk fcc Cu', load: async () => [plain(bulk('Cu', 'fcc', { cubic: true, repeat: [3, 3, 3] }))] },
  { id: 'ref:ico147', label: 'reference: Cu147 icosahedron', load: async () => [plain(icosahedron('Cu', 4))] },
  { id: 'ref:ico55', label: 'reference: Cu55 icosahedron', load: async () => [plain(icosahedron('Cu', 3))] },
];

/** A frame of a source, with the per-atom force deviation (eV/Å, length N) when the run recorded it. */
export type SourceFrame = FrameInput & { deviation?: ArrayLike<number> };

/**
 * The sources an analysis compares until the user picks: the data set (training set), the
 * newest run (the current trajectory; else the structure on screen) and, when asked, bulk fcc.
 */
export function defaultChoice(sources: Pick<FrameSource, 'id'>[], withReference: boolean): string[] {
  const ids = sources.map((s) => s.id);
  const run = ids.find((id) => id.startsWith('run:')) ?? ids.find((id) => id === 'screen');
  const dataset = ids.find((id) => id.startsWith('dataset:'));
  const out = [dataset, run, withReference ? ids.find((id) => id === 'ref:fcc') : undefined].filter((x): x is string => x !== undefined);
  return out.length ? out : ids.slice(0, 1);
}
