/**
 * Loss and exact parameter gradient of a DP-SE (se_e2_a + ener) model on one frame, float64.
 *
 * Per frame (DeePMD's `ener` loss, deepmd/pt/loss/ener.py):
 *   L = p_e·(E − E_ref)²/N + p_f·(1/3N)·Σ_ic (F_ic − F_ref,ic)²          (eV²/atom and eV²/Å²)
 * with E = Σ_i E_i(R; θ) and F = −∂E/∂R.
 *
 * Gradient (exact, "reverse over forward"):
 *   ∂L/∂θ = a·∂E/∂θ + b·∂Φ/∂θ,   a = 2 p_e ΔE/N,  b = −2 p_f/(3N),
 *   Φ(θ) = Σ_i v_i·∂E/∂R_i = d/dε E(R + ε v; θ)|₀   with v = F − F_ref held fixed,
 * because ∂L_F/∂θ = −(2p_f/3N) Σ_i v_i·∂²E/∂R_i∂θ. Φ is a directional derivative, computed by
 * forward-mode tangents (every forward quantity x carries ẋ = dx/dε along v); one reverse sweep
 * over the primal AND tangent computations with seeds Ē_i = a, Φ̄ = Ė̄_i = b then gives the whole
 * gradient at once. No finite differences: the result is exact to round-off.
 *
 * Pass structure of lossAndGradient() (the passes live in ./passes/, one file each):
 *   A. forward (env matrix, embedding nets with their s-tangents dG/ds, gr, D, fitting net) → E,
 *      and the analytic force pass (reverse to positions, docs/dp-se.md §4.2) → F, v = F − F_ref
 *      (passes/energy-forces.ts, descriptor-pass.ts, force-pass.ts);
 *   B. per atom: tangents ṡ, Ṙ of the env rows along v, ġr, Ḋ, the fitting net with tangents
 *      (→ Ė_i, Σ Ė_i = Φ = −v·F), then the reverse sweep: fitting parameters, D̄ and Ḋ̄, ḡr and
 *      ġr̄, and per neighbour the embedding net reversed with output seeds (Ḡ, Ġ̄) — the embedding
 *      tangent is ṡ times its unit s-tangent cached in pass A. Padding slots (fixed R_pad, no
 *      tangent) are accumulated per (centre type, neighbour type) and reversed once per frame
 *      (passes/descriptor-tangent.ts, loss-gradient.ts).
 * Embedding and fitting nets share one dense-layer forward/tangent/reverse (passes/net-tape.ts);
 * θ's layout is passes/param-layout.ts.
 * Parameters: every layer's w, b, idt (trainable); davg/dstd, bias_atom_e and out_bias are fixed
 * (as in DeePMD, where they are statistics/buffers).
 *
 * Requirements: tanh hidden layers (last fitting layer linear), davg/dstd constant over slots
 * (true for every model whose statistics DeePMD or this trainer computed), no type exclusions.
 */
import type { DpModel } from '../potentials/dp/model.ts';
import { cloneDpModel } from './init.ts';
import type { LabeledFrame } from './types.ts';
import { readParams, writeParams } from './passes/param-layout.ts';
import { prepareFrame, type PreparedFrame } from './passes/frame-prepare.ts';
import { makeTrainCore, makeWorkspace, type TrainCore, type TrainWorkspace } from './passes/workspace.ts';
import { energyForces, type EnergyForces } from './passes/energy-forces.ts';
import { energyGradient, lossAndGradient, type FrameLoss } from './passes/loss-gradient.ts';

export type { PreparedFrame } from './passes/frame-prepare.ts';
export type { FrameLoss } from './passes/loss-gradient.ts';

export class DpTrainEngine {
  /** Flat trainable parameters (all w, b, idt; embeddings first, then fitting nets). */
  readonly theta: Float64Array;
  /** Gradient accumulator, same layout as theta. */
  readonly grad: Float64Array;
  readonly model: DpModel;
  readonly T: number;
  readonly M: number;
  readonly Ma: number;
  readonly nnei: number;
  private readonly core: TrainCore;
  private readonly ws: TrainWorkspace;
  private readonly onWarning: (m: string) => void;
  private warnedTruncation = false;

  constructor(model: DpModel, opts: { onWarning?: (m: string) => void } = {}) {
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`warning: ${m}`));
    this.core = makeTrainCore(cloneDpModel(model));
    this.ws = makeWorkspace(this.core);
    const c = this.core;
    this.model = c.model;
    this.theta = c.theta;
    this.grad = c.grad;
    this.T = c.T;
    this.M = c.M;
    this.Ma = c.Ma;
    this.nnei = c.nnei;
  }

  /** Number of trainable parameters. */
  get size(): number {
    return this.theta.length;
  }

  /** Copy a model's weights (same architecture) into θ. */
  readParams(model: DpModel): void {
    readParams(this.core.layout, model, this.theta);
  }

  /** A new DpModel (fresh arrays) holding the current θ. */
  toModel(): DpModel {
    const m = cloneDpModel(this.model);
    writeParams(this.core.layout, this.theta, m);
    return m;
  }

  /** Neighbour slots and padding counts of a labeled frame (positions Å, energy eV, forces eV/Å). */
  prepare(lf: LabeledFrame): PreparedFrame {
    return prepareFrame(this.model, lf, (slots) => {
      if (this.warnedTruncation) return;
      this.warnedTruncation = true;
      this.onWarning(`${slots.truncatedAtoms} atom(s) of a training frame have more neighbours within rcut than sel allows (max per type [${slots.maxPerType.join(', ')}] vs sel [${this.model.descriptor.sel.join(', ')}]); the nearest are kept as DeePMD-kit v3 does`);
    });
  }

  /**
   * Pass A: energy (eV) and, when wanted, forces (eV/Å, a view valid until the next call) with
   * the current θ; fills the caches pass B needs.
   */
  forward(pf: PreparedFrame, wantForces: boolean): EnergyForces {
    return energyForces(this.core, this.ws, pf, wantForces);
  }

  /**
   * Loss of one frame with prefactors prefE (energy), prefF (force) and prefV (virial), and `scale`·∂L/∂θ
   * added to this.grad (scale = 1/batch size); see passes/loss-gradient.ts.
   */
  lossAndGradient(pf: PreparedFrame, prefE: number, prefF: number, scale: number, prefV = 0): FrameLoss {
    return lossAndGradient(this.core, this.ws, pf, prefE, prefF, scale, prefV);
  }

  /** ∂E/∂θ only (into this.grad, scaled), returns E (eV). For tests and energy-only uses. */
  energyGradient(pf: PreparedFrame, scale = 1): number {
    return energyGradient(this.core, this.ws, pf, scale);
  }
}
