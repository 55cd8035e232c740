import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { MIGRATIONS } from '../../src/backend/store/migrations.ts';
import { makeFrame } from '../../src/core/atoms.ts';

describe('backend store', () => {
  it('migrates once, records the version and reopens without re-running', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ns-store-')), 'db.sqlite');
    const s = Store.open(path);
    expect(s.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    s.datasets.create('cu');
    s.close();
    const s2 = Store.open(path);
    expect(s2.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    expect(s2.datasets.list().map((d) => d.name)).toEqual(['cu']);
    s2.close();
  });

  it('round-trips frames with provenance and records labels once per job', () => {
    const s = Store.open(':memory:');
    const ds = s.datasets.create('cu13', 'test');
    const f = makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, 2.2], [10, 0, 0, 0, 10, 0, 0, 0, 10], [true, true, false]);
    f.info = { step: 3 };
    const [id] = s.frames.addMany(ds.id, [{ frame: f, provenance: { exploration: 'md-300K', maxDeviF: 0.12, source: 'test' } }]);
    const back = s.frames.get(id)!;
    expect(Array.from(back.frame.positions)).toEqual([0, 0, 0, 0, 0, 2.2]);
    expect(Array.from(back.frame.cell!)).toEqual([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    expect(back.frame.pbc).toEqual([true, true, false]);
    expect(back.frame.info).toEqual({ step: 3 });
    expect(back.provenance.exploration).toBe('md-300K');
    expect(back.provenance.maxDeviF).toBe(0.12);

    const job = s.jobs.create('label', ds.id, { calculator: 'eam:Cu_u3.eam' }, [id]);
    expect(s.jobs.pendingFrames(job.id)).toEqual([id]);
    const forces = Float64Array.from([0, 0, 1, 0, 0, -1]);
    expect(s.labels.recordForJob(job.id, id, 'eam', { status: 'ok', energy: -7, forces }, 0.01)).toBe(true);
    expect(s.labels.recordForJob(job.id, id, 'eam', { status: 'ok', energy: -7, forces }, 0.01)).toBe(false);
    expect(s.jobs.pendingFrames(job.id)).toEqual([]);
    expect(s.jobs.get(job.id)!.progress).toEqual({ done: 1, total: 1 });
    expect(s.labels.forFrame(id)).toHaveLength(1);
    expect(s.datasets.get(ds.id)!.labeledCount).toBe(1);

    const job2 = s.jobs.create('label', ds.id, {}, [id]);
    s.labels.recordForJob(job2.id, id, 'cp2k', { status: 'failed', reason: 'SCF not converged' }, 1);
    const ls = s.labels.forFrame(id);
    expect(ls[1].status).toBe('failed');
    expect(ls[1].reason).toBe('SCF not converged');
    expect(s.labels.latestOk(ds.id).get(id)!.energy).toBe(-7);
    s.close();
  });

  it('re-queues jobs left running by a crash', () => {
    const s = Store.open(':memory:');
    const j = s.jobs.create('label', null, {});
    expect(s.jobs.claim(j.id)).toBe(true);
    expect(s.jobs.requeueInterrupted()).toEqual([j.id]);
    expect(s.jobs.get(j.id)!.state).toBe('queued');
    expect(s.jobs.logs(j.id)[0].level).toBe('warn');
    s.close();
  });

  it('lets only one of two connections on one database claim a queued job', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ns-store-')), 'db.sqlite');
    const a = Store.open(path);
    const b = Store.open(path);
    const j = a.jobs.create('label', null, {});
    expect(b.jobs.claim(j.id)).toBe(true);
    expect(a.jobs.claim(j.id)).toBe(false);
    expect(a.jobs.get(j.id)!.attempts).toBe(1);
    a.jobs.finish(j.id, 'cancelled');
    const k = a.jobs.create('label', null, {});
    a.jobs.finish(k.id, 'cancelled');
    expect(b.jobs.claim(k.id)).toBe(false); // a cancelled job is never started
    a.close();
    b.close();
  });
});
