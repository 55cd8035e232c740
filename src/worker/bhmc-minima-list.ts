/**
 * The distinct minima of a studio BHMC run, sorted by energy (eV) and kept up to date as trials
 * finish: a trial touches at most one minimum (new, or revisited — possibly better relaxed), so
 * only that one is (re)placed by binary search. Sorting and copying every minimum after every
 * trial cost O(N log N) per trial with thousands of minima after a long run; here a trial costs
 * one O(log N) search and one splice, and the copies of untouched minima are reused.
 */
import type { BhmcMinimumInfo } from './bhmc-run.ts';

/** What the list reads from a core minimum (BhmcMinimum of core/bhmc.ts). */
export interface MinimumRecord {
  id: number;
  /** eV */
  energy: number;
  visits: number;
  firstTrial: number;
  converged: boolean;
  frame: { symbols: readonly string[]; positions: ArrayLike<number> };
}

/** Order by energy, then id (a total order, so a minimum's slot is found exactly). */
function before(a: { energy: number; id: number }, b: { energy: number; id: number }): boolean {
  return a.energy < b.energy || (a.energy === b.energy && a.id < b.id);
}

export class SortedMinimaList {
  private readonly sorted: BhmcMinimumInfo[] = [];
  private readonly byId = new Map<number, BhmcMinimumInfo>();

  /** Number of distinct minima. */
  get size(): number {
    return this.sorted.length;
  }

  /** First index whose entry does not come before `key`. */
  private slot(key: { energy: number; id: number }): number {
    let lo = 0, hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.sorted[mid], key)) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Bring minimum `m` (new or changed) up to date; the structure is copied only when it is new or its energy changed. */
  update(m: MinimumRecord): void {
    const old = this.byId.get(m.id);
    if (old && old.energy === m.energy) {
      old.visits = m.visits;
      return;
    }
    if (old) this.sorted.splice(this.slot(old), 1);
    const info: BhmcMinimumInfo = {
      id: m.id, energy: m.energy, visits: m.visits, firstTrial: m.firstTrial, converged: m.converged,
      symbols: [...m.frame.symbols], positions: Float64Array.from(m.frame.positions),
    };
    this.byId.set(m.id, info);
    this.sorted.splice(this.slot(info), 0, info);
  }

  /** The `count` lowest minima, lowest first (the entries are the list's own: treat them as read-only). */
  lowest(count: number): BhmcMinimumInfo[] {
    return this.sorted.slice(0, Math.max(0, count));
  }
}
