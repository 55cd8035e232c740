/**
 * WebGPU DP-SE engine benchmark: MD steps (velocity Verlet, forces of the fused ensemble every
 * step, state on the GPU) with the synthetic production-size Cu model (se_e2_a 25-50-100,
 * axis 16, fitting 240×3, rc 6 Å, sel 96; 4 models = 4 copies) and the bundled demo ensemble
 * (cu-eam-demo, se_e2_a 16-32-64, axis 8, fitting 64×3, sel 100; 1 model = model 0, 4 models =
 * its 4 members) on Cu55/Cu147/Cu309 (Mackay icosahedra) and Cu1103/Cu3535 (fcc spherical cuts). Prints steps/s, µs/atom-step,
 * achieved GFLOP/s from an operation count of the kernels as written (the cost model of
 * shared/docs/performance-model.md §3 with the embedding recomputed in the backward pass; tanh
 * not counted), the same adapter's GFLOP/s on a plain tiled WGSL matmul, and the ratio to the
 * float64 CPU reference evaluator (energy + forces, same structure, same number of models).
 *
 * Run: `npx tsx bench/gpu.ts [--max-atoms N] [--steps K] [--cpu-max-atoms N] [--models production,demo] [--no-tabulated] [--matmul-only] [--profile]`
 * or `npm run bench -- gpu`; `--profile` prints per-kernel times (per-dispatch timing) for Cu55/Cu147 (up to --max-atoms)
 * × 1 model of each model set;
 * `npx tsx bench/gpu.ts --cu3535-check [chunk]` evaluates Cu3535 × 4 models once and checks it against the CPU.
 * On a software adapter (SwiftShader) the default size cap is 400 atoms (bigger sizes take
 * minutes per step); the buffer plan of every size (incl. Cu3535 × 4 under the WebGPU default
 * 128 MiB binding limit) is printed regardless.
 */
import { fileURLToPath } from 'node:url';
import '../src/node/shaders-fs.ts';
import { getNodeGpu, releaseNodeGpu } from '../src/node/gpu-device.ts';
import { adapterLabel } from '../src/gpu/adapter-info.ts';
import { DpGpuEngine } from '../src/gpu/dp-engine.ts';
import { MdGpu } from '../src/gpu/md-gpu.ts';
import { dpLayout, type DpLayout } from '../src/gpu/dp-layout.ts';
import { computePipeline } from '../src/gpu/pipeline.ts';
import { bindGroup, dispatch, storageBuffer, uniformBuffer } from '../src/gpu/gpu-util.ts';
import { icosahedron } from '../src/core/build/icosahedron.ts';
import { readDpModelFile } from '../src/node/dp-file.ts';
import { DpEvaluator } from '../src/core/potentials/dp/evaluator.ts';
import type { DpModel } from '../src/core/potentials/dp/model.ts';
import { buildNeighborList } from '../src/core/neighbor/neighbor-list.ts';
import type { Frame } from '../src/core/atoms.ts';
import { refPath } from '../test/helpers/refdata.ts';
import { fccSphere } from './eam-md.ts';

function arg(name: string, dflt: number): number {
  const k = process.argv.indexOf(name);
  return k >= 0 && k + 1 < process.argv.length ? Number(process.argv[k + 1]) : dflt;
}

/** FLOPs of one dense layer forward (FMA = 2, bias/idt/skip adds counted). */
function layerFlops(nIn: number, nOut: number): number {
  return 2 * nIn * nOut + 3 * nOut;
}

/** Operation count of one model for one atom with `nn` kept neighbours (kernels as written). */
export function flopsPerAtom(L: DpLayout, nn: number): number {
  let emb = 0;
  for (let l = 0; l < L.emb.nIn.length; l++) emb += layerFlops(L.emb.nIn[l], L.emb.nOut[l]);
  let fit = 0;
  for (let l = 0; l < L.fit.nIn.length; l++) fit += layerFlops(L.fit.nIn[l], L.fit.nOut[l]);
  const perNeighbour = 3 * emb /* fwd, recomputed fwd, bwd */ + 3 * 8 * L.M /* contraction fwd, δR, δG */ + 2 * 45 + 70 /* env row */;
  const perAtom = 2 * fit + 3 * 8 * L.M * L.Ma /* D and δgr */;
  return nn * perNeighbour + perAtom;
}

/**
 * GFLOP/s of a WGSL matmul on the adapter (best of 3 after a warm-up), and its largest error
 * against a float64 CPU product on sampled entries (a tuned kernel must still be right).
 * 'plain': shaders/bench-matmul.wgsl (16×16 tiles, one output per invocation);
 * 'tiled': shaders/bench-matmul-tiled.wgsl (64×64 blocks, 4×4 outputs per invocation, vec4 loads).
 */
async function matmulGflops(device: GPUDevice, kind: 'plain' | 'tiled', n = 384): Promise<{ gflops: number; maxErr: number }> {
  const pipe = await computePipeline(device, kind === 'plain' ? 'bench-matmul' : 'bench-matmul-tiled');
  if (kind === 'tiled' && n % 64 !== 0) throw new Error(`the tiled matmul needs n to be a multiple of 64, got ${n}`);
  const A = storageBuffer(device, 4 * n * n, 'mm-A'), B = storageBuffer(device, 4 * n * n, 'mm-B'), C = storageBuffer(device, 4 * n * n, 'mm-C');
  const P = uniformBuffer(device, 16, 'mm-P');
  device.queue.writeBuffer(P, 0, new Uint32Array([n, 0, 0, 0]));
  const a = Float32Array.from({ length: n * n }, (_, k) => Math.sin(k));
  const bm = Float32Array.from({ length: n * n }, (_, k) => Math.cos(0.7 * k));
  device.queue.writeBuffer(A, 0, a);
  device.queue.writeBuffer(B, 0, bm);
  const g = bindGroup(device, pipe, [[0, P], [1, A], [2, B], [3, C]]);
  const groups = kind === 'plain' ? Math.ceil(n / 16) : n / 64;
  const runOnce = async () => {
    const enc = device.createCommandEncoder();
    dispatch(enc, pipe, g, groups, groups);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await runOnce();
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await runOnce();
    best = Math.min(best, performance.now() - t);
  }
  // Check sampled entries against float64.
  const read = device.createBuffer({ size: 4 * n * n, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(C, 0, read, 0, 4 * n * n);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const c = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  let maxErr = 0;
  for (let s = 0; s < 64; s++) {
    const i = (s * 97) % n, j = (s * 61 + 13) % n;
    let ref = 0;
    for (let k = 0; k < n; k++) ref += a[i * n + k] * bm[k * n + j];
    maxErr = Math.max(maxErr, Math.abs(c[i * n + j] - ref));
  }
  for (const b of [A, B, C, P, read]) b.destroy();
  return { gflops: (2 * n ** 3) / (best * 1e-3) / 1e9, maxErr };
}

function meanNeighbours(frame: Frame, rc: number, sel: number): number {
  const nl = buildNeighborList(frame, rc);
  let s = 0;
  for (let i = 0; i < nl.natoms; i++) s += Math.min(sel, nl.offsets[i + 1] - nl.offsets[i]);
  return s / nl.natoms;
}

/**
 * `--cu3535-check [chunk]`: one evaluation of Cu3535 (jittered fcc sphere) with 4 fused copies of
 * the production-size model, descriptor buffers in chunks of `chunk` atoms, compared with the
 * float64 CPU evaluator (prints time and errors).
 */
async function cu3535Check(device: GPUDevice, model: DpModel, chunk: number): Promise<void> {
  const frame = fccSphere('Cu', 3535);
  for (let k = 0; k < frame.positions.length; k++) frame.positions[k] += 0.05 * Math.sin(17 * k);
  const engine = await DpGpuEngine.create(device, [model, model, model, model], { maxChunkAtoms: chunk });
  let t = performance.now();
  const r = await engine.evaluate(frame);
  const gpuS = (performance.now() - t) / 1000;
  t = performance.now();
  const ref = new DpEvaluator(model).evaluate(frame);
  const cpuS = (performance.now() - t) / 1000;
  let ea = 0, f = 0;
  for (const m of r.models) {
    for (let i = 0; i < 3535; i++) ea = Math.max(ea, Math.abs(m.atomicEnergies[i] - ref.atomicEnergies[i]));
    for (let p = 0; p < ref.forces.length; p++) f = Math.max(f, Math.abs(m.forces[p] - ref.forces[p]));
  }
  console.log(`Cu3535 × 4 models, chunks of ${chunk} atoms: GPU evaluation ${gpuS.toFixed(1)} s (CPU f64, 1 model: ${cpuS.toFixed(1)} s); ` +
    `max|ΔE_i| ${ea.toExponential(2)} eV, max|ΔF| ${f.toExponential(2)} eV/Å, |ΔE| ${Math.abs(r.models[0].energy - ref.energy).toExponential(2)} eV, truncated atoms ${r.truncatedAtoms}`);
  engine.destroy();
}

export async function run(): Promise<void> {
  const gpu = await getNodeGpu();
  const device = gpu.device;
  const software = gpu.info.isSoftware;
  const maxAtoms = arg('--max-atoms', software ? 400 : Infinity);
  const steps = arg('--steps', software ? 3 : 20);
  const cpuMax = arg('--cpu-max-atoms', 400);
  const tabulated = !process.argv.includes('--no-tabulated');
  const model = await readDpModelFile(refPath('deepmd/cu_synthetic_se_e2_a.dp'), { onWarning: () => {} });
  const demo = await Promise.all([0, 1, 2, 3].map((k) => readDpModelFile(refPath(`models/cu-eam-demo/cu_eam_demo_${k}.dp`), { onWarning: () => {} })));
  const wanted = (process.argv[process.argv.indexOf('--models') + 1] ?? '').split(',');
  /** Model sets: name → the models of a 1- and a 4-model ensemble. */
  const modelSets = ([['production', [model], [model, model, model, model]], ['demo', [demo[0]], demo]] as const)
    .filter(([name]) => !process.argv.includes('--models') || wanted.includes(name));
  if (process.argv.includes('--cu3535-check')) {
    await cu3535Check(device, model, arg('--cu3535-check', 1000) || 1000);
    device.destroy();
    releaseNodeGpu();
    return;
  }
  const L = dpLayout([model]);
  console.log(`adapter: ${adapterLabel(gpu.info)}; maxStorageBufferBindingSize ${(gpu.info.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB`);
  const plain = await matmulGflops(device, 'plain');
  const tiled = await matmulGflops(device, 'tiled');
  console.log(`plain WGSL matmul (384³, 16×16 tiles): ${plain.gflops.toFixed(2)} GFLOP/s (max error ${plain.maxErr.toExponential(1)})`);
  console.log(`register-tiled WGSL matmul (384³, 64×64 blocks, 4×4 per invocation, vec4): ${tiled.gflops.toFixed(2)} GFLOP/s (max error ${tiled.maxErr.toExponential(1)}) — the "% of matmul" baseline`);
  const mm = tiled.gflops;
  if (process.argv.includes('--matmul-only')) { device.destroy(); releaseNodeGpu(); return; }
  if (process.argv.includes('--profile')) {
    // Per-kernel times (timestamp queries when the adapter has them are not wired; per-dispatch timing).
    console.log(`timestamp-query: ${device.features.has('timestamp-query') ? 'available' : 'not available'} on this device; per-dispatch timing (best of 3)`);
    for (const [name, frame] of [['Cu55', icosahedron('Cu', 3)], ['Cu147', icosahedron('Cu', 4)]] as const) {
      if (frame.symbols.length > maxAtoms) continue;
      for (const [set, one] of modelSets) for (const tab of [false, true]) {
        const engine = await DpGpuEngine.create(device, [...one], tab ? { tabulate: true } : {});
        await engine.evaluate(frame);
        const best = new Map<string, number>();
        for (let r = 0; r < 3; r++) for (const { kernel, ms } of await engine.profileKernels()) best.set(kernel, Math.min(best.get(kernel) ?? Infinity, ms));
        const total = [...best.values()].reduce((a, b) => a + b, 0);
        console.log(`\n${name} × 1 ${set} model${tab ? ' (tabulated)' : ''}: ${total.toFixed(0)} ms per evaluation`);
        console.log('| kernel | ms | share |\n|---|---:|---:|');
        for (const [k, ms] of best) console.log(`| ${k} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(0)} % |`);
        engine.destroy();
      }
    }
    device.destroy(); releaseNodeGpu(); return;
  }
  const systems: [string, () => Frame][] = [
    ['Cu55', () => icosahedron('Cu', 3)], ['Cu147', () => icosahedron('Cu', 4)], ['Cu309', () => icosahedron('Cu', 5)],
    ['Cu1103', () => fccSphere('Cu', 1103)], ['Cu3535', () => fccSphere('Cu', 3535)],
  ];
  console.log('\nbuffer plan under the WebGPU default 128 MiB binding limit (cap = nnei + 32 entries/atom):');
  for (const [name, make] of systems) {
    const n = make().symbols.length;
    for (const nm of [1, 4]) {
      const p = DpGpuEngine.plan(L, nm, n, L.nnei + 32, 128 * 2 ** 20);
      console.log(`  ${name} × ${nm}: chunk ${p.chunk} atoms (${p.nchunks} chunk(s)), largest binding ${(p.maxBinding / 2 ** 20).toFixed(1)} MiB (pairG ${(p.bytes.pairG / 2 ** 20).toFixed(1)}, D ${(p.bytes.descriptorD / 2 ** 20).toFixed(1)})`);
    }
  }
  const rows: string[] = [];
  rows.push('| system | model | models | steps/s | µs/atom-step (per model) | GFLOP/step | achieved GFLOP/s | % of tuned matmul | tabulated steps/s | tab/untab speed | CPU f64 ms/eval | GPU/CPU speed ratio |');
  rows.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  const engines = new Map<string, DpGpuEngine>();
  const timeSteps = async (engine: DpGpuEngine, frame: Frame): Promise<number> => {
    const md = await MdGpu.create(engine, frame, { dtFs: 1, thermostat: { kind: 'nve' } });
    await md.run(1);
    await md.thermo();
    const t = performance.now();
    await md.run(steps);
    await md.thermo();
    md.destroy();
    return (performance.now() - t) / 1000 / steps;
  };
  for (const [name, make] of systems) {
    const frame = make();
    const n = frame.symbols.length;
    if (n > maxAtoms) {
      rows.push(`| ${name} | all | 1, 4 | skipped (--max-atoms ${maxAtoms}) | | | | | | | | |`);
      continue;
    }
    for (const [set, one, four] of modelSets) {
      const first = one[0];
      const nn = meanNeighbours(frame, first.descriptor.rcut, first.descriptor.nnei);
      const flops = flopsPerAtom(dpLayout([first]), nn);
      for (const models of [one, four]) {
        const nm = models.length;
        const engineFor = async (tab: boolean) => {
          const key = `${set}:${nm}:${tab}`;
          let e = engines.get(key);
          if (!e) engines.set(key, (e = await DpGpuEngine.create(device, [...models], tab ? { tabulate: true } : {})));
          return e;
        };
        const sec = await timeSteps(await engineFor(false), frame);
        const secTab = tabulated ? await timeSteps(await engineFor(true), frame) : NaN;
        const gflop = (flops * n * nm) / 1e9;
        let cpuMs = NaN;
        if (n <= cpuMax) {
          const ev = new DpEvaluator(first);
          ev.evaluate(frame);
          let best = Infinity;
          for (let r = 0; r < 2; r++) {
            const t1 = performance.now();
            ev.evaluate(frame);
            best = Math.min(best, performance.now() - t1);
          }
          cpuMs = best * nm; // the CPU evaluates the models (one architecture) one after the other
        }
        const opt = (x: number, f: (x: number) => string) => (Number.isNaN(x) ? '—' : f(x));
        rows.push(`| ${name} (${nn.toFixed(0)} nbrs) | ${set} | ${nm} | ${(1 / sec).toFixed(2)} | ${((sec * 1e6) / n / nm).toFixed(0)} | ${gflop.toFixed(2)} | ${(gflop / sec).toFixed(3)} | ${((100 * gflop) / sec / mm).toFixed(0)} % | ${opt(secTab, (t) => (1 / t).toFixed(2))} | ${opt(secTab, (t) => (sec / t).toFixed(2))} | ${opt(cpuMs, (c) => c.toFixed(0))} | ${opt(cpuMs, (c) => (c / 1000 / sec).toFixed(2))} |`);
        console.log(rows[rows.length - 1]);
      }
    }
  }
  for (const e of engines.values()) e.destroy();
  console.log(`\nsteps per measurement: ${steps} (after 1 warm-up step); tabulated = quintic tables, step 0.01 (dp compress default)\n`);
  console.log(rows.join('\n'));
  device.destroy();
  releaseNodeGpu();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
