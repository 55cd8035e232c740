// The lagging-seed rule of issue 11 in a real `nanostudio loop` run: model 2's training checkpoint is
// corrupted (its fitting net's output weights × 1000, so its forces are 1000× too large), the member
// finishes from it and lags; the rule retrains it from random weights with a fresh seed, keeps the
// better one and records it. kill -9 during the retrain, then the same command: the retrain resumes
// from its checkpoint, the decision is not taken again. Stage wall times include the killed runs.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../backend/helpers.ts';
import { parseDpModelText } from '../../src/core/potentials/dp/load.ts';
import { serializeDpModel } from '../../src/core/potentials/dp/serialize.ts';
import type { TrainCheckpoint } from '../../src/core/train/types.ts';
import type { LoopReport } from '../../src/loop/report.ts';
import type { MemberResult } from '../../src/loop/train.ts';
import { median, replacementSeed } from '../../src/loop/lagging.ts';
import { TINY, killWhen, startLoop } from './loop-process.ts';

const SEED = 11, MODELS = 3;

/** The fitting net's output weights × `factor` in a checkpoint file (atomic energies' variations and forces scale by it). */
function corruptCheckpoint(file: string, factor: number): void {
  const cp = JSON.parse(readFileSync(file, 'utf8')) as TrainCheckpoint;
  const model = parseDpModelText(JSON.stringify(cp.model), 'json', { onWarning: () => {} });
  const out = model.fitting.nets.networks[0]!.layers.at(-1)!;
  for (let i = 0; i < out.w.length; i++) out.w[i] *= factor;
  writeFileSync(file, JSON.stringify({ ...cp, model: serializeDpModel(model) }));
}

const stageSeconds = (db: string): Record<string, number> => {
  const c = new Database(db, { readonly: true, fileMustExist: true });
  const row = c.prepare('SELECT stage_seconds FROM iterations WHERE number = 0').get() as { stage_seconds: string };
  c.close();
  return JSON.parse(row.stage_seconds) as Record<string, number>;
};

describe('nanostudio loop: lagging-seed rule', () => {
  it('retrains a lagging member from a fresh seed (resumable), records it, and reports per-model and median RMSEs', async () => {
    const out = tempDir('ns-loop-lagging-');
    const args = ['--plan', 'plans/demo-cu.yaml', '--plan-override', TINY, '--labeler', 'eam:Cu_mishin1.eam.alloy', '--iterations', '1',
      '--out', out, '--train-steps', '40', '--models', String(MODELS), '--threads', '1', '--engine', 'cpu', '--seed', String(SEED)];
    const models = join(out, 'iter-000', 'models'), retrain = join(models, 'retrain');
    const db = join(out, 'nanostudio.sqlite');
    const newSeed = replacementSeed(SEED, MODELS, 0, 2);

    // 1. kill while model 2 trains (models train one after the other), corrupt its checkpoint
    const run1 = startLoop(args);
    await killWhen(run1, () => existsSync(join(models, 'checkpoint-2.json')) && !existsSync(join(models, 'model-2.dp')));
    const m0 = JSON.parse(readFileSync(join(models, 'model-0.json'), 'utf8')) as MemberResult;
    // the train stage's wall time was recorded while it ran (at least model 0's training)
    const trainBeforeKill = stageSeconds(db).train;
    expect(trainBeforeKill).toBeGreaterThanOrEqual(m0.metrics.seconds);
    corruptCheckpoint(join(models, 'checkpoint-2.json'), 1000);

    // 2. resume: model 2 finishes from the corrupted checkpoint and lags; kill during its retrain
    const run2 = startLoop(args);
    await killWhen(run2, () => existsSync(join(retrain, 'checkpoint-2.json')) && !existsSync(join(retrain, 'model-2.dp')));
    expect(run2.output()).toMatch(new RegExp(`model 2 \\(seed ${SEED + 2}\\) lags: validation force RMSE [\\d.]+ eV/Å > 1\\.5 × median [\\d.]+; retraining it from random weights with seed ${newSeed}`));
    expect(run2.output()).not.toMatch(/model [01] \(seed \d+\) lags/);

    // 3. resume to the end: the retrain continues from its checkpoint; the decision is not taken again
    const run3 = startLoop(args);
    expect(await run3.exited, run3.output()).toBe(0);
    expect(run3.output()).toMatch(new RegExp(`model 2 \\(seed ${newSeed}\\): resuming from its checkpoint at step \\d+/40`));
    expect(run3.output()).not.toMatch(/ lags: /);
    expect(run3.output()).toMatch(new RegExp(`model 2 retrained with seed ${newSeed}: .* → keeps the new seed`));
    expect(run3.output()).toMatch(/iteration 0: WARNING: validation force RMSE \(median over models\) [\d.]+ eV\/Å is above trust lo of cluster \(0\.02 eV\/Å\)/);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoopReport;
    const it0 = report.iterations[0];
    const rec = it0.lagging!;
    expect(rec.factor).toBe(1.5);
    expect(rec.replaced).toHaveLength(1);
    const r = rec.replaced[0];
    expect([r.model, r.oldSeed, r.newSeed, r.kept]).toEqual([2, SEED + 2, newSeed, 'new']);
    expect(rec.medianForce).toBe(median(rec.forces));
    expect(r.old.force).toBe(rec.forces[2]);
    expect(r.old.force).toBeGreaterThan(1.5 * rec.medianForce);
    expect(r.new!.force).toBeLessThan(r.old.force);
    // the ensemble holds the new member (files, store, report); the lagging one is kept aside
    const member = (dir: string, k: number) => JSON.parse(readFileSync(join(dir, `model-${k}.json`), 'utf8')) as MemberResult;
    expect(member(models, 2).seed).toBe(newSeed);
    expect(member(models, 2).metrics.rmseForceValidation).toBe(r.new!.force);
    expect(member(join(models, 'lagging'), 2).seed).toBe(SEED + 2);
    expect(member(join(models, 'lagging'), 2).metrics.rmseForceValidation).toBe(r.old.force);
    const c = new Database(db, { readonly: true });
    const seeds = (c.prepare('SELECT seed FROM models WHERE ensemble_id = ? ORDER BY id').all(it0.ensembleId) as { seed: number }[]).map((x) => x.seed);
    c.close();
    expect(seeds).toEqual([SEED, SEED + 1, newSeed]);
    expect(it0.models.map((m) => m.seed)).toEqual([SEED, SEED + 1, newSeed]);
    // per-model RMSEs, their median next to the store's mean
    const vf = it0.models.map((m) => m.validation!.force);
    expect(it0.models[2].validation!.force).toBe(r.new!.force);
    expect(it0.rmseMedian.validation!.force).toBe(median(vf));
    expect(it0.rmse.validation!.force).toBeCloseTo(vf.reduce((a, b) => a + b, 0) / MODELS, 12);
    expect(it0.trustWarning).toMatch(/above trust lo of cluster \(0\.02 eV\/Å\), bulk \(0\.02 eV\/Å\), surface \(0\.02 eV\/Å\)/);
    // the train stage counts the work of the killed runs
    expect(it0.stageSeconds.train).toBeGreaterThan(trainBeforeKill);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`model 2: seed ${SEED + 2} (F ${r.old.force.toFixed(3)}) → ${newSeed} (F ${r.new!.force.toFixed(3)}), kept new`);
    expect(html).toContain('median over models');
  }, 400_000);
});
