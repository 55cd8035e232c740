/**
 * `nanostudio eval`: single-point energy, forces and virial of the frames of an extended XYZ file
 * with a DP model, a DP ensemble (per-model results + DP-GEN model deviation), or any potential
 * that `--potential` names (eam:, lj:, dp:).
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readStructure } from '../args.ts';
import { optionCommand, UsageError, type OptionSpec } from '../command.ts';
import type { XyzFrame } from '../../core/io/extxyz.ts';
import type { AsyncCalculator, CalcResult, Calculator } from '../../core/potentials/calculator.ts';
import { DpGpuCalculator } from '../../gpu/dp-gpu-calculator.ts';
import { getNodeGpu, releaseNodeGpu } from '../../node/gpu-device.ts';
import { adapterLabel } from '../../gpu/adapter-info.ts';
import { loadPotential, noTabulateUsage } from '../potential-spec.ts';
import { readDpModelFile } from '../../node/dp-file.ts';
import { DpCalculator } from '../../core/potentials/dp/evaluator.ts';
import { DpEnsembleCalculator, type EnsembleResult } from '../../core/potentials/dp/ensemble.ts';
import { formatModelDeviOut } from '../../core/potentials/dp/model-devi-out.ts';
import type { ModelDeviation } from '../../core/potentials/dp/deviation.ts';

const USAGE = [
  'usage: nanostudio eval (--model A.dp [--model B.dp ...] | --potential SPEC) --structure S.extxyz',
  '                       [--frames all|N|a:b] [--json] [--model-devi-out FILE] [--lo 0.05 --hi 0.15] [--no-tabulate]',
  '',
  'Energy (eV), atomic energies, forces (eV/Å), virial and atomic virials (eV; stress = −virial/V)',
  'of every selected frame. With several DP models: per-model results and the model deviation',
  '(dp model-devi definitions) with the DP-GEN class good / decent / poor (lo ≤ max_devi_f < hi = decent).',
  '',
  'options:',
  '  --model FILE          DeePMD-kit v3 model (.dp, .yaml/.yml, .json); repeat for an ensemble',
  '  --potential SPEC      dp:A.dp[,B.dp...] (same as --model), eam:FILE, lj:epsilon=E,sigma=S[,rc=R]',
  '  --structure FILE      extended XYZ (Lattice and pbc honoured; species mapped to the type_map by symbol)',
  '  --frames SEL          all (default), N (0-based frame index; negative counts from the end,',
  '                        written --frames=-1) or a:b (half-open, as a python slice)',
  '  --json                one JSON object per frame and line on standard output',
  '  --model-devi-out FILE write DeePMD-kit model_devi.out (step = frame index; ensembles only)',
  '  --lo X --hi Y         force trust levels, eV/Å (default 0.05 / 0.15)',
  '  --v-lo X --v-hi Y     virial trust levels, eV/atom (default 1e10: off, as DP-GEN)',
  '  --relative L          relative force deviation ε/(|F̄|+L)',
  '  --relative-v L        relative virial deviation',
  '  --mean                report the ensemble mean as the top-level result (default: model 0, as LAMMPS)',
  '  --engine cpu|webgpu   cpu: float64 reference (default); webgpu: the WGSL engine (float32) on the',
  '                        machine\'s WebGPU adapter (a GPU, or SwiftShader from Debian\'s chromium); DP only',
  ...noTabulateUsage(24),
].join('\n');

/** Indices selected by --frames among n frames. */
export function selectFrames(sel: string, n: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  const s = sel.trim();
  if (s === '' || s === 'all') return all;
  const int = (t: string, what: string): number => {
    if (!/^-?\d+$/.test(t)) throw new UsageError(`--frames: ${what} '${t}' is not an integer`);
    const v = Number(t);
    return v < 0 ? n + v : v;
  };
  if (s.includes(':')) {
    const [a, b] = s.split(':');
    const lo = a === '' ? 0 : Math.max(0, int(a, 'start'));
    const hi = b === '' || b === undefined ? n : Math.min(n, int(b, 'end'));
    const out = all.slice(lo, hi);
    if (out.length === 0) throw new UsageError(`--frames ${sel} selects no frame (the file has ${n})`);
    return out;
  }
  const k = int(s, 'index');
  if (k < 0 || k >= n) throw new UsageError(`--frames ${sel}: the file has ${n} frame(s)`);
  return [k];
}

function num(v: string | undefined, name: string, dflt?: number): number | undefined {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return x;
}

const rows = (a: ArrayLike<number>, w: number): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += w) out.push(Array.from({ length: w }, (_, k) => a[i + k]));
  return out;
};

function resultJson(r: CalcResult): Record<string, unknown> {
  return {
    energy: r.energy,
    atomic_energies: r.atomicEnergies ? Array.from(r.atomicEnergies) : null,
    forces: rows(r.forces, 3),
    virial: r.virial ? Array.from(r.virial) : null,
    atomic_virials: r.atomicVirials ? rows(r.atomicVirials, 9) : null,
  };
}

function deviationJson(d: ModelDeviation & { class?: string }): Record<string, unknown> {
  return {
    max_devi_f: d.max_devi_f, min_devi_f: d.min_devi_f, avg_devi_f: d.avg_devi_f, devi_e: d.devi_e,
    max_devi_v: d.max_devi_v, min_devi_v: d.min_devi_v, avg_devi_v: d.avg_devi_v,
    class: d.class ?? null,
  };
}

function isEnsemble(r: CalcResult): r is EnsembleResult {
  return 'deviation' in r && 'models' in r;
}

function maxForce(f: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < f.length; i += 3) m = Math.max(m, Math.hypot(f[i], f[i + 1], f[i + 2]));
  return m;
}

const OPTIONS = {
  model: { type: 'string', multiple: true },
  potential: { type: 'string' },
  structure: { type: 'string' },
  frames: { type: 'string' },
  json: { type: 'boolean' },
  'model-devi-out': { type: 'string' },
  lo: { type: 'string' },
  hi: { type: 'string' },
  'v-lo': { type: 'string' },
  'v-hi': { type: 'string' },
  relative: { type: 'string' },
  'relative-v': { type: 'string' },
  mean: { type: 'boolean' },
  engine: { type: 'string' },
  'no-tabulate': { type: 'boolean' },
} satisfies OptionSpec;

export const evalCommand = optionCommand({ name: 'eval', summary: 'energy, forces and virial (and DP ensemble model deviation) of extended XYZ frames', usage: USAGE, options: OPTIONS }, async (values) => {
  const modelFiles = (values.model as string[] | undefined) ?? [];
  const potential = values.potential as string | undefined;
  const structure = values.structure as string | undefined;
  if (!structure) throw new UsageError('--structure is required');
  if (modelFiles.length > 0 && potential) throw new UsageError('give either --model or --potential, not both');
  if (modelFiles.length === 0 && !potential) throw new UsageError('a potential is required: --model FILE or --potential SPEC');
  const lo = num(values.lo as string | undefined, 'lo', 0.05)!;
  const hi = num(values.hi as string | undefined, 'hi', 0.15)!;
  if (!(lo <= hi)) throw new UsageError(`--lo (${lo}) must not exceed --hi (${hi})`);
  const vLo = num(values['v-lo'] as string | undefined, 'v-lo', 1e10)!;
  const vHi = num(values['v-hi'] as string | undefined, 'v-hi', 1e10)!;
  const relative = num(values.relative as string | undefined, 'relative');
  const relativeV = num(values['relative-v'] as string | undefined, 'relative-v');
  const warn = (m: string) => console.error(`warning: ${m}`);

  const engine = (values.engine as string | undefined) ?? 'cpu';
  if (engine !== 'cpu' && engine !== 'webgpu') throw new UsageError(`--engine must be cpu or webgpu, got '${engine}'`);

  // The calculator: DP model files (also `--potential dp:...`), else any --potential scheme.
  const dpFiles = modelFiles.length > 0 ? modelFiles : potential!.trim().startsWith('dp:') ? potential!.trim().slice(3).split(',').map((s) => s.trim()).filter(Boolean) : [];
  let calc: Calculator | AsyncCalculator;
  let release = () => {};
  // The WebGPU device is released however the evaluation ends (failed frames included).
  try {
    if (engine === 'webgpu') {
      if (dpFiles.length === 0) throw new UsageError('--engine webgpu evaluates DeePMD models only (--model or --potential dp:...)');
      const models = await Promise.all(dpFiles.map((f) => readDpModelFile(f, { onWarning: warn })));
      const gpu = await openWebGpu();
      release = () => {
        gpu.device.destroy();
        releaseNodeGpu();
      };
      const g = await DpGpuCalculator.create(gpu.device, models, {
        reduce: values.mean ? 'mean' : 'model0',
        trust: { lo, hi, vLo, vHi },
        deviation: { relative, relativeV },
        onWarning: warn,
        name: `DP ${models.length > 1 ? `ensemble of ${models.length}` : 'model'} on WebGPU (${adapterLabel(gpu.info)}): ${dpFiles.map((f) => basename(f)).join(', ')}`,
      });
      calc = g;
      const closeDevice = release;
      release = () => {
        g.destroy();
        closeDevice();
      };
    } else if (dpFiles.length > 0) {
      const models = await Promise.all(dpFiles.map((f) => readDpModelFile(f, { onWarning: warn })));
      const tabulate = values['no-tabulate'] ? false : {};
      calc = models.length === 1
        ? new DpCalculator(models[0], { name: `DP ${basename(dpFiles[0])}`, onWarning: warn, tabulate })
        : new DpEnsembleCalculator(models, {
          tabulate,
          reduce: values.mean ? 'mean' : 'model0',
          trust: { lo, hi, vLo, vHi },
          deviation: { relative, relativeV },
          onWarning: warn,
          name: `DP ensemble of ${models.length}: ${dpFiles.map((f) => basename(f)).join(', ')}`,
        });
    } else {
      calc = await loadPotential(potential!, { tabulate: !values['no-tabulate'] });
    }
    const ensemble = calc instanceof DpEnsembleCalculator || (calc instanceof DpGpuCalculator && calc.engine.nmodels > 1);
    const devOut = values['model-devi-out'] as string | undefined;
    if (devOut && !ensemble) throw new UsageError('--model-devi-out needs an ensemble of at least two DP models');

    const frames: XyzFrame[] = readStructure(structure);
    const indices = selectFrames((values.frames as string | undefined) ?? 'all', frames.length);

    if (!values.json) {
      console.log(`potential: ${calc.name}`);
      console.log(`structure: ${structure} (${indices.length} of ${frames.length} frame(s))`);
      if (ensemble) console.log(`trust levels: force [${lo}, ${hi}) eV/Å; top-level results = ${values.mean ? 'ensemble mean' : 'model 0'}`);
    }
    const devRows: { step: number; deviation: ModelDeviation }[] = [];
    for (const k of indices) {
      const frame = frames[k];
      const n = frame.symbols.length;
      let r: CalcResult;
      try {
        r = await calc.compute(frame);
      } catch (e) {
        throw new Error(`frame ${k}: ${(e as Error).message}`);
      }
      if (values.json) {
        const out: Record<string, unknown> = { frame: k, natoms: n, ...resultJson(r) };
        if (isEnsemble(r)) {
          out.models = r.models.map(resultJson);
          out.deviation = deviationJson(r.deviation);
        }
        process.stdout.write(JSON.stringify(out) + '\n');
      } else {
        const v = r.virial;
        const line = [
          `frame ${k}: ${n} atoms`,
          `E = ${r.energy.toFixed(6)} eV (${(r.energy / n).toFixed(6)} eV/atom)`,
          `max|F| = ${maxForce(r.forces).toFixed(6)} eV/Å`,
          v ? `virial diag = (${v[0].toFixed(4)}, ${v[4].toFixed(4)}, ${v[8].toFixed(4)}) eV` : 'virial n/a',
        ].join('   ');
        console.log(line);
        if (isEnsemble(r)) {
          console.log(`  model energies (eV): ${r.models.map((m) => m.energy.toFixed(6)).join(', ')}`);
          const d = r.deviation;
          console.log(
            `  deviation: max_devi_f ${d.max_devi_f.toExponential(4)}  min_devi_f ${d.min_devi_f.toExponential(4)}  avg_devi_f ${d.avg_devi_f.toExponential(4)} eV/Å;` +
              `  devi_e ${d.devi_e.toExponential(4)} eV/atom;  max_devi_v ${d.max_devi_v.toExponential(4)} eV/atom  → ${d.class}`,
          );
        }
      }
      if (isEnsemble(r)) devRows.push({ step: k, deviation: r.deviation });
    }
    if (devOut) {
      writeFileSync(devOut, formatModelDeviOut(devRows, structure));
      console.error(`wrote ${devRows.length} row(s) to ${devOut}`);
    }
    if (ensemble && !values.json && devRows.length > 1) {
      const counts = { good: 0, decent: 0, poor: 0 };
      for (const row of devRows) counts[(row.deviation as ModelDeviation & { class: 'good' | 'decent' | 'poor' }).class]++;
      console.log(`classes: good ${counts.good}, decent ${counts.decent}, poor ${counts.poor}`);
    }
    return 0;
  } finally {
    release();
  }
});

/** A Dawn WebGPU device for the CLI (shaders read from the repository). */
async function openWebGpu() {
  await import('../../node/shaders-fs.ts');
  const gpu = await getNodeGpu();
  console.error(`webgpu: ${adapterLabel(gpu.info)}`);
  return gpu;
}
