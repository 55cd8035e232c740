// Done-when test (a) of issue 11: `nanostudio loop --plan plans/demo-cu.yaml` for 2 iterations with a
// tiny budget (--train-steps and a plan override with short MD) and Mishin's EAM as the labeler;
// the report says what happened per iteration and per system type.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../backend/helpers.ts';
import { Store } from '../../src/backend/store/store.ts';
import { parseModelDevi } from '../../src/core/io/model-devi.ts';
import type { LoopReport } from '../../src/loop/report.ts';
import { TINY, startLoop } from './loop-process.ts';

describe('nanostudio loop on plans/demo-cu.yaml (tiny budget)', () => {
  it('runs 2 iterations: report.json with fractions summing to 1 per system type, a growing data set, model_devi.out per run', async () => {
    const out = tempDir('ns-loop-demo-');
    const p = startLoop(['--plan', 'plans/demo-cu.yaml', '--plan-override', TINY, '--labeler', 'eam:Cu_mishin1.eam.alloy',
      '--iterations', '2', '--out', out, '--train-steps', '12', '--models', '2', '--threads', '1', '--engine', 'cpu', '--seed', '3']);
    expect(await p.exited, p.output()).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoopReport;
    expect(report.plan).toBe('demo-cu');
    expect(report.converged).toBe(false);
    expect(report.iterations.map((i) => [i.number, i.status])).toEqual([[0, 'done'], [1, 'done']]);
    // iteration 0 explores clusters, bulk, surfaces; iteration 1 adds magic-clusters (the demo's schedule)
    expect(report.iterations[0].exploration.map((e) => e.system)).toEqual(['clusters', 'bulk', 'surfaces']);
    expect(report.iterations[1].exploration.map((e) => e.system)).toEqual(['clusters', 'magic-clusters', 'bulk', 'surfaces']);
    for (const it of report.iterations) {
      expect(Object.keys(it.fractions).sort()).toEqual(['bulk', 'cluster', 'surface']);
      for (const f of Object.values(it.fractions)) {
        expect(f.frames).toBeGreaterThan(0);
        expect(f.accurate + f.candidate + f.failed).toBeCloseTo(1, 12);
      }
      expect(it.framesSelected).toBeGreaterThan(0);
      expect(it.framesSelected).toBeLessThanOrEqual(8); // the override's cap
      expect(it.framesLabeled).toBe(it.framesSelected);
      expect(it.ensembleId).not.toBeNull();
      expect(it.rmse.train!.force).toBeGreaterThan(0);
      expect(Object.keys(it.stageSeconds).sort()).toEqual(['explore', 'label', 'select', 'train']);
    }
    // the data set grows by the frames each iteration labels
    const store = Store.open(join(out, 'nanostudio.sqlite'));
    const ds = store.datasets.byName('demo-cu')!;
    const frames = store.frames.list(ds.id);
    const init = frames.filter((f) => (f.provenance.source ?? '').startsWith('init')).length;
    store.close();
    const [s0, s1] = report.iterations.map((i) => i.datasetSize);
    expect(s0).toBe(init + report.iterations[0].framesLabeled);
    expect(s1).toBe(s0 + report.iterations[1].framesLabeled);
    expect(s1).toBeGreaterThan(s0);
    // every MD run wrote DeePMD's model_devi.out with one row per saved frame
    const task = join(out, 'iter-000', 'explore', 'bulk-fcc-1200K-1atm');
    const devi = parseModelDevi(readFileSync(join(task, 'model_devi.out'), 'utf8'));
    expect(devi.map((r) => r.step)).toEqual([0, 10, 20, 30]);
    const traj = readFileSync(join(task, 'traj.extxyz'), 'utf8');
    expect(traj.match(/max_devi_f=/g)).toHaveLength(4);
    expect(report.final!.iteration).toBe(1);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 240_000);
});
