// GPU Verlet list (shaders/neighbor-*.wgsl) against the float64 CPU cell list, on a cluster,
// a periodic bulk cell, a small triclinic cell with self-images, capacity growth and the skin check.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { NeighborListGpu, unpackShift } from '../../src/gpu/neighbor-gpu.ts';
import { buildNeighborList } from '../../src/core/neighbor/neighbor-list.ts';
import type { Frame } from '../../src/core/atoms.ts';
import { fccBulk, jitteredIcosahedron, smallTriclinic, vec4Positions } from './gpu-test-systems.ts';

const gpu = useNodeGpu();

function posBuffer(f: Frame): GPUBuffer {
  const n = f.positions.length / 3;
  const b = gpu.device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  gpu.device.queue.writeBuffer(b, 0, vec4Positions(f));
  return b;
}

/** Compare GPU entries with the CPU list at cutoff rcs (pairs within 1e-4 Å of rcs ignored). */
async function compare(nl: NeighborListGpu, f: Frame, rcs: number): Promise<number> {
  const cpu = buildNeighborList(f, rcs);
  const { count, list, partner } = await nl.readList();
  const n = f.positions.length / 3;
  const cell = f.cell ?? new Float64Array(9);
  const key = (j: number, d: ArrayLike<number>) => `${j}:${d[0].toFixed(3)}:${d[1].toFixed(3)}:${d[2].toFixed(3)}`;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const want = new Set<string>();
    const near = new Set<string>();
    for (let p = cpu.offsets[i]; p < cpu.offsets[i + 1]; p++) {
      const d = cpu.vectors.subarray(3 * p, 3 * p + 3);
      const r = Math.hypot(d[0], d[1], d[2]);
      (Math.abs(r - rcs) < 1e-4 ? near : want).add(key(cpu.neighbors[p], d));
    }
    const got = new Set<string>();
    expect(count[i]).toBeLessThanOrEqual(nl.cap);
    for (let q = 0; q < count[i]; q++) {
      const j = list[2 * (i * nl.cap + q)];
      const s = unpackShift(list[2 * (i * nl.cap + q) + 1]);
      const d = [0, 1, 2].map((k) => f.positions[3 * j + k] + s[0] * cell[k] + s[1] * cell[3 + k] + s[2] * cell[6 + k] - f.positions[3 * i + k]);
      const kk = key(j, d);
      if (near.has(kk)) continue;
      got.add(kk);
      // The partner entry is the same pair seen from j.
      const p = partner[i * nl.cap + q];
      const pj = Math.floor(p / nl.cap);
      expect(pj).toBe(j);
      expect(list[2 * p]).toBe(i);
      expect(unpackShift(list[2 * p + 1])).toEqual(s.map((x) => -x + 0));
    }
    expect([...got].sort()).toEqual([...want].sort());
    total += got.size;
  }
  return total;
}

async function check(f: Frame, cutoff: number, skin: number, capacity?: number): Promise<NeighborListGpu> {
  const pos = posBuffer(f);
  const nl = await NeighborListGpu.create(gpu.device, pos, f.positions.length / 3, { cutoff, skin, capacity });
  nl.setCell(f.cell, f.pbc);
  expect(await nl.update()).toBe(true);
  const pairs = await compare(nl, f, cutoff + skin);
  expect(pairs).toBeGreaterThan(0);
  return nl;
}

describe('GPU neighbour list vs the CPU cell list', () => {
  it('Cu147 cluster (open boundaries)', async () => {
    const nl = await check(jitteredIcosahedron(4, 0.1), 6, 0.5);
    expect(nl.stats().builds).toBeLessThanOrEqual(2); // one retry allowed when the bins grow
    nl.destroy();
  });

  it('periodic fcc Cu 3×3×3 (108 atoms), and 4×4×4 with a binned grid', async () => {
    (await check(fccBulk(3, 0.1), 6, 0.5)).destroy();
    (await check(fccBulk(4, 0.1), 4, 0.3)).destroy();
  });

  it('small triclinic cell: images of other atoms and of the atom itself', async () => {
    const f = smallTriclinic();
    const nl = await check(f, 6, 0.5);
    const { count, list } = await nl.readList();
    let selfImages = 0;
    for (let q = 0; q < count[0]; q++) if (list[2 * q] === 0) selfImages++;
    expect(selfImages).toBeGreaterThan(0);
    nl.destroy();
  });

  it('grows the capacity on overflow instead of dropping neighbours', async () => {
    const nl = await check(jitteredIcosahedron(4, 0.1, 5), 6, 0.5, 16);
    expect(nl.cap).toBeGreaterThan(16);
    expect(nl.stats().builds).toBeGreaterThan(1);
    nl.destroy();
  });

  it('rebuilds only when an atom moved more than half the skin', async () => {
    const f = jitteredIcosahedron(3, 0.05, 7);
    const pos = posBuffer(f);
    const nl = await NeighborListGpu.create(gpu.device, pos, 55, { cutoff: 6, skin: 1.0 });
    nl.setCell(null);
    expect(await nl.update()).toBe(true);
    expect(await nl.update()).toBe(false);
    const moved = vec4Positions(f);
    moved[4 * 10] += 0.45; // < skin/2
    gpu.device.queue.writeBuffer(pos, 0, moved);
    expect(await nl.update()).toBe(false);
    moved[4 * 10] += 0.1; // 0.55 > skin/2
    gpu.device.queue.writeBuffer(pos, 0, moved);
    expect(await nl.update()).toBe(true);
    f.positions[30] += 0.55;
    await compare(nl, f, 7);
    expect(await nl.update()).toBe(false);
    nl.setCell([30, 0, 0, 0, 30, 0, 0, 0, 30], [true, true, true]);
    expect(await nl.update()).toBe(true);
    nl.destroy();
  });
});
