// HTTP API round trips through fastify inject (no socket), plus job runs on a temp database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { statSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/backend/server.ts';
import { Store } from '../../src/backend/store/store.ts';
import { loadOrCreateToken } from '../../src/backend/auth.ts';
import { MIGRATIONS } from '../../src/backend/store/migrations.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';

const auth = { authorization: `Bearer ${TOKEN}` };

describe('HTTP API', () => {
  let app: FastifyInstance;
  let store: Store;
  beforeAll(async () => {
    store = Store.open(':memory:');
    app = await buildServer({ store, runner: null, token: TOKEN, dataDir: tempDir(), bodyLimit: 256 * 1024 });
  });
  afterAll(async () => { await app.close(); store.close(); });

  it('serves /healthz and an OpenAPI description of the routes', async () => {
    const h = await app.inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ ok: true, schemaVersion: MIGRATIONS.at(-1)!.version });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/datasets', '/datasets/{id}', '/datasets/{id}/frames', '/jobs', '/jobs/{id}', '/jobs/{id}/events', '/jobs/{id}/cancel', '/datasets/{id}/export']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/datasets'].post.requestBody.content['application/json'].schema.properties.name).toBeDefined();
    expect(doc.paths['/datasets'].post.security).toEqual([{ bearer: [] }]);
  });

  it('requires the bearer token on mutating routes (401 without / with a wrong one)', async () => {
    const none = await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'x' } });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatch(/missing bearer token/);
    const wrong = await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'x' }, headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatch(/wrong bearer token/);
    const del = await app.inject({ method: 'DELETE', url: '/datasets/1' });
    expect(del.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/datasets' })).statusCode).toBe(200);
  });

  it('rejects malformed bodies with 400 naming the field, and oversized ones with 413', async () => {
    const r = await app.inject({ method: 'POST', url: '/datasets', payload: { name: '' }, headers: auth });
    expect(r.statusCode).toBe(400);
    expect(r.json().issues[0].field).toBe('name');
    const ds = (await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'bad-frames' }, headers: auth })).json();
    const bad = await app.inject({ method: 'POST', url: `/datasets/${ds.id}/frames`, headers: auth,
      payload: { frames: [{ symbols: ['Cu', 'Cu'], positions: [0, 0, 0, 0, 0] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { field: string }) => i.field)).toContain('frames.0.positions');
    expect(bad.json().error).toMatch(/frames\.0\.positions/);
    const sym = await app.inject({ method: 'POST', url: `/datasets/${ds.id}/frames`, headers: auth,
      payload: { frames: [{ symbols: ['cu'], positions: [0, 0, 0] }] } });
    expect(sym.json().issues[0].field).toBe('frames.0.symbols.0');
    const json = await app.inject({ method: 'POST', url: '/datasets', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(json.statusCode).toBe(400);
    const job = await app.inject({ method: 'POST', url: '/jobs', headers: auth, payload: { kind: 'label', datasetId: ds.id, calculator: { kind: 'vasp' } } });
    expect(job.statusCode).toBe(400);
    expect(job.json().issues[0].field).toBe('calculator.kind');
    const big = await app.inject({ method: 'POST', url: `/datasets/${ds.id}/frames`, headers: auth, payload: { frames: cuFrames(400) } });
    expect(big.statusCode).toBe(413);
  });

  it('round-trips data sets and frames with provenance', async () => {
    const c = await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'cu13', description: 'test' }, headers: auth });
    expect(c.statusCode).toBe(201);
    const ds = c.json();
    expect((await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'cu13' }, headers: auth })).statusCode).toBe(409);
    const frames = cuFrames(3);
    const add = await app.inject({ method: 'POST', url: `/datasets/${ds.id}/frames`, headers: auth, payload: {
      frames: [...frames, { symbols: ['Cu'], positions: [[0, 0, 0]], cell: [3.6, 0, 0, 0, 3.6, 0, 0, 0, 3.6], pbc: [true, true, true], provenance: { exploration: 'bulk', maxDeviF: 0.3 } }],
      provenance: { source: 'md', exploration: 'nvt-300K', maxDeviF: 0.08, exploredAt: '2026-01-01T00:00:00Z' },
    } });
    expect(add.statusCode).toBe(201);
    expect(add.json().count).toBe(4);
    const list = (await app.inject({ method: 'GET', url: `/datasets/${ds.id}/frames?limit=3` })).json();
    expect(list.frames).toHaveLength(3);
    expect(list.next).toBe(list.frames[2].id);
    expect(list.frames[0].positions).toEqual(frames[0].positions);
    expect(list.frames[0].provenance).toMatchObject({ exploration: 'nvt-300K', maxDeviF: 0.08, source: 'md' });
    const rest = (await app.inject({ method: 'GET', url: `/datasets/${ds.id}/frames?after=${list.next}` })).json();
    expect(rest.frames[0].cell).toEqual([[3.6, 0, 0], [0, 3.6, 0], [0, 0, 3.6]]);
    expect(rest.frames[0].provenance.exploration).toBe('bulk');
    const got = (await app.inject({ method: 'GET', url: `/datasets/${ds.id}` })).json();
    expect(got).toMatchObject({ name: 'cu13', frameCount: 4, labeledCount: 0 });
    const patched = await app.inject({ method: 'PATCH', url: `/datasets/${ds.id}`, payload: { description: 'renamed' }, headers: auth });
    expect(patched.json().description).toBe('renamed');
    expect((await app.inject({ method: 'GET', url: '/datasets/9999' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/datasets/abc' })).json().issues[0].field).toBe('id');
    const it0 = await app.inject({ method: 'POST', url: `/datasets/${ds.id}/iterations`, payload: { note: 'first' }, headers: auth });
    expect(it0.json().number).toBe(0);
    const job = await app.inject({ method: 'POST', url: '/jobs', headers: auth, payload: { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } } });
    expect(job.statusCode).toBe(201);
    expect(job.json()).toMatchObject({ kind: 'label', state: 'queued', progress: { done: 0, total: 4 } });
    const cancel = await app.inject({ method: 'POST', url: `/jobs/${job.json().id}/cancel`, headers: auth });
    expect(cancel.json().state).toBe('cancelled');
    expect((await app.inject({ method: 'POST', url: `/jobs/${job.json().id}/cancel`, headers: auth })).statusCode).toBe(409);
    const d = await app.inject({ method: 'DELETE', url: `/datasets/${ds.id}`, headers: auth });
    expect(d.statusCode).toBe(204);
  });

  it('limits CORS to the configured origins', async () => {
    const ok = await app.inject({ method: 'OPTIONS', url: '/datasets', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' } });
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    const evil = await app.inject({ method: 'GET', url: '/datasets', headers: { origin: 'http://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('token file', () => {
  it('is generated once with mode 0600 and reused; NANOSTUDIO_TOKEN overrides it', () => {
    const dir = tempDir();
    const a = loadOrCreateToken(dir, {});
    expect(a.source).toBe('generated');
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'token'), 'utf8').trim()).toBe(a.token);
    const b = loadOrCreateToken(dir, {});
    expect(b).toMatchObject({ source: 'file', token: a.token });
    expect(loadOrCreateToken(dir, { NANOSTUDIO_TOKEN: 'from-env-token-xyz' })).toMatchObject({ source: 'env', token: 'from-env-token-xyz' });
  });
});
