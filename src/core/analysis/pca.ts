/**
 * Principal component analysis of row vectors (n samples × d features), for the descriptor map
 * (per-atom descriptors projected to 2-D, as the paper does with SOAP).
 *
 * Small d (≤ 64): exact, from the d×d covariance with cyclic Jacobi rotations. Large d (the
 * production DP descriptor has d = 1600): block subspace iteration on the centred data
 * (Halko, Martinsson & Tropp 2011, Alg. 4.4 without the random start's oversampling loss),
 * never forming the covariance: each sweep costs O(n·d·b) for a block of b = k + 6 vectors,
 * then Rayleigh–Ritz on the b×b projected covariance. Deterministic (seeded start), and each
 * component's sign is fixed so that its largest-magnitude loading is positive.
 *
 * Units: whatever the features carry; variances in their square.
 */
import { Rng } from '../random.ts';

export interface PcaResult {
  /** Number of samples and features. */
  n: number;
  d: number;
  /** Mean of each feature (length d). */
  mean: Float64Array;
  /** Principal axes, k × d row-major, unit length, by decreasing variance. */
  components: Float64Array;
  /** Projections of the samples on the axes, n × k row-major. */
  scores: Float64Array;
  /** Variance along each axis (population, divided by n), length k. */
  variances: Float64Array;
  /** Total variance (trace of the covariance). */
  totalVariance: number;
}

export interface PcaOptions {
  /** Subspace-iteration sweeps for large d (default 60). */
  iterations?: number;
  /** Seed of the random start block (default 1). */
  seed?: number;
  /** Called after each sweep with the fraction done (0..1), e.g. to drive a progress bar. */
  onProgress?: (fraction: number) => void;
}

/** Eigen-decomposition of a symmetric m×m matrix (row-major, copied) by cyclic Jacobi: values descending, vectors as rows. */
export function symmetricEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const A = new Float64Array(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q] ** 2;
    if (off < 1e-30 * Math.max(1e-300, diagNorm(A, m))) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (apq === 0) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < m; r++) {
          const arp = A[r * m + p], arq = A[r * m + q];
          A[r * m + p] = c * arp - s * arq;
          A[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = A[p * m + r], aqr = A[q * m + r];
          A[p * m + r] = c * apr - s * aqr;
          A[q * m + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < m; r++) {
          const vpr = V[p * m + r], vqr = V[q * m + r];
          V[p * m + r] = c * vpr - s * vqr;
          V[q * m + r] = s * vpr + c * vqr;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => A[j * m + j] - A[i * m + i]);
  const values = new Float64Array(m), vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    values[dst] = A[src * m + src];
    vectors.set(V.subarray(src * m, src * m + m), dst * m);
  });
  return { values, vectors };
}

function diagNorm(A: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += A[i * m + i] ** 2;
  return s;
}

/** Orthonormalise the b rows (length d) of Q in place (modified Gram–Schmidt, twice). */
function orthonormalRows(Q: Float64Array, b: number, d: number, rng: Rng): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < b; i++) {
      const qi = Q.subarray(i * d, i * d + d);
      for (let j = 0; j < i; j++) {
        const qj = Q.subarray(j * d, j * d + d);
        let dot = 0;
        for (let c = 0; c < d; c++) dot += qi[c] * qj[c];
        for (let c = 0; c < d; c++) qi[c] -= dot * qj[c];
      }
      let nrm = 0;
      for (let c = 0; c < d; c++) nrm += qi[c] * qi[c];
      nrm = Math.sqrt(nrm);
      if (nrm < 1e-300) {
        // The block lost rank (data of rank < b): refill with noise and redo this row.
        for (let c = 0; c < d; c++) qi[c] = rng.normal();
        i--;
        continue;
      }
      for (let c = 0; c < d; c++) qi[c] /= nrm;
    }
  }
}

/** Y (b×d) = Cov · Q^T as rows, with Cov = Xcᵀ Xc / n and Xc the centred data; Xc is never formed. */
function covTimes(x: Float64Array, mean: Float64Array, n: number, d: number, Q: Float64Array, b: number, Y: Float64Array): void {
  Y.fill(0);
  const t = new Float64Array(b);
  for (let s = 0; s < n; s++) {
    const row = s * d;
    t.fill(0);
    for (let c = 0; c < d; c++) {
      const v = x[row + c] - mean[c];
      if (v === 0) continue;
      for (let j = 0; j < b; j++) t[j] += v * Q[j * d + c];
    }
    for (let c = 0; c < d; c++) {
      const v = x[row + c] - mean[c];
      if (v === 0) continue;
      for (let j = 0; j < b; j++) Y[j * d + c] += v * t[j];
    }
  }
  for (let i = 0; i < Y.length; i++) Y[i] /= n;
}

/**
 * The k leading principal components of `data` (n rows of length d, row-major).
 * Throws for n < 2, k < 1, k > min(n, d), or non-finite input (naming the sample and feature).
 */
export function pca(data: Float64Array, n: number, d: number, k = 2, opts: PcaOptions = {}): PcaResult {
  if (!Number.isInteger(n) || n < 2) throw new Error(`PCA needs at least 2 samples, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`PCA needs at least 1 feature, got ${d}`);
  if (data.length !== n * d) throw new Error(`PCA data has ${data.length} numbers, expected ${n} × ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) throw new Error(`PCA: k must be in 1..${Math.min(n, d)}, got ${k}`);
  const mean = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let c = 0; c < d; c++) {
      const v = data[s * d + c];
      if (!Number.isFinite(v)) throw new Error(`PCA: sample ${s}, feature ${c} is ${v}`);
      mean[c] += v;
    }
  }
  for (let c = 0; c < d; c++) mean[c] /= n;
  let totalVariance = 0;
  for (let s = 0; s < n; s++) for (let c = 0; c < d; c++) totalVariance += (data[s * d + c] - mean[c]) ** 2;
  totalVariance /= n;

  let axes: Float64Array, values: Float64Array;
  if (d <= 64) {
    const cov = new Float64Array(d * d);
    for (let s = 0; s < n; s++) {
      for (let a = 0; a < d; a++) {
        const va = data[s * d + a] - mean[a];
        for (let b = a; b < d; b++) cov[a * d + b] += va * (data[s * d + b] - mean[b]);
      }
    }
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n;
    const e = symmetricEigen(cov, d);
    axes = e.vectors.slice(0, k * d);
    values = e.values.slice(0, k);
    opts.onProgress?.(1);
  } else {
    const b = Math.min(d, k + 6);
    const rng = new Rng(opts.seed ?? 1);
    const Q = new Float64Array(b * d);
    for (let i = 0; i < Q.length; i++) Q[i] = rng.normal();
    orthonormalRows(Q, b, d, rng);
    const Y = new Float64Array(b * d);
    const iters = opts.iterations ?? 60;
    for (let it = 0; it < iters; it++) {
      covTimes(data, mean, n, d, Q, b, Y);
      Q.set(Y);
      orthonormalRows(Q, b, d, rng);
      opts.onProgress?.((it + 1) / (iters + 1));
    }
    // Rayleigh–Ritz: H = Q Cov Qᵀ (b×b), then rotate the block by H's eigenvectors.
    covTimes(data, mean, n, d, Q, b, Y);
    const H = new Float64Array(b * b);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += Q[i * d + c] * Y[j * d + c];
        H[i * b + j] = s;
      }
    }
    for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) H[i * b + j] = H[j * b + i] = 0.5 * (H[i * b + j] + H[j * b + i]);
    const e = symmetricEigen(H, b);
    axes = new Float64Array(k * d);
    for (let r = 0; r < k; r++) {
      for (let j = 0; j < b; j++) {
        const w = e.vectors[r * b + j];
        for (let c = 0; c < d; c++) axes[r * d + c] += w * Q[j * d + c];
      }
    }
    values = e.values.slice(0, k);
    opts.onProgress?.(1);
  }
  // Sign convention: the largest-magnitude loading of each axis is positive.
  for (let r = 0; r < k; r++) {
    let big = 0;
    for (let c = 0; c < d; c++) if (Math.abs(axes[r * d + c]) > Math.abs(big)) big = axes[r * d + c];
    if (big < 0) for (let c = 0; c < d; c++) axes[r * d + c] = -axes[r * d + c];
  }
  return { n, d, mean, components: axes, scores: project(data, n, d, mean, axes, k), variances: values.map((v) => Math.max(0, v)), totalVariance };
}

/** Project rows (n × d) on PCA axes fitted elsewhere (e.g. the current run onto the data set's map): n × k scores. */
export function project(data: Float64Array, n: number, d: number, mean: Float64Array, components: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s++) {
    for (let r = 0; r < k; r++) {
      let t = 0;
      for (let c = 0; c < d; c++) t += (data[s * d + c] - mean[c]) * components[r * d + c];
      out[s * k + r] = t;
    }
  }
  return out;
}
