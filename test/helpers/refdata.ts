/** Paths to the shared reference data (numbers nobody on this project wrote). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = resolve(here, '../..');

/** The shared/ folder beside the checkout (CI clones main with shared/ beside it). */
export const SHARED = [resolve(ROOT, '../shared'), process.env.NANOSTUDIO_SHARED ?? ''].find((p) => p && existsSync(p)) ?? resolve(ROOT, '../shared');

/** Absolute path of a file in shared/refdata. */
export function refPath(rel: string): string {
  return resolve(SHARED, 'refdata', rel);
}

/** Parse a JSON file of shared/refdata. */
export function refJson<T = unknown>(rel: string): T {
  return JSON.parse(readFileSync(refPath(rel), 'utf8')) as T;
}

/** Max over atoms of the distance to the nearest point of the other set (both centred), Å. */
export function pointSetDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const centre = (p: ArrayLike<number>) => {
    const n = p.length / 3;
    const c = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) c[k] += p[3 * i + k] / n;
    return Array.from({ length: p.length }, (_, i) => p[i] - c[i % 3]);
  };
  const A = centre(a), B = centre(b);
  if (A.length !== B.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < A.length / 3; i++) {
    let best = Infinity;
    for (let j = 0; j < B.length / 3; j++) {
      const d = Math.hypot(A[3 * i] - B[3 * j], A[3 * i + 1] - B[3 * j + 1], A[3 * i + 2] - B[3 * j + 2]);
      if (d < best) best = d;
    }
    worst = Math.max(worst, best);
  }
  return worst;
}
