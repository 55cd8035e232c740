/** Shared helpers of the DP tests: reference models and cases. */
import { refJson, refPath } from '../helpers/refdata.ts';
import { readDpModelFile } from '../../src/node/dp-file.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';

const cache = new Map<string, Promise<DpModel>>();

/** Load a model of shared/refdata (cached). */
export function refModel(rel: string): Promise<DpModel> {
  let p = cache.get(rel);
  if (!p) {
    p = readDpModelFile(refPath(rel), { onWarning: () => {} });
    cache.set(rel, p);
  }
  return p;
}

export interface SeaCase {
  coord: number[]; atype: number[]; box: number[] | null;
  atomic_energy: number[]; force: number[]; atomic_virial: number[]; energy: number; virial: number[];
  descriptor?: number[]; fit_ll?: number[];
}
export interface CuCase {
  name: string; natoms: number; pbc: boolean; coord: number[]; atype: number[]; box: number[] | null;
  energy: number; atom_energy: number[]; force: number[]; virial: number[]; atom_virial: number[]; descriptor_atom0: number[];
}

export const seaCases = (): SeaCase[] => refJson<{ results: SeaCase[] }>('deepmd/deeppot_sea.testcase.json').results;
export const cuCases = (): CuCase[] => refJson<{ cases: CuCase[] }>('deepmd/cu_synthetic_cases.json').cases;

/** A frame from flat coords, integer types and a type map. */
export function frameOf(coord: number[], atype: number[], typeMap: string[], box: number[] | null): Frame {
  const symbols = atype.map((t) => typeMap[Math.round(t)]);
  return makeFrame(symbols, coord, box, box ? [true, true, true] : [false, false, false]);
}

export { maxAbsDiff } from '../helpers/compare.ts';
