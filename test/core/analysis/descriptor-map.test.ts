import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { descriptorMap, dpDescriptorRows, placeOnMap } from '../../../src/core/analysis/descriptor-map.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { makeFrame } from '../../../src/core/atoms.ts';
import { readDpModelFile } from '../../../src/node/dp-file.ts';
import { ROOT } from '../../helpers/refdata.ts';

describe('descriptor map (DP descriptor + PCA)', () => {
  it('Cu55: symmetry-equivalent atoms share a point, the four shells are four distinct points', async () => {
    const model = await readDpModelFile(resolve(ROOT, 'public/models/cu_eam_demo_0.dp'), { onWarning: () => {} });
    const f = icosahedron('Cu', 3);
    const rows = dpDescriptorRows(model, [f]);
    expect(rows.n).toBe(55);
    const map = descriptorMap(rows);
    // Classify atoms by distance from the centre (rounded): 0, r1 (12), vertices (12), edge midpoints (30).
    const radius = (i: number) => Math.hypot(f.positions[3 * i], f.positions[3 * i + 1], f.positions[3 * i + 2]);
    const groups = new Map<string, number[]>();
    for (let i = 0; i < 55; i++) {
      const key = radius(i).toFixed(3);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    expect([...groups.values()].map((g) => g.length).sort((a, b) => a - b)).toEqual([1, 12, 12, 30]);
    const centres: [number, number][] = [];
    for (const g of groups.values()) {
      const [x0, y0] = [map.xy[2 * g[0]], map.xy[2 * g[0] + 1]];
      for (const i of g) {
        expect(Math.abs(map.xy[2 * i] - x0)).toBeLessThan(1e-8);
        expect(Math.abs(map.xy[2 * i + 1] - y0)).toBeLessThan(1e-8);
      }
      centres.push([x0, y0]);
    }
    for (let a = 0; a < centres.length; a++) {
      for (let b = a + 1; b < centres.length; b++) {
        expect(Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1])).toBeGreaterThan(1e-3);
      }
    }
    // Rows keep their back-references, and placing the same rows reproduces the map.
    expect(Array.from(rows.atom.slice(0, 3))).toEqual([0, 1, 2]);
    const again = placeOnMap(map, rows);
    for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(map.xy[i], 10);
    // A rigidly moved copy lands on the same points (the descriptor is invariant).
    const moved = makeFrame(f.symbols, f.positions.map((v, k) => v + [1.3, -0.4, 2][k % 3]));
    const xy2 = placeOnMap(map, dpDescriptorRows(model, [moved]));
    for (let i = 0; i < xy2.length; i++) expect(xy2[i]).toBeCloseTo(map.xy[i], 8);
  });
});
