/**
 * The real backend for e2e tests: `nanostudio serve` as a child process on a free port with a
 * temp data folder and a known token, its CORS list admitting the e2e preview origin; plus small
 * API helpers (with the token) to seed data the way a user's earlier sessions would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess, stopService, type ServiceProcess } from '../../test/backend/service-process.ts';

export interface E2eBackend {
  base: string;
  token: string;
  proc: ServiceProcess;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stop the service (its data folder stays; `restart` brings it back). */
  halt(): Promise<void>;
  /** Start it again on the same port and data folder, with `token` (e.g. a new one: the page's becomes wrong). */
  restart(token: string): Promise<void>;
  /** Stop it and remove its data folder. */
  stop(): Promise<void>;
}

/** The token line `nanostudio serve` prints at start when it generated the token ("token (new, stored in PATH): HEX"). */
export const PRINTED_TOKEN = /^token \(new, stored in [^)]*\): ([0-9a-f]{64})$/m;

/** The token the service printed, waiting a little for the line (it follows the "listening on" line). */
async function printedToken(proc: ServiceProcess): Promise<string> {
  for (let k = 0; k < 100; k++) {
    const m = PRINTED_TOKEN.exec(proc.output());
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the service printed no token line:\n${proc.output()}`);
}

/**
 * Start the service; `origin` is the page's origin (the e2e preview), added to --cors-origin.
 * With `printedToken` the service generates its token as on a user's first start (no
 * NANOSTUDIO_TOKEN) and the token is read from what it printed; otherwise a known token is set.
 */
export async function startBackend(origin: string, opts: { printedToken?: boolean } = {}): Promise<E2eBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'nanostudio-e2e-'));
  const known = `e2e-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const proc = opts.printedToken
    ? await startServiceProcess(join(dir, 'data'), '', ['--cors-origin', origin], { env: { NANOSTUDIO_TOKEN: '' } })
    : await startServiceProcess(join(dir, 'data'), known, ['--cors-origin', origin]);
  const token = opts.printedToken ? await printedToken(proc) : known;
  const port = new URL(proc.base).port;
  const b: E2eBackend = {
    base: proc.base, token, proc,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${b.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${b.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async halt() {
      await stopService(b.proc);
    },
    async restart(newToken: string) {
      await stopService(b.proc);
      // The last --port wins over the helper's --port 0.
      b.proc = await startServiceProcess(join(dir, 'data'), newToken, ['--cors-origin', origin, '--port', port]);
      if (b.proc.base !== b.base) throw new Error(`restarted on ${b.proc.base}, not ${b.base}`);
      b.token = newToken;
    },
    async stop() {
      await stopService(b.proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return b;
}

/** A Cu13 cuboctahedron (nearest neighbours 2.556 Å) with every atom displaced by up to `amp` Å, deterministic in `seed`. Positions flat, Å. */
export function cu13(seed: number, amp = 0.15): { symbols: string[]; positions: number[] } {
  const h = 3.615 / 2;
  const pts: number[][] = [[0, 0, 0]];
  for (const [a, b] of [[h, h], [h, -h], [-h, h], [-h, -h]]) pts.push([a, b, 0], [a, 0, b], [0, a, b]);
  let s = seed * 2654435761 % 4294967296;
  const rnd = (): number => { s = (1664525 * s + 1013904223) % 4294967296; return s / 4294967296 - 0.5; };
  return { symbols: pts.map(() => 'Cu'), positions: pts.flatMap((p) => p.map((x) => x + 2 * amp * rnd())) };
}

/**
 * Seed labeled frames as a user's earlier session would: add `frames` to data set `datasetId`
 * (with `provenance`, e.g. the iteration they were explored in), label them with EAM and wait for
 * the job. Returns the frame ids.
 */
export async function addLabeledFrames(b: E2eBackend, datasetId: number, frames: { symbols: string[]; positions: number[] }[], provenance: Record<string, unknown> = {}): Promise<number[]> {
  const { ids } = await b.api<{ ids: number[] }>('POST', `/datasets/${datasetId}/frames`, { frames, provenance });
  const job = await b.api<{ id: number }>('POST', '/jobs', { kind: 'label', datasetId, frameIds: ids, calculator: { kind: 'eam' } });
  for (let k = 0; k < 1200; k++) {
    const { state } = await b.api<{ state: string }>('GET', `/jobs/${job.id}`);
    if (state === 'succeeded') return ids;
    if (state === 'failed' || state === 'cancelled') throw new Error(`label job ${job.id} ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`label job ${job.id} did not finish in 120 s`);
}
