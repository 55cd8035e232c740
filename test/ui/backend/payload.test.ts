import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../src/worker/frames.ts';
import { explorationEntry, frameInput } from '../../../src/ui/backend/frame-payload.ts';
import type { StoredFrameLike } from '../../../src/ui/backend/frame-source.ts';
import { curveColumns } from '../../../src/ui/backend/curves.ts';
import type { CurvePoint } from '../../../src/ui/backend/backend-store.ts';
import { fractionColumns, iterationRow } from '../../../src/ui/backend/iteration-rows.ts';
import type { IterationSummary } from '../../../src/ui/backend/client.ts';
import { normaliseUrl, tokenFromPaste } from '../../../src/ui/backend/client.ts';
import { ExplorationBodySchema } from '../../../src/backend/routes/iterations.ts';
import { FrameInputSchema } from '../../../src/backend/schemas.ts';

const run: RunInfo = {
  id: 'md-1', kind: 'md', ensemble: 'langevin', structure: 'Cu13', temperatureK: 900, dtFs: 2, engine: 'cpu float64',
  models: ['a.dp', 'b.dp'], ensembleId: 7, trustLo: 0.05, trustHi: 0.15, seed: 3, startedAt: '2026-12-02T00:00:00.000Z',
};

function frame(id: number, maxDeviF: number, frameClass: StoredFrameLike['frameClass'], step = 10 * id): StoredFrameLike {
  return {
    id, selected: true, runId: 'md-1', step, timeFs: 2 * step, symbols: ['Cu', 'Cu'], positions: Float64Array.from([0, 0, 0, 2.5, 0.1, -0.2]),
    temperatureK: 880 + id, potentialEnergy: -6.5, kineticEnergy: 0.2, maxDeviF, avgDeviF: maxDeviF / 2,
    atomicDeviF: Float64Array.from([maxDeviF, maxDeviF / 3]), frameClass,
  };
}

describe('studio → backend payloads', () => {
  it('a stored frame carries run, step, temperature, ensemble, max_devi_f and iteration, and the service accepts it', () => {
    const f = frameInput(frame(4, 0.09, 'decent'), { run, iterationId: 12, iterationNumber: 2 });
    expect(f.positions).toEqual([0, 0, 0, 2.5, 0.1, -0.2]);
    expect(f.pbc).toEqual([false, false, false]);
    expect(f.info).toMatchObject({ run: 'md-1', step: 40, temperature_K: 884, ensemble: 'langevin', max_devi_f: 0.09, iteration: 2 });
    expect(f.provenance).toMatchObject({ iterationId: 12, ensembleId: 7, maxDeviF: 0.09, exploredAt: run.startedAt });
    expect(f.provenance?.exploration).toContain('md langevin 900 K on Cu13 with ensemble 7 (md-1)');
    const parsed = FrameInputSchema.safeParse(f);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('a periodic frame keeps its cell', () => {
    const fr = { ...frame(1, 0.1, 'decent'), cell: Float64Array.from([5, 0, 0, 0, 5, 0, 0, 0, 5]), pbc: [true, true, false] as [boolean, boolean, boolean] };
    const f = frameInput(fr, { run: undefined, iterationId: 1, iterationNumber: 0 });
    expect(f.cell).toEqual([5, 0, 0, 0, 5, 0, 0, 0, 5]);
    expect(f.pbc).toEqual([true, true, false]);
    expect(f.provenance?.ensembleId).toBeNull();
    expect(frameInput(fr, { run: { ...run, ensembleId: null }, iterationId: 1, iterationNumber: 0 }).provenance?.exploration).toBe('md langevin 900 K on Cu13 (md-1)');
  });

  it('an exploration entry counts the run frames per class and passes the service schema', () => {
    const e = explorationEntry(run, [frame(1, 0.01, 'good'), frame(2, 0.02, 'good'), frame(3, 0.1, 'decent'), frame(4, 0.5, 'poor')]);
    expect(e).toMatchObject({ kind: 'studio', frames: 4, accurate: 2, candidate: 1, failed: 1, trustLo: 0.05, trustHi: 0.15 });
    expect(ExplorationBodySchema.safeParse(e).success).toBe(true);
  });
});

describe('dashboard and curve columns', () => {
  const it0: IterationSummary = {
    id: 1, datasetId: 1, number: 0, note: '', createdAt: '', status: 'done',
    exploration: [
      { system: 'a', kind: 'studio', frames: 10, accurate: 6, candidate: 3, failed: 1, trustLo: 0.05, trustHi: 0.15 },
      { system: 'b', kind: 'studio', frames: 10, accurate: 8, candidate: 2, failed: 0, trustLo: 0.05, trustHi: 0.15 },
    ],
    framesSelected: 5, framesLabeled: 4, framesFailed: 1, datasetSize: 4, ensembleId: 3,
    rmse: { train: { energyPerAtom: 0.01, force: 0.2 }, validation: null }, stageSeconds: {},
  };

  it('sums explorations over systems into fractions', () => {
    const r = iterationRow(it0);
    expect(r.explored).toBe(20);
    expect(r.good).toBeCloseTo(0.7, 12);
    expect(r.decent).toBeCloseTo(0.25, 12);
    expect(r.poor).toBeCloseTo(0.05, 12);
    expect(r.trainE).toBe(0.01);
    expect(r.valF).toBeNull();
    expect(fractionColumns([r, iterationRow({ ...it0, id: 2, number: 1, exploration: [] })])).toEqual([[0, 1], [70, null], [25, null], [5, null]]);
  });

  it('aligns per-model curves on the union of steps', () => {
    const cols = curveColumns([
      [{ step: 0, rmseETrain: 1, rmseEVal: 2, loss: 1 }, { step: 10, rmseETrain: 0.5, rmseEVal: null, loss: 1 }],
      [{ step: 10, rmseETrain: 0.4, rmseEVal: 0.6, loss: 1 }],
    ]);
    expect(cols).toEqual([[0, 10], [1, 0.5], [null, 0.4], [2, null], [null, 0.6]]);
  });

  it('has a column for every plotted series: before the first point and when model 2 reports before models 0 and 1', () => {
    expect(curveColumns([], 4)).toEqual([[], [], [], [], [], [], [], [], []]);
    const sparse: CurvePoint[][] = [];
    sparse[2] = [{ step: 5, rmseETrain: 0.3, rmseEVal: 0.4, loss: 1 }];
    const cols = curveColumns(sparse, 4);
    expect(cols).toHaveLength(9);
    expect(cols).toEqual([[5], [null], [null], [0.3], [null], [null], [null], [0.4], [null]]);
  });

  it('normalises and rejects URLs by name', () => {
    expect(normaliseUrl(' 127.0.0.1:8787/ ')).toBe('http://127.0.0.1:8787');
    expect(() => normaliseUrl('')).toThrow('no backend URL');
    expect(() => normaliseUrl('http://')).toThrow('is not a URL');
  });
});

describe('the token as pasted', () => {
  const hex = 'a3'.repeat(32);
  it('takes the token out of the line nanostudio serve prints, or as typed', () => {
    expect(tokenFromPaste(`token (new, stored in /home/u/.nanostudio/token): ${hex}`)).toBe(hex);
    expect(tokenFromPaste(`  token (stored in /data/token): ${hex}\n`)).toBe(hex);
    expect(tokenFromPaste(`token: ${hex}`)).toBe(hex);
    expect(tokenFromPaste(`  ${hex} `)).toBe(hex);
    // Anything else is sent as typed (and a wrong one is refused by the service, named in the page).
    expect(tokenFromPaste('my token is x')).toBe('my token is x');
  });
});
