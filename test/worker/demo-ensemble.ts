/** The bundled 4-model Cu demo ensemble for the worker tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import { loadDpModel } from '../../src/core/potentials/dp/load.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { ROOT } from '../helpers/refdata.ts';

export async function demoModels(): Promise<DpModel[]> {
  return Promise.all([0, 1, 2, 3].map((k) => {
    const name = `cu_eam_demo_${k}.dp`;
    return loadDpModel(new Uint8Array(readFileSync(`${ROOT}/public/models/${name}`)), name);
  }));
}

export async function demoEnsemble(): Promise<DpEnsembleCalculator> {
  return new DpEnsembleCalculator(await demoModels(), { onWarning: () => {} });
}
