/**
 * The `ener` fitting of one atom (docs/dp-se.md §3.7):
 *   E_i = FitNet_{ti}(D_i)[0] + bias_atom_e[ti] + out_bias[ti]   (eV), 0 for atom_exclude_types,
 * and ∂E_i/∂D_i by reverse mode through the fitting net.
 */
import type { DpModel } from './model.ts';
import { PreparedNetwork } from './network.ts';

export class EnerFitting {
  private readonly nets: PreparedNetwork[];
  private readonly model: DpModel;
  private readonly excluded: Uint8Array;
  private readonly one = Float64Array.of(1);

  constructor(model: DpModel) {
    this.model = model;
    this.nets = model.fitting.nets.networks.map((n, i) => {
      if (!n) throw new Error(`fitting network ${i} is missing`);
      return new PreparedNetwork(n);
    });
    this.excluded = new Uint8Array(model.ntypes);
    for (const t of model.atomExcludeTypes) this.excluded[t] = 1;
  }

  /** True when atoms of type t have zero energy (model atom_exclude_types). */
  isExcluded(t: number): boolean {
    return this.excluded[t] === 1;
  }

  private net(ti: number): PreparedNetwork {
    return this.nets[this.model.fitting.mixedTypes ? 0 : ti];
  }

  /** Atomic energy (eV) of an atom of type ti with descriptor D (biases added in DeePMD's order). */
  energy(ti: number, D: Float64Array): number {
    if (this.excluded[ti]) return 0;
    const out = this.net(ti).forward(D)[0];
    return out + this.model.fitting.biasAtomE[ti] + this.model.outBias[ti];
  }

  /** Output of the last hidden layer of the most recent energy() call for type ti ("fit_ll"). */
  lastHidden(ti: number): Float64Array {
    return this.net(ti).lastHidden();
  }

  /** ∂E_i/∂D after energy() for the same atom (a view, valid until the next call). */
  gradient(ti: number): Float64Array {
    return this.net(ti).backward(this.one);
  }
}
