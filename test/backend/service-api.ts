/** HTTP helpers of the tests that drive a real service process. */
import { TOKEN } from './helpers.ts';

export const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

export interface JobJson { id: number; state: string; progress: { done: number; total: number }; logs: { message: string }[] }

/** One API call with the test token; throws with the status and body when it is not 2xx. */
export async function api<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(base + path, { method, headers: body === undefined ? { authorization: headers.authorization } : headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Poll `fn` until `ok` holds (throws with the last value after timeoutMs: a hang guard, not a timing assertion). */
export async function waitFor<T>(fn: () => Promise<T> | T, ok: (t: T) => boolean, timeoutMs: number, pollMs = 20): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting; last value ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The job once it left queued/running. */
export function waitFinished(base: string, jobId: number, timeoutMs = 120_000): Promise<JobJson> {
  return waitFor(() => api<JobJson>(base, 'GET', `/jobs/${jobId}`), (j) => j.state !== 'running' && j.state !== 'queued', timeoutMs, 100);
}
