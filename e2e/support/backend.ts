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
  stop(): Promise<void>;
}

/** Start the service; `origin` is the page's origin (the e2e preview), added to --cors-origin. */
export async function startBackend(origin: string): Promise<E2eBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'nanostudio-e2e-'));
  const token = `e2e-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const proc = await startServiceProcess(join(dir, 'data'), token, ['--cors-origin', origin]);
  const base = proc.base;
  return {
    base, token, proc,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async stop() {
      await stopService(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
