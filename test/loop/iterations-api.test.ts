// The iteration model (contract 2) through the HTTP API (fastify inject on an in-memory store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/backend/server.ts';
import { Store } from '../../src/backend/store/store.ts';
import { MIGRATIONS, migrate } from '../../src/backend/store/migrations.ts';
import { IterationRepo } from '../../src/backend/store/iterations.ts';
import { TOKEN, cuFrames, tempDir } from '../backend/helpers.ts';

const auth = { authorization: `Bearer ${TOKEN}` };

describe('iterations API', () => {
  let app: FastifyInstance;
  let store: Store;
  beforeAll(async () => {
    store = Store.open(':memory:');
    app = await buildServer({ store, runner: null, token: TOKEN, dataDir: tempDir() });
  });
  afterAll(async () => { await app.close(); store.close(); });

  const post = (url: string, payload: unknown, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url, payload: payload as object, headers });

  it('are described in /openapi.json, mutations with the bearer scheme', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/datasets/{id}/iterations']).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/iterations/{id}'].get).toBeDefined();
    expect(doc.paths['/iterations/{id}'].patch.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/iterations/{id}/exploration'].post.requestBody.content['application/json'].schema.properties.trustLo).toBeDefined();
    expect(doc.paths['/iterations/{id}/ensemble'].post.security).toEqual([{ bearer: [] }]);
  });

  it('open, explore, select, label, attach an ensemble and close an iteration: the summary follows', async () => {
    const ds = (await post('/datasets', { name: 'loop-api' })).json();
    const it0 = await post(`/datasets/${ds.id}/iterations`, { note: 'first', status: 'training' });
    expect(it0.statusCode).toBe(201);
    const s0 = it0.json();
    expect(s0).toMatchObject({ datasetId: ds.id, number: 0, note: 'first', status: 'training', exploration: [], framesSelected: 0,
      framesLabeled: 0, framesFailed: 0, datasetSize: 0, ensembleId: null, rmse: { train: null, validation: null }, stageSeconds: {} });
    expect((await post(`/datasets/${ds.id}/iterations`, {})).json()).toMatchObject({ number: 1, status: 'exploring' });

    // exploration entries: one per system; the same system again replaces it
    const cl = { system: 'Cu13', kind: 'cluster', frames: 10, accurate: 6, candidate: 3, failed: 1, trustLo: 0.05, trustHi: 0.2 };
    expect((await post(`/iterations/${s0.id}/exploration`, cl, {})).statusCode).toBe(401);
    expect((await post(`/iterations/${s0.id}/exploration`, cl)).statusCode).toBe(201);
    await post(`/iterations/${s0.id}/exploration`, { ...cl, system: 'fcc', kind: 'bulk', frames: 4, accurate: 4, candidate: 0, failed: 0 });
    const replaced = (await post(`/iterations/${s0.id}/exploration`, { ...cl, frames: 12, accurate: 8 })).json();
    expect(replaced.exploration).toEqual([
      { ...cl, frames: 12, accurate: 8 },
      { ...cl, system: 'fcc', kind: 'bulk', frames: 4, accurate: 4, candidate: 0, failed: 0 },
    ]);
    const bad = await post(`/iterations/${s0.id}/exploration`, { ...cl, frames: 11 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('frames');
    expect((await post(`/iterations/${s0.id}/exploration`, { ...cl, kind: 'liquid' })).json().issues[0].field).toBe('kind');
    expect((await post('/iterations/999/exploration', cl)).statusCode).toBe(404);

    // three frames selected in this iteration, one frame from elsewhere
    const frames = cuFrames(4);
    const ids = (await post(`/datasets/${ds.id}/frames`, { frames: frames.slice(0, 3), provenance: { iterationId: s0.id, source: 'md' } })).json().ids as number[];
    const other = (await post(`/datasets/${ds.id}/frames`, { frames: frames.slice(3) })).json().ids as number[];
    store.labels.recordForJob(null, ids[0], 'eam', { status: 'ok', energy: -40, forces: new Float64Array(39) }, 0.1);
    store.labels.recordForJob(null, ids[1], 'eam', { status: 'failed', reason: 'scf' }, 0.1);
    store.labels.recordForJob(null, other[0], 'eam', { status: 'ok', energy: -41, forces: new Float64Array(39) }, 0.1);
    let s = (await app.inject({ method: 'GET', url: `/iterations/${s0.id}` })).json();
    expect(s).toMatchObject({ framesSelected: 3, framesLabeled: 1, framesFailed: 1, datasetSize: 2 });

    // an ensemble trained outside the runner, attached to the iteration
    const model = (seed: number, e: number) => ({ seed, format: 'dp', content: Buffer.from(`model ${seed}`).toString('base64'),
      metrics: { rmseEnergyPerAtomTrain: e, rmseForceTrain: 10 * e, rmseEnergyPerAtomValidation: 2 * e, rmseForceValidation: 20 * e } });
    const badEns = await post(`/iterations/${s0.id}/ensemble`, { name: 'x', trainingFrames: [99999], models: [model(1, 0.001)] });
    expect(badEns.statusCode).toBe(400);
    expect(badEns.json().issues[0].field).toBe('trainingFrames');
    const ens = await post(`/iterations/${s0.id}/ensemble`, { name: 'iter 0', trainingFrames: [ids[0], other[0]], models: [model(1, 0.001), model(2, 0.003)] });
    expect(ens.statusCode).toBe(201);
    const ensembleId = ens.json().ensembleId as number;
    s = ens.json().iteration;
    expect(s.ensembleId).toBe(ensembleId);
    expect(s.rmse.train.energyPerAtom).toBeCloseTo(0.002, 12);
    expect(s.rmse.train.force).toBeCloseTo(0.02, 12);
    expect(s.rmse.validation.energyPerAtom).toBeCloseTo(0.004, 12);
    const e = (await app.inject({ method: 'GET', url: `/ensembles/${ensembleId}` })).json();
    expect(e).toMatchObject({ iterationId: s0.id, datasetId: ds.id, trainingFrames: [ids[0], other[0]] });
    const file = await app.inject({ method: 'GET', url: `/models/${e.models[1].id}/file` });
    expect(file.body).toBe('model 2');

    // stage times merge; done freezes the data-set size
    await app.inject({ method: 'PATCH', url: `/iterations/${s0.id}`, payload: { stageSeconds: { train: 12.5, explore: 3 } }, headers: auth });
    const done = (await app.inject({ method: 'PATCH', url: `/iterations/${s0.id}`, payload: { status: 'done', stageSeconds: { explore: 4, label: 1 } }, headers: auth })).json();
    expect(done).toMatchObject({ status: 'done', datasetSize: 2, stageSeconds: { train: 12.5, explore: 4, label: 1 } });
    expect(done.closedAt).toEqual(expect.any(String));
    store.labels.recordForJob(null, ids[2], 'eam', { status: 'ok', energy: -39, forces: new Float64Array(39) }, 0.1);
    s = (await app.inject({ method: 'GET', url: `/iterations/${s0.id}` })).json();
    expect(s).toMatchObject({ datasetSize: 2, framesLabeled: 2 });
    const badPatch = await app.inject({ method: 'PATCH', url: `/iterations/${s0.id}`, payload: { status: 'finished' }, headers: auth });
    expect(badPatch.json().issues[0].field).toBe('status');
    expect((await app.inject({ method: 'PATCH', url: '/iterations/999', payload: {}, headers: auth })).statusCode).toBe(404);

    const list = (await app.inject({ method: 'GET', url: `/datasets/${ds.id}/iterations` })).json();
    expect(list.iterations.map((i: { number: number; status: string; datasetSize: number }) => [i.number, i.status, i.datasetSize])).toEqual([[0, 'done', 2], [1, 'exploring', 3]]);
    expect((await app.inject({ method: 'GET', url: '/datasets/999/iterations' })).statusCode).toBe(404);
  });

  it('a train job can name its iteration (of the same data set only)', async () => {
    const a = (await post('/datasets', { name: 'loop-a' })).json();
    const b = (await post('/datasets', { name: 'loop-b' })).json();
    const itB = (await post(`/datasets/${b.id}/iterations`, {})).json();
    const wrong = await post('/jobs', { kind: 'train', datasetId: a.id, iterationId: itB.id, settings: { steps: 10 } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues[0].field).toBe('iterationId');
    const ok = await post('/jobs', { kind: 'train', datasetId: b.id, iterationId: itB.id, settings: { steps: 10 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().params.iterationId).toBe(itB.id);
  });
});

describe('iteration migration', () => {
  it('keeps iterations of a version-1 database and gives them status exploring', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version === 1));
    db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('old', 'x')`).run();
    db.prepare(`INSERT INTO iterations (dataset_id, number, note, created_at) VALUES (1, 0, 'kept', 'x')`).run();
    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version));
    expect(new IterationRepo(db).summary(1)).toMatchObject({ number: 0, note: 'kept', status: 'exploring', exploration: [], framesSelected: 0 });
    db.close();
  });
});
