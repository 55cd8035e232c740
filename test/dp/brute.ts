/**
 * An independent, deliberately naive energy-only evaluation of a DpModel written straight from
 * the spec's pseudo-code (§3.1 extended images, §3.2 v3 neighbour selection with padding slots
 * pushed through the nets, §3.3–3.8): no cell lists, no padding tables, no tangents, its own
 * activation formulas. O(N²·images); for tests only.
 */
import type { DpModel, DpNetwork } from '../../src/core/potentials/dp/model.ts';
import type { Frame } from '../../src/core/atoms.ts';

function act(name: string, x: number): number {
  const n = name.toLowerCase();
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  if (n === 'tanh') return Math.tanh(x);
  if (n === 'none' || n === 'linear') return x;
  if (n === 'relu') return Math.max(0, x);
  if (n === 'relu6') return Math.min(6, Math.max(0, x));
  if (n === 'softplus') return Math.log(1 + Math.exp(x));
  if (n === 'sigmoid') return sig(x);
  if (n === 'silu') return x * sig(x);
  if (n === 'gelu' || n === 'gelu_tf') return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
  if (n.startsWith('silut') || n.startsWith('custom_silu')) {
    const t = n.includes(':') ? Number(n.split(':')[1]) : 3;
    const slope = sig(t) + t * sig(t) * (1 - sig(t));
    return x < t ? x * sig(x) : Math.tanh(slope * (x - t)) + t * sig(t);
  }
  throw new Error(`brute: activation ${name}`);
}

function net(nw: DpNetwork, input: number[]): number[] {
  let x = input;
  for (const l of nw.layers) {
    const y: number[] = [];
    for (let o = 0; o < l.nOut; o++) {
      let z = l.b ? l.b[o] : 0;
      for (let i = 0; i < l.nIn; i++) z += x[i] * l.w[i * l.nOut + o];
      let v = act(l.activation, z);
      if (l.idt) v *= l.idt[o];
      if (l.resnet && l.nOut === l.nIn) v += x[o];
      else if (l.resnet && l.nOut === 2 * l.nIn) v += x[o % l.nIn];
      y.push(v);
    }
    x = y;
  }
  return x;
}

/** Total and atomic energies (eV) of a frame (types by symbol via type_map). */
export function bruteEnergy(model: DpModel, frame: Frame): { energy: number; atomic: number[] } {
  const d = model.descriptor;
  const T = model.ntypes;
  const n = frame.symbols.length;
  const types = frame.symbols.map((s) => model.typeMap.indexOf(s));
  // §3.1 extended coordinates (all pbc directions of the frame periodic or none).
  let coord = Array.from(frame.positions);
  const ext: { x: number[]; owner: number }[] = [];
  const periodic = frame.cell && frame.pbc.some(Boolean);
  if (periodic) {
    const c = frame.cell!;
    const det = c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) + c[2] * (c[3] * c[7] - c[4] * c[6]);
    const row = (k: number) => [c[3 * k], c[3 * k + 1], c[3 * k + 2]];
    const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const h = [0, 1, 2].map((a) => Math.abs(det) / Math.hypot(...cross(row((a + 1) % 3), row((a + 2) % 3))));
    const nimg = h.map((hh, a) => (frame.pbc[a] ? Math.ceil(d.rcut / hh) : 0));
    // Wrapping is not needed for energies (translation of a whole image set); keep raw coordinates.
    coord = Array.from(frame.positions);
    for (let a = -nimg[0]; a <= nimg[0]; a++) for (let b = -nimg[1]; b <= nimg[1]; b++) for (let e = -nimg[2]; e <= nimg[2]; e++) {
      for (let i = 0; i < n; i++) {
        ext.push({ owner: i, x: [0, 1, 2].map((k) => coord[3 * i + k] + a * c[k] + b * c[3 + k] + e * c[6 + k]) });
      }
    }
    // home image of atom i is the entry with shift (0,0,0)
  } else {
    for (let i = 0; i < n; i++) ext.push({ owner: i, x: [coord[3 * i], coord[3 * i + 1], coord[3 * i + 2]] });
  }
  const atomic: number[] = [];
  let energy = 0;
  const M = d.neuron[d.neuron.length - 1];
  for (let i = 0; i < n; i++) {
    const ti = types[i];
    const xi = [coord[3 * i], coord[3 * i + 1], coord[3 * i + 2]];
    const cand: { r: number; dv: number[]; t: number }[] = [];
    for (const e of ext) {
      const dv = [0, 1, 2].map((k) => e.x[k] - xi[k]);
      const r = Math.hypot(...dv);
      if (e.owner === i && r === 0) continue; // the centre itself (its images are candidates)
      cand.push({ r, dv, t: types[e.owner] });
    }
    cand.sort((a, b) => a.r - b.r);
    const kept = cand.slice(0, d.nnei).filter((c) => c.r <= d.rcut);
    const slots: ({ r: number; dv: number[]; t: number } | null)[] = new Array(d.nnei).fill(null);
    for (let t = 0; t < T; t++) {
      const ofType = kept.filter((c) => c.t === t).slice(0, d.sel[t]);
      ofType.forEach((c, k) => (slots[d.sec[t] + k] = c));
    }
    const gr = Array.from({ length: M }, () => [0, 0, 0, 0]);
    for (let t = 0; t < T; t++) {
      const nw = d.embeddings.networks[d.typeOneSide ? t : ti + T * t];
      for (let j = d.sec[t]; j < d.sec[t + 1]; j++) {
        let c = slots[j];
        if (c && model.pairExcludeTypes.some(([a, b]) => a === ti && b === c!.t)) c = null; // becomes padding
        let e = [0, 0, 0, 0];
        if (c) {
          const u = Math.min(1, Math.max(0, (c.r - d.rcutSmth) / (d.rcut - d.rcutSmth)));
          const sw = u ** 3 * (-6 * u * u + 15 * u - 10) + 1;
          const rho = c.r + d.envProtection;
          e = [sw / rho, (sw * c.dv[0]) / rho ** 2, (sw * c.dv[1]) / rho ** 2, (sw * c.dv[2]) / rho ** 2];
        }
        const base = (ti * d.nnei + j) * 4;
        let R = [0, 1, 2, 3].map((k) => (e[k] - d.davg[base + k]) / d.dstd[base + k]);
        if (c && d.excludeTypes.some(([a, b]) => a === ti && b === c!.t)) R = [0, 0, 0, 0];
        if (!nw) continue;
        const G = net(nw, [R[0]]);
        for (let a = 0; a < M; a++) for (let k = 0; k < 4; k++) gr[a][k] += G[a] * R[k];
      }
    }
    for (let a = 0; a < M; a++) for (let k = 0; k < 4; k++) gr[a][k] /= d.nnei;
    const D: number[] = [];
    for (let a = 0; a < M; a++) for (let b = 0; b < d.axisNeuron; b++) D.push(gr[a][0] * gr[b][0] + gr[a][1] * gr[b][1] + gr[a][2] * gr[b][2] + gr[a][3] * gr[b][3]);
    let ei = net(model.fitting.nets.networks[model.fitting.mixedTypes ? 0 : ti]!, D)[0] + model.fitting.biasAtomE[ti] + model.outBias[ti];
    if (model.atomExcludeTypes.includes(ti)) ei = 0;
    atomic.push(ei);
    energy += ei;
  }
  return { energy, atomic };
}
