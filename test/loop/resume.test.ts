// Done-when test (b) of issue 11: `kill -9` of a running `nanostudio loop` mid-train and mid-label, then
// the same command again: training continues from its last checkpoint (weights + Adam state), the
// label stage finishes the interrupted label job, and the data set holds every selected frame once,
// each labeled exactly once (the labels written before the kill are kept, not redone).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../backend/helpers.ts';
import type { TrainCheckpoint } from '../../src/core/train/types.ts';
import type { LoopReport } from '../../src/loop/report.ts';
import { ROOT, killWhen, startLoop } from './loop-process.ts';

interface LabelRow { id: number; frame_id: number; job_id: number; status: string }

describe('nanostudio loop: kill -9 and resume', () => {
  it('mid-train resumes from the checkpoint; mid-label keeps the written labels; no frame twice, none lost', async () => {
    const out = tempDir('ns-loop-resume-');
    const args = ['--plan', 'plans/demo-cu.yaml', '--plan-override', resolve(ROOT, 'test/loop/fixtures/resume-budget.yaml'),
      '--labeler', 'eam:Cu_mishin1.eam.alloy', '--iterations', '1', '--out', out, '--train-steps', '60', '--models', '2',
      '--threads', '1', '--engine', 'cpu', '--seed', '5'];
    const models = join(out, 'iter-000', 'models');
    const db = join(out, 'nanostudio.sqlite');

    // 1. kill while model 0 trains, after a checkpoint
    const run1 = startLoop(args);
    await killWhen(run1, () => existsSync(join(models, 'checkpoint-0.json')) && !existsSync(join(models, 'model-0.dp')));
    const cp = JSON.parse(readFileSync(join(models, 'checkpoint-0.json'), 'utf8')) as TrainCheckpoint;
    expect(cp.step).toBeGreaterThan(0);
    expect(cp.step).toBeLessThan(60);
    expect(cp.adam.t).toBe(cp.step);
    expect(cp.adam.m.some((x) => x !== 0)).toBe(true);

    // 2. resume; kill once part of the iteration's selected frames are labeled
    let selected = 0;
    const run2 = startLoop(args, (o) => {
      const m = /iteration 0: labeling (\d+) frames/.exec(o);
      if (m) selected = Number(m[1]);
    });
    let conn: Database.Database | null = null;
    const iterationLabels = (): LabelRow[] => {
      conn ??= new Database(db, { readonly: true, fileMustExist: true });
      return conn.prepare('SELECT l.id, l.frame_id, l.job_id, l.status FROM labels l JOIN frames f ON f.id = l.frame_id WHERE f.iteration_id IS NOT NULL ORDER BY l.id').all() as LabelRow[];
    };
    await killWhen(run2, () => {
      if (selected === 0) return false;
      const n = iterationLabels().length;
      return n > 0 && n < selected;
    });
    const before = iterationLabels();
    conn!.close();
    expect(run2.output()).toMatch(new RegExp(`model 0 \\(seed 5\\): resuming from its checkpoint at step (\\d+)/60 \\(weights and Adam state\\)`));
    expect(Number(/resuming from its checkpoint at step (\d+)/.exec(run2.output())![1])).toBeGreaterThanOrEqual(cp.step);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(selected);

    // 3. resume to the end
    const run3 = startLoop(args);
    expect(await run3.exited, run3.output()).toBe(0);
    expect(run3.output()).toMatch(/waiting for label job\(s\) \d+ left by the previous run/);
    // neither training, exploration nor selection is redone
    expect(run3.output()).not.toMatch(/iteration 0: (training|exploring|selected)/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoopReport;
    expect(report.iterations).toHaveLength(1);
    const it0 = report.iterations[0];
    expect(it0.framesSelected).toBe(selected);
    expect(it0.framesLabeled).toBe(selected);

    const c = new Database(db, { readonly: true });
    const frames = c.prepare('SELECT id, iteration_id, exploration, positions FROM frames ORDER BY id').all() as Array<{ id: number; iteration_id: number | null; exploration: string | null; positions: Buffer }>;
    const labels = c.prepare('SELECT id, frame_id, job_id, status FROM labels ORDER BY id').all() as LabelRow[];
    const jobs = c.prepare("SELECT id, state FROM jobs WHERE kind = 'label'").all() as Array<{ id: number; state: string }>;
    c.close();
    const mine = frames.filter((f) => f.iteration_id !== null);
    expect(mine).toHaveLength(selected); // posted once
    expect(new Set(mine.map((f) => f.positions.toString('base64'))).size).toBe(selected); // no frame stored twice
    // every frame of the data set has exactly one label: nothing labeled twice, nothing lost
    const perFrame = new Map<number, number>();
    for (const l of labels) perFrame.set(l.frame_id, (perFrame.get(l.frame_id) ?? 0) + 1);
    expect(frames.filter((f) => perFrame.get(f.id) !== 1).map((f) => f.id)).toEqual([]);
    expect(labels.every((l) => l.status === 'ok')).toBe(true);
    // the labels written before the kill are the same rows (kept, not redone), all in one label job for the iteration
    const after = new Map(labels.map((l) => [l.id, l]));
    for (const l of before) expect(after.get(l.id)).toEqual(l);
    expect(new Set(labels.filter((l) => mine.some((f) => f.id === l.frame_id)).map((l) => l.job_id)).size).toBe(1);
    expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
  }, 300_000);
});
