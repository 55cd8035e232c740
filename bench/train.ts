/**
 * Built-in DP-SE trainer: optimiser steps per second (batch 1 ⇒ frames/s = steps/s) for a small,
 * the demo-size (se_e2_a 16-32-64, axis 8, fitting 64×3, rc 6 Å, sel 100) and the paper's
 * architecture (25-50-100, axis 16, fitting 240×3, rc 8 Å; sel 60 = every Cu55 neighbour)
 * on EAM-labeled rattled Cu55 icosahedra, single thread, float64. Also the split of one step
 * into the forward + force pass (A) and the exact loss gradient (A + tangent/reverse pass B).
 *
 * Run: `npx tsx bench/train.ts` or `npm run bench -- train`.
 */
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { icosahedron } from '../src/core/build/icosahedron.ts';
import { DpTrainEngine } from '../src/core/train/engine.ts';
import { initModelWithStats, trainEnsemble, trainModel } from '../src/core/train/trainer.ts';
import { trainEnsembleInThreads } from '../src/node/train/ensemble-threads.ts';
import type { DpArchitecture, TrainSettings } from '../src/core/train/types.ts';
import { eamFrames } from '../test/train/data.ts';

function bestMs(fn: () => void, minMs = 1000, minReps = 3): number {
  fn();
  let best = Infinity, reps = 0;
  const t0 = performance.now();
  while (reps < minReps || performance.now() - t0 < minMs) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    reps++;
  }
  return best;
}

export async function run(): Promise<void> {
  const data = await eamFrames(16, 7, [icosahedron('Cu', 3)]);
  const archs: [string, DpArchitecture][] = [
    ['small 4-8 / 8-8, rc 4.5, sel 48', { typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: [48], embedding: [4, 8], axisNeuron: 2, fitting: [8, 8] }],
    ['demo 16-32-64 / 64×3, rc 6, sel 100', { typeMap: ['Cu'], rcut: 6.0, rcutSmth: 2.0, sel: [100], embedding: [16, 32, 64], axisNeuron: 8, fitting: [64, 64, 64] }],
    // the paper's network (the defaults of `nanostudio train`): 25-50-100 / 240×3, axis 16, rc 8 Å
    ['paper 25-50-100 / 240×3, rc 8, sel 60', { typeMap: ['Cu'], rcut: 8.0, rcutSmth: 0.5, sel: [60], embedding: [25, 50, 100], axisNeuron: 16, fitting: [240, 240, 240] }],
  ];
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}), float64, single thread`);
  console.log('data: 16 rattled Cu55 Mackay icosahedra labeled with EAM Cu_u3; batch size 1 (1 frame per step)\n');
  const head = ['architecture', 'params', 'nbrs/atom', 'E+F ms/frame', 'loss+grad ms/frame', 'train steps/s', 'frames/s', 'atom-steps/s'];
  const rows: string[][] = [];
  for (const [name, arch] of archs) {
    const model = initModelWithStats(arch, data, 1);
    const eng = new DpTrainEngine(model, { onWarning: () => {} });
    const pf = eng.prepare(data[0]);
    const nb = pf.slots.offsets[pf.natoms] / pf.natoms;
    const tA = bestMs(() => eng.forward(pf, true));
    const tG = bestMs(() => eng.lossAndGradient(pf, 0.02, 1000, 1));
    // End-to-end trainModel (includes Adam, shuffling, the validation curve points): ~3 s.
    const steps = Math.max(10, Math.round(3000 / tG));
    const settings: TrainSettings = { arch, numSteps: steps, progressEvery: steps, curveValidationFrames: 0, validationFraction: 0 };
    const t0 = performance.now();
    await trainModel(data, settings, { seed: 1, onWarning: () => {} });
    const sec = (performance.now() - t0) / 1000;
    const sps = steps / sec;
    rows.push([name, String(eng.size), nb.toFixed(1), tA.toFixed(2), tG.toFixed(2), sps.toFixed(1), sps.toFixed(1), (sps * pf.natoms).toFixed(0)]);
  }
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => '| ' + r.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x, k) => (k === 0 ? ':' : '-') + '-'.repeat(x) + (k === 0 ? '-' : ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('\nE+F = forward + analytic forces (pass A); loss+grad = exact ∂L/∂θ of the ener loss (A + tangent/reverse pass B);');
  console.log('train steps/s = trainModel end to end (statistics, Adam, shuffling, final RMSEs included). Cu55 = 55 atoms per frame.');

  // The paper's 4-model ensemble of the demo architecture: one thread vs worker threads.
  const demo = archs[1][1];
  const steps = 60;
  const ens: TrainSettings = { arch: demo, numSteps: steps, progressEvery: steps, curveValidationFrames: 0, validationFraction: 0 };
  const seeds = [1, 2, 3, 4];
  const eRows: string[][] = [];
  let t0 = performance.now();
  await trainEnsemble(data, ens, seeds, { onWarning: () => {} });
  let sec = (performance.now() - t0) / 1000;
  eRows.push(['trainEnsemble (this thread)', '1', sec.toFixed(1), ((seeds.length * steps) / sec).toFixed(1)]);
  for (const threads of [2, 4]) {
    t0 = performance.now();
    await trainEnsembleInThreads(data, ens, { seeds, threads, onWarning: () => {} });
    sec = (performance.now() - t0) / 1000;
    eRows.push([`trainEnsembleInThreads`, String(threads), sec.toFixed(1), ((seeds.length * steps) / sec).toFixed(1)]);
  }
  const eHead = ['4 demo models × 60 steps', 'threads', 'wall s', 'model-steps/s'];
  const ew = eHead.map((h, k) => Math.max(h.length, ...eRows.map((r) => r[k].length)));
  const eLine = (r: string[]) => '| ' + r.map((c, k) => (k === 0 ? c.padEnd(ew[k]) : c.padStart(ew[k]))).join(' | ') + ' |';
  console.log('\n' + eLine(eHead));
  console.log('|' + ew.map((x, k) => (k === 0 ? ':' : '-') + '-'.repeat(x) + (k === 0 ? '-' : ':')).join('|') + '|');
  for (const r of eRows) console.log(eLine(r));
  console.log(`(worker start-up, statistics and final RMSEs included; ${cpus().length} cores)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
