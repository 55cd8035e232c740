/** Worker thread training one model of an ensemble (see train-models.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeDpModelH5 } from '../../core/potentials/dp/write.ts';
import { trainModel } from './trainer.ts';
import { deserializeFrame, type ModelWorkerInput, type ModelWorkerMessage } from './train-models.ts';

const input = workerData as ModelWorkerInput;
const post = (m: ModelWorkerMessage): void => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const s = input.settings;
  const r = trainModel(input.train.map(deserializeFrame), input.validation.map(deserializeFrame), {
    arch: { typeMap: input.typeMap, rcut: s.rcut, rcutSmth: s.rcutSmth, sel: s.sel, embedding: s.embedding, fitting: s.fitting, axisNeuron: s.axisNeuron },
    steps: s.steps, seed: input.seed, startLr: s.startLr, stopLr: s.stopLr, decaySteps: s.decaySteps, startPrefE: s.startPrefE, limitPrefE: s.limitPrefE, startPrefF: s.startPrefF, limitPrefF: s.limitPrefF,
    curvePoints: 20,
    onProgress: (row) => { post({ type: 'curve', index: input.index, row }); },
  });
  const dp = await encodeDpModelH5(r.model);
  post({ type: 'done', index: input.index, dp, curve: r.curve, metrics: r.metrics, stopped: r.stopped });
}

main().catch((e: unknown) => post({ type: 'error', index: input.index, error: e instanceof Error ? e.message : String(e) }));
