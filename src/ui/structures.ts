/** Structures the studio offers out of the box (built in the browser by core/build). */
import type { Frame } from '../core/atoms.ts';
import { decahedron, icosahedron, octahedron, randomCluster } from '../core/build/index.ts';

export interface StructureChoice {
  id: string;
  build(): Frame;
}

export const STRUCTURES: StructureChoice[] = [
  { id: 'Cu13 icosahedron', build: () => icosahedron('Cu', 2) },
  { id: 'Cu20 random cluster (seed 1)', build: () => randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, seed: 1 }) },
  { id: 'Cu38 truncated octahedron', build: () => octahedron('Cu', 4, 1) },
  { id: 'Cu55 Mackay icosahedron', build: () => icosahedron('Cu', 3) },
  { id: 'Cu55 Ino decahedron', build: () => decahedron('Cu', 3, 3, 0) },
  { id: 'Cu75 Marks decahedron', build: () => decahedron('Cu', 2, 2, 1) },
  { id: 'Cu147 Mackay icosahedron', build: () => icosahedron('Cu', 4) },
  { id: 'Cu309 Mackay icosahedron', build: () => icosahedron('Cu', 5) },
];

export const DEFAULT_STRUCTURE = 'Cu55 Mackay icosahedron';
