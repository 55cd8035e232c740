// The studio's sorted minima list: it must match a full sort of the core's minima after every
// trial (new minima, revisits, a revisit that relaxed lower and moves up the list), while
// re-copying only the minimum a trial touched.
import { describe, expect, it } from 'vitest';
import { SortedMinimaList, type MinimumRecord } from '../../src/worker/bhmc-minima-list.ts';
import { Rng } from '../../src/core/random.ts';

function record(id: number, energy: number): MinimumRecord {
  return { id, energy, visits: 1, firstTrial: id, converged: true, frame: { symbols: ['Cu'], positions: new Float64Array([id, 0, 0]) } };
}

describe('SortedMinimaList', () => {
  it('stays sorted as minima are added, revisited and improved, and keeps untouched entries', () => {
    const rng = new Rng(7);
    const core: MinimumRecord[] = [];
    const list = new SortedMinimaList();
    for (let trial = 0; trial < 500; trial++) {
      const before = list.lowest(list.size);
      let touched: MinimumRecord;
      if (core.length === 0 || rng.uniform() < 0.4) {
        // energies on a coarse grid, so ties occur
        touched = record(core.length, Math.round(-100 * rng.uniform()) / 4);
        core.push(touched);
      } else {
        touched = core[Math.floor(rng.uniform() * core.length)];
        touched.visits++;
        if (rng.uniform() < 0.3) touched.energy -= 3 * rng.uniform(); // better-relaxed visit
      }
      list.update(touched);
      const all = list.lowest(list.size);
      const expected = [...core].sort((a, b) => a.energy - b.energy || a.id - b.id);
      expect(all.map((m) => [m.id, m.energy, m.visits])).toEqual(expected.map((m) => [m.id, m.energy, m.visits]));
      // only the touched minimum may be a new object
      const same = all.filter((m) => before.includes(m)).length;
      expect(same).toBeGreaterThanOrEqual(all.length - 1);
    }
    expect(list.lowest(5).map((m) => m.energy)).toEqual([...core].map((m) => m.energy).sort((a, b) => a - b).slice(0, 5));
  });

  it('copies the structure of the visit it lists', () => {
    const list = new SortedMinimaList();
    const m = record(0, -1);
    list.update(m);
    m.energy = -2;
    m.frame = { symbols: ['Cu'], positions: new Float64Array([9, 9, 9]) };
    list.update(m);
    expect(Array.from(list.lowest(1)[0].positions)).toEqual([9, 9, 9]);
    expect(list.size).toBe(1);
  });
});
