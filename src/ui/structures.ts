/** Structures the studio offers out of the box (built in the browser by core/build). */
import type { Frame } from '../core/atoms.ts';
import { icosahedron } from '../core/build/icosahedron.ts';

export interface StructureChoice {
  id: string;
  build(): Frame;
}

export const STRUCTURES: StructureChoice[] = [
  { id: 'Cu13 icosahedron', build: () => icosahedron('Cu', 2) },
  { id: 'Cu55 Mackay icosahedron', build: () => icosahedron('Cu', 3) },
  { id: 'Cu147 Mackay icosahedron', build: () => icosahedron('Cu', 4) },
];

export const DEFAULT_STRUCTURE = 'Cu55 Mackay icosahedron';
