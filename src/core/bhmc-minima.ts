/**
 * Distinct-minimum lookup for basin hopping whose cost does not grow with the number of minima
 * found. Two minima are the same when their energies differ by at most `energyTolerance` and
 * their sorted pair distances (fingerprints) by at most `distanceTolerance` everywhere.
 *
 * Minima are kept in an energy grid of bin width energyTolerance: bin b = ⌊E / tol⌋ holds the
 * minima with energies in [b·tol, (b+1)·tol). Any minimum within tol of E lies in bin b−1, b or
 * b+1, so a lookup compares fingerprints only against the minima of those three bins — a handful
 * even after thousands of minima (the energies of distinct minima spread over many bins), instead
 * of the whole list. The lowest minimum is tracked as minima are added or improved.
 */

export interface IndexedMinimum {
  energy: number;
  fingerprint: Float64Array;
}

export class MinimaIndex<M extends IndexedMinimum> {
  private readonly bins = new Map<number, M[]>();
  private lowest: M | null = null;
  /** Stored minima visited by lookups so far (for tests and benchmarks; a list scan would visit every one). */
  comparisons = 0;

  constructor(readonly energyTolerance: number, readonly distanceTolerance: number) {
    if (!(energyTolerance > 0) || !Number.isFinite(energyTolerance)) throw new Error(`minimum energy tolerance must be a positive energy, got ${energyTolerance}`);
    if (!(distanceTolerance >= 0) || !Number.isFinite(distanceTolerance)) throw new Error(`minimum distance tolerance must be ≥ 0, got ${distanceTolerance}`);
  }

  private bin(energy: number): number {
    return Math.floor(energy / this.energyTolerance);
  }

  /** The stored minimum that `energy` and `fingerprint` belong to, or null. */
  find(energy: number, fingerprint: Float64Array): M | null {
    if (!Number.isFinite(energy)) return null;
    const b = this.bin(energy);
    const tolE = this.energyTolerance, tolD = this.distanceTolerance;
    for (let k = b - 1; k <= b + 1; k++) {
      const list = this.bins.get(k);
      if (!list) continue;
      for (const m of list) {
        this.comparisons++; // candidates visited (a scan of every minimum would visit them all)
        if (Math.abs(m.energy - energy) > tolE || m.fingerprint.length !== fingerprint.length) continue;
        let same = true;
        for (let q = 0; q < fingerprint.length; q++) if (Math.abs(fingerprint[q] - m.fingerprint[q]) > tolD) { same = false; break; }
        if (same) return m;
      }
    }
    return null;
  }

  /** Store a new minimum (its energy decides the bin). */
  add(m: M): void {
    if (!Number.isFinite(m.energy)) throw new Error(`a minimum needs a finite energy, got ${m.energy}`);
    const b = this.bin(m.energy);
    const list = this.bins.get(b);
    if (list) list.push(m); else this.bins.set(b, [m]);
    if (!this.lowest || m.energy < this.lowest.energy) this.lowest = m;
  }

  /** Change a stored minimum's energy and fingerprint (a better-relaxed visit), moving it between bins. */
  update(m: M, energy: number, fingerprint: Float64Array): void {
    const from = this.bin(m.energy), to = this.bin(energy);
    if (from !== to) {
      const list = this.bins.get(from);
      const k = list ? list.indexOf(m) : -1;
      if (!list || k < 0) throw new Error('MinimaIndex.update: minimum not stored');
      list.splice(k, 1);
      if (list.length === 0) this.bins.delete(from);
    }
    m.energy = energy;
    m.fingerprint = fingerprint;
    if (from !== to) {
      const list = this.bins.get(to);
      if (list) list.push(m); else this.bins.set(to, [m]);
    }
    if (!this.lowest || energy < this.lowest.energy) this.lowest = m;
  }

  /** The lowest stored minimum (null when empty). */
  best(): M | null {
    return this.lowest;
  }
}
