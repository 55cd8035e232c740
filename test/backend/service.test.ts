// The real service as a child process (node bin/nanostudio.mjs serve): EAM label jobs with SSE
// progress, cancellation, crash (kill -9) mid-job and resume without losing or repeating a
// frame, and exports read back (our own npy/tar/extxyz readers).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { readTar } from '../../src/backend/export/tar.ts';
import { decodeNpy } from '../../src/backend/export/npy.ts';
import { readExtxyz } from '../../src/core/io/extxyz.ts';
import { loadDpModel } from '../../src/core/potentials/dp/load.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';
import { api, headers, waitFor, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess } from './service-process.ts';

const started: ServiceProcess[] = [];
afterAll(async () => { for (const p of started) await killHard(p); });

async function start(dataDir: string): Promise<ServiceProcess> {
  const p = await startServiceProcess(dataDir, TOKEN);
  started.push(p);
  return p;
}

describe('nanostudio serve (child process)', () => {
  it('labels with EAM, streams progress over SSE, cancels, and exports readable deepmd/npy and extxyz', async () => {
    const dir = tempDir();
    const svc = await start(dir);
    expect((await api(svc.base, 'GET', '/healthz')).ok).toBe(true);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-sse' });
    const frames = cuFrames(20, 0.1, 3);
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames, provenance: { exploration: 'test' } });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam', file: 'Cu_u3.eam' } });
    const res = await fetch(`${svc.base}/jobs/${job.id}/events`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends when the job finishes
    const events = text.split('\n\n').filter((b) => b.includes('data: ')).map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as { type: string; state?: string; done?: number; frameId?: number });
    expect(events.at(-1)).toMatchObject({ type: 'state', state: 'succeeded' });
    const perFrame = events.filter((e) => e.type === 'progress' && e.frameId !== undefined);
    expect(perFrame.length).toBeGreaterThan(0);
    expect(Math.max(...events.filter((e) => e.type === 'progress').map((e) => e.done ?? 0))).toBe(20);

    // Exports: the deepmd/npy tar read back with our own readers.
    const tarRes = await fetch(`${svc.base}/datasets/${ds.id}/export?format=deepmd-npy`);
    expect(tarRes.headers.get('x-nanostudio-frames')).toBe('20');
    const files = readTar(new Uint8Array(await tarRes.arrayBuffer()));
    const sys = 'cu13-sse/Cu13';
    expect(files.get(`${sys}/type.raw`)!.toString().trim().split('\n')).toHaveLength(13);
    expect(files.get(`${sys}/type_map.raw`)!.toString().trim()).toBe('Cu');
    expect(files.has(`${sys}/nopbc`)).toBe(true);
    const input = JSON.parse(files.get('cu13-sse/input.json')!.toString()) as { model: { type_map: string[]; descriptor: { type: string; rcut: number } }; training: { training_data: { systems: string[] } } };
    expect(input.model.type_map).toEqual(['Cu']);
    expect(input.model.descriptor).toMatchObject({ type: 'se_e2_a', rcut: 8 });
    expect(input.training.training_data.systems).toEqual(['Cu13']);
    const coord = decodeNpy(files.get(`${sys}/set.000/coord.npy`)!);
    const force = decodeNpy(files.get(`${sys}/set.000/force.npy`)!);
    const energy = decodeNpy(files.get(`${sys}/set.000/energy.npy`)!);
    const box = decodeNpy(files.get(`${sys}/set.000/box.npy`)!);
    expect(coord.shape).toEqual([20, 39]);
    expect(force.shape).toEqual([20, 39]);
    expect(energy.shape).toEqual([20]);
    expect(box.shape).toEqual([20, 9]);
    expect(Array.from(coord.data.subarray(0, 39))).toEqual(frames[0].positions.flat());
    const listed = await api<{ frames: Array<{ labels: Array<{ energy: number; forces: number[][] }> }> }>(svc.base, 'GET', `/datasets/${ds.id}/frames`);
    expect(energy.data[3]).toBe(listed.frames[3].labels[0].energy);
    expect(Array.from(force.data.subarray(39 * 3, 39 * 4))).toEqual(listed.frames[3].labels[0].forces.flat());
    expect(energy.data[0]).toBeLessThan(-30); // Cu13 EAM ≈ −3 eV/atom
    const xyz = readExtxyz(await (await fetch(`${svc.base}/datasets/${ds.id}/export?format=extxyz`)).text());
    expect(xyz).toHaveLength(20);
    expect(xyz[5].info!.energy).toBeCloseTo(energy.data[5], 8);
    expect(xyz[5].arrays.forces[7]).toBeCloseTo(force.data[5 * 39 + 7], 8);

    // Cancellation of a long job.
    const many = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-cancel' });
    await api(svc.base, 'POST', `/datasets/${many.id}/frames`, { frames: cuFrames(3000, 0.1, 5) });
    const long = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: many.id, calculator: { kind: 'eam' } });
    await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${long.id}`), (j) => j.progress.done > 0, 30_000);
    await api(svc.base, 'POST', `/jobs/${long.id}/cancel`);
    const cancelled = await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${long.id}`), (j) => j.state !== 'running', 30_000);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.progress.done).toBeLessThan(3000);
    expect(await stopService(svc)).toBe(0); // SIGTERM shuts down cleanly
  });

  it('resumes a label job after kill -9 with every frame labeled exactly once', async () => {
    const dir = tempDir();
    const n = 4000;
    let svc = await start(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-crash' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(n, 0.15, 11) });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    const mid = await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.progress.done >= 50, 60_000, 5);
    await killHard(svc);
    expect(mid.progress.done).toBeLessThan(n);
    // What survived the crash: labels committed so far, job still 'running'.
    const s0 = Store.open(join(dir, 'nanostudio.sqlite'));
    const before = s0.labels.forJob(job.id).length;
    expect(s0.jobs.get(job.id)!.state).toBe('running');
    s0.close();
    expect(before).toBeGreaterThanOrEqual(mid.progress.done);
    expect(before).toBeLessThan(n);

    svc = await start(dir);
    expect(svc.output()).toMatch(new RegExp(`resuming interrupted jobs: ${job.id}`));
    const done = await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.state !== 'running' && j.state !== 'queued', 120_000, 100);
    expect(done.state).toBe('succeeded');
    expect(done.progress).toEqual({ done: n, total: n });
    expect(done.logs.some((l) => /interrupted and is re-queued/.test(l.message))).toBe(true);
    await stopService(svc);

    const s = Store.open(join(dir, 'nanostudio.sqlite'));
    const labels = s.labels.forJob(job.id);
    const frameIds = s.frames.ids(ds.id);
    expect(labels).toHaveLength(n);
    expect(new Set(labels.map((l) => l.frameId)).size).toBe(n);
    for (const id of frameIds) expect(s.labels.forFrame(id).length).toBe(1);
    expect(labels.every((l) => l.status === 'ok')).toBe(true);
    s.close();
  });

  it('trains an ensemble from labeled frames and serves its .dp models', async () => {
    const svc = await start(tempDir());
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-train' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(12, 0.25, 21) });
    const lab = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${lab.id}`), (j) => j.state === 'succeeded', 60_000, 100);
    const settings = { models: 2, steps: 200, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4, startLr: 1e-2, stopLr: 1e-4, decaySteps: 50, startPrefE: 1, limitPrefE: 1, validationFraction: 0.2 };
    const bad = await fetch(`${svc.base}/jobs`, { method: 'POST', headers, body: JSON.stringify({ kind: 'train', datasetId: ds.id, settings: { ...settings, models: 0 } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { field: string }[] }).issues[0].field).toBe('settings.models');
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'train', datasetId: ds.id, name: 'tiny', settings });
    const done = await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.state !== 'running' && j.state !== 'queued', 120_000, 200);
    expect(done.state, JSON.stringify(done.logs)).toBe('succeeded');
    const { ensembles } = await api<{ ensembles: Array<{ id: number; name: string; trainingFrames: number[]; models: Array<{ id: number; seed: number; metrics: Record<string, number>; learningCurve: unknown[] }> }> }>(svc.base, 'GET', '/ensembles');
    expect(ensembles).toHaveLength(1);
    const e = ensembles[0];
    expect(e.name).toBe('tiny');
    expect(e.trainingFrames).toHaveLength(12);
    expect(e.models.map((m) => m.seed)).toEqual([1, 2]);
    expect(e.models[0].learningCurve.length).toBeGreaterThan(5);
    expect(e.models[0].metrics.rmseEnergyPerAtomTrain).toBeGreaterThan(0);
    const bytes = new Uint8Array(await (await fetch(`${svc.base}/models/${e.models[1].id}/file`)).arrayBuffer());
    const model = await loadDpModel(bytes, 'm.dp');
    const f = cuFrames(1, 0.1, 99)[0];
    expect(Number.isFinite(new DpCalculator(model).compute(makeFrame(f.symbols, f.positions.flat())).energy)).toBe(true);
    const tar = readTar(new Uint8Array(await (await fetch(`${svc.base}/ensembles/${e.id}/export`)).arrayBuffer()));
    expect([...tar.keys()].filter((k) => k.endsWith('.dp'))).toHaveLength(2);
    await stopService(svc);
  });

  it('runs a CP2K label job: a converged frame is labeled, a broken one is kept as failed with its reason', async () => {
    const svc = await start(tempDir());
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu2-cp2k' });
    const { ids } = await api<{ ids: number[] }>(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: [
      { symbols: ['Cu', 'Cu'], positions: [[0, 0, 0], [0, 0, 2.2]] },
      { symbols: ['Cu', 'Cu'], positions: [[0, 0, 0], [0, 0, 0.2]] },
    ] });
    const calculator = { kind: 'cp2k', settings: { basis: 'DZVP-MOLOPT-SR-GTH', cutoff: 200, relCutoff: 40, vacuum: 5 } };
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator });
    const done = await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.state !== 'running' && j.state !== 'queued', 180_000, 250);
    expect(done.state).toBe('succeeded');
    const { labels } = await api<{ labels: Array<{ frameId: number; status: string; reason: string | null; energy: number | null; calculator: string }> }>(svc.base, 'GET', `/jobs/${job.id}/labels`);
    expect(labels).toHaveLength(2);
    const ok = labels.find((l) => l.frameId === ids[0])!;
    const bad = labels.find((l) => l.frameId === ids[1])!;
    expect(ok.status, ok.reason ?? '').toBe('ok');
    expect(ok.energy!).toBeLessThan(-2000);
    expect(ok.calculator).toMatch(/^cp2k:PBE-D3\/DZVP-MOLOPT-SR-GTH/);
    expect(bad.status).toBe('failed');
    expect(bad.reason).toMatch(/overlap/);
    expect(done.logs.some((l) => /label failed/.test(l.message))).toBe(true);
    const ds2 = await api<{ frameCount: number; labeledCount: number }>(svc.base, 'GET', `/datasets/${ds.id}`);
    expect(ds2).toMatchObject({ frameCount: 2, labeledCount: 1 });
    await stopService(svc);
  });
});
