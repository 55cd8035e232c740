/**
 * Frame sources from the backend for the analyses: the frames of a data set (for P(CN) and the
 * descriptor map) and its labeled frames (for parity; grouped by active-learning iteration).
 * Reads `GET /datasets/:id/frames?labels=true` page by page with the studio's connection.
 */
import { useBackend } from '../backend/backend-store.ts';
import type { FrameInput, LabeledInput } from '../../worker/analysis-service.ts';
import type { FrameSource, LabeledSource } from './sources.ts';

interface ApiFrame {
  id: number;
  symbols: string[];
  positions: number[][];
  cell: number[][] | null;
  pbc: [boolean, boolean, boolean];
  provenance?: { iterationId?: number | null };
  labels?: { status: 'ok' | 'failed'; energy: number | null; forces: number[][] | null }[];
}

async function fetchFrames(datasetId: number): Promise<ApiFrame[]> {
  const { url, token } = useBackend.getState();
  const out: ApiFrame[] = [];
  let after = 0;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(`${url}/datasets/${datasetId}/frames?labels=true&limit=1000&after=${after}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    } catch (e) {
      throw new Error(`the backend at ${url} is unreachable (${e instanceof Error ? e.message : String(e)})`);
    }
    if (res.status === 401) throw new Error('the backend refused the token (401): check it in the Backend tab');
    if (!res.ok) throw new Error(`the backend answered HTTP ${res.status} for the frames of data set ${datasetId}`);
    const body = (await res.json()) as { frames: ApiFrame[]; next: number | null };
    out.push(...body.frames);
    if (body.next === null) return out;
    after = body.next;
  }
}

const toInput = (f: ApiFrame): FrameInput => ({ symbols: f.symbols, positions: f.positions.flat(), cell: f.cell ? f.cell.flat() : null, pbc: f.pbc });

/** Sources for the data set chosen in the Backend tab (none when not connected or none chosen). */
export function backendSources(): { frames: FrameSource[]; labeled: LabeledSource[] } {
  const st = useBackend.getState();
  const id = st.datasetId;
  if (id === null || st.status.kind !== 'connected') return { frames: [], labeled: [] };
  const name = st.datasets.find((d) => d.id === id)?.name ?? `data set ${id}`;
  const iterationNumber = new Map(st.iterations.map((it) => [it.id, it.number]));
  return {
    frames: [{ id: `dataset:${id}`, label: `data set "${name}"`, load: async () => (await fetchFrames(id)).map(toInput) }],
    labeled: [{
      id: `dataset:${id}`, label: `data set "${name}" (labeled frames)`,
      load: async () => (await fetchFrames(id)).flatMap((f): LabeledInput[] => {
        const ok = f.labels?.find((l) => l.status === 'ok' && l.energy !== null && l.forces);
        if (!ok) return [];
        const it = f.provenance?.iterationId;
        const n = it === undefined || it === null ? undefined : iterationNumber.get(it);
        return [{ ...toInput(f), id: f.id, energy: ok.energy!, forces: ok.forces!.flat(), iterationId: it ?? null, group: n === undefined ? 'no iteration' : `iteration ${n}` }];
      }),
    }],
  };
}
