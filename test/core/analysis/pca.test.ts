import { describe, expect, it } from 'vitest';
import { pca, project, symmetricEigen } from '../../../src/core/analysis/pca.ts';
import { Rng } from '../../../src/core/random.ts';

/** n samples of a d-dimensional Gaussian with standard deviations `sd` along the axes of a random orthonormal basis. */
function anisotropic(n: number, d: number, sd: number[], seed: number): { x: Float64Array; basis: Float64Array } {
  const rng = new Rng(seed);
  const basis = new Float64Array(d * d);
  for (let i = 0; i < basis.length; i++) basis[i] = rng.normal();
  // Gram–Schmidt rows.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += basis[i * d + c] * basis[j * d + c];
      for (let c = 0; c < d; c++) basis[i * d + c] -= dot * basis[j * d + c];
    }
    let nr = 0;
    for (let c = 0; c < d; c++) nr += basis[i * d + c] ** 2;
    for (let c = 0; c < d; c++) basis[i * d + c] /= Math.sqrt(nr);
  }
  const x = new Float64Array(n * d);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < d; a++) {
      const z = (sd[a] ?? 0.01) * rng.normal();
      for (let c = 0; c < d; c++) x[s * d + c] += z * basis[a * d + c];
    }
    for (let c = 0; c < d; c++) x[s * d + c] += 3 + c * 0.1; // an offset the centring must remove
  }
  return { x, basis };
}

/** Covariance (population) of rows, computed directly. */
function covariance(x: Float64Array, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let s = 0; s < n; s++) for (let c = 0; c < d; c++) m[c] += x[s * d + c] / n;
  const C = new Float64Array(d * d);
  for (let s = 0; s < n; s++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += ((x[s * d + a] - m[a]) * (x[s * d + b] - m[b])) / n;
  return C;
}

/** max_c |(C v − λ v)_c| for a unit vector v. */
function eigenResidual(C: Float64Array, d: number, v: Float64Array, lambda: number): number {
  let worst = 0;
  for (let a = 0; a < d; a++) {
    let t = 0;
    for (let b = 0; b < d; b++) t += C[a * d + b] * v[b];
    worst = Math.max(worst, Math.abs(t - lambda * v[a]));
  }
  return worst;
}

describe('PCA', () => {
  it('Jacobi eigen-decomposition of a 3×3 matrix with known eigenvalues', () => {
    // [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 5, 3, 1.
    const e = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(Array.from(e.values).map((v) => +v.toFixed(12))).toEqual([5, 3, 1]);
    expect(Math.abs(e.vectors[3] * e.vectors[4])).toBeCloseTo(0.5, 12); // (1,1,0)/√2 for λ = 3
  });

  for (const d of [6, 90]) {
    it(`recovers the leading axes of an anisotropic Gaussian (d = ${d}, ${d <= 64 ? 'exact covariance' : 'subspace iteration'})`, () => {
      const n = 600;
      const { x, basis } = anisotropic(n, d, [3, 2, 1], 7);
      const r = pca(x, n, d, 2);
      const C = covariance(x, n, d);
      for (let k = 0; k < 2; k++) {
        const v = r.components.subarray(k * d, k * d + d);
        // An eigenvector of the sample covariance with the reported variance (tight), …
        expect(eigenResidual(C, d, v, r.variances[k])).toBeLessThan(1e-8);
        // … close to the generating axis (sampling noise only).
        let dot = 0;
        for (let c = 0; c < d; c++) dot += v[c] * basis[k * d + c];
        expect(Math.abs(dot)).toBeGreaterThan(0.97);
      }
      expect(r.variances[0]).toBeGreaterThan(r.variances[1]);
      let trace = 0;
      for (let c = 0; c < d; c++) trace += C[c * d + c];
      expect(r.totalVariance).toBeCloseTo(trace, 10);
      // Scores have the reported variance and zero mean.
      for (let k = 0; k < 2; k++) {
        let m = 0, v2 = 0;
        for (let s = 0; s < n; s++) { m += r.scores[s * 2 + k] / n; v2 += r.scores[s * 2 + k] ** 2 / n; }
        expect(Math.abs(m)).toBeLessThan(1e-10);
        expect(v2).toBeCloseTo(r.variances[k], 8);
      }
      // project() of the fitted data reproduces the scores.
      const again = project(x, n, d, r.mean, r.components, 2);
      for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(r.scores[i], 10);
    });
  }

  it('is deterministic and names bad input', () => {
    const { x } = anisotropic(50, 80, [2, 1], 3);
    expect(Array.from(pca(x, 50, 80).scores)).toEqual(Array.from(pca(x, 50, 80).scores));
    const bad = new Float64Array(x);
    bad[5 * 80 + 7] = Number.NaN;
    expect(() => pca(bad, 50, 80)).toThrow(/sample 5, feature 7 is NaN/);
    expect(() => pca(x, 1, 80 * 50)).toThrow(/at least 2 samples/);
    expect(() => pca(x, 50, 80, 0)).toThrow(/k must be/);
  });
});
