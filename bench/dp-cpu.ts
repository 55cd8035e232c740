/**
 * DP-SE float64 CPU reference: cost per atom-step of energy + forces + virials for the synthetic
 * production-size Cu model (se_e2_a 25-50-100, axis 16, fitting 240×3, rc 6 Å, sel 96) on Mackay
 * icosahedra Cu55, Cu147, Cu309, and how it scales with N (linear expected: µs/atom-step roughly
 * constant once the surface fraction stops changing).
 *
 * Run: `npx tsx bench/dp-cpu.ts` or `npm run bench -- dp-cpu`.
 */
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { icosahedron } from '../src/core/build/icosahedron.ts';
import { readDpModelFile } from '../src/node/dp-file.ts';
import { DpEvaluator } from '../src/core/potentials/dp/evaluator.ts';
import { refPath } from '../test/helpers/refdata.ts';

/** Best (minimum) wall time of one call over repetitions: robust when the machine is shared. */
function timeIt(fn: () => void, minMs = 1500, minReps = 3): { ms: number; reps: number } {
  fn(); // warm-up (JIT, allocation)
  let reps = 0;
  let best = Infinity;
  const t0 = performance.now();
  while (reps < minReps || performance.now() - t0 < minMs) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    reps++;
  }
  return { ms: best, reps };
}

export async function run(): Promise<void> {
  const model = await readDpModelFile(refPath('deepmd/cu_synthetic_se_e2_a.dp'), { onWarning: () => {} });
  const ev = new DpEvaluator(model);
  const evTab = new DpEvaluator(model, { tabulate: {} });
  const d = model.descriptor;
  console.log(`model: cu_synthetic_se_e2_a.dp — se_e2_a neuron [${d.neuron}] axis ${d.axisNeuron}, fitting [${model.fitting.nets.networks[0]!.layers.slice(0, -1).map((l) => l.nOut)}], rc ${d.rcut} Å, sel [${d.sel}]`);
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}), float64, single thread`);
  console.log('one step = energy + forces + virial + per-atom virial; times are the best of the repetitions\n');
  const rows: string[][] = [];
  let base = 0;
  for (const shells of [3, 4, 5]) {
    const frame = icosahedron('Cu', shells);
    const n = frame.symbols.length;
    const slots = ev.slots(frame);
    const nb = slots.offsets[n] / n;
    const tSlots = timeIt(() => ev.slots(frame), 300);
    const tFull = timeIt(() => ev.evaluate(frame));
    const tEnergy = timeIt(() => ev.evaluate(frame, { energyOnly: true, slots }));
    const tTab = timeIt(() => evTab.evaluate(frame));
    const perAtom = (tFull.ms * 1000) / n;
    if (!base) base = perAtom;
    rows.push([
      `Cu${n}`, String(n), nb.toFixed(1), tSlots.ms.toFixed(2), tEnergy.ms.toFixed(1), tFull.ms.toFixed(1),
      perAtom.toFixed(0), (perAtom / base).toFixed(2), ((tTab.ms * 1000) / n).toFixed(0), (tFull.ms / tTab.ms).toFixed(2), String(tFull.reps),
    ]);
  }
  const head = ['system', 'atoms', 'nbrs/atom', 'nlist ms', 'E only ms', 'E+F+W ms/step', 'µs/atom-step', 'vs Cu55', 'tabulated µs/atom-step', 'tab speed-up', 'reps'];
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => '| ' + r.map((c, k) => c.padStart(w[k])).join(' | ') + ' |';
  // The interactive demo model (16-32-64, axis 8, fitting 64×3) for comparison.
  const demoModel = await readDpModelFile(refPath('models/cu-eam-demo/cu_eam_demo_0.dp'), { onWarning: () => {} });
  const demo = new DpEvaluator(demoModel);
  const demoTab = new DpEvaluator(demoModel, { tabulate: {} });
  const demoRows: string[][] = [];
  for (const shells of [3, 5]) {
    const frame = icosahedron('Cu', shells);
    const n = frame.symbols.length;
    const t = timeIt(() => demo.evaluate(frame), 800);
    const tt = timeIt(() => demoTab.evaluate(frame), 800);
    demoRows.push([`Cu${n} (demo model)`, String(n), t.ms.toFixed(1), ((t.ms * 1000) / n).toFixed(0), ((tt.ms * 1000) / n).toFixed(0), (t.ms / tt.ms).toFixed(2)]);
  }
  console.log(line(head));
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  const head2 = ['system', 'atoms', 'E+F+W ms/step', 'µs/atom-step', 'tabulated µs/atom-step', 'tab speed-up'];
  const w2 = head2.map((h, k) => Math.max(h.length, ...demoRows.map((r) => r[k].length)));
  const line2 = (r: string[]) => '| ' + r.map((c, k) => c.padStart(w2[k])).join(' | ') + ' |';
  console.log('\ncu-eam-demo model 0 (se_e2_a 16-32-64, axis 8, fitting 64×3, sel 100):\n');
  console.log(line2(head2));
  console.log('|' + w2.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const r of demoRows) console.log(line2(r));
  console.log(`\ntabulated = embedding nets from quintic tables, step 0.01 (DpEvaluator { tabulate: {} }); largest table error: production ${evTab.tableError.toExponential(1)}, demo ${demoTab.tableError.toExponential(1)}`);
  console.log('µs/atom-step = wall time of one full evaluation / atoms; "vs Cu55" = ratio of µs/atom-step (1.00 = linear scaling).');
  console.log('The cost per atom = fitting net (fixed) + embedding net per neighbour: it grows with nbrs/atom (the surface');
  console.log('fraction of small clusters falls with N) and is constant for a fixed density, i.e. the total is linear in N.');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
