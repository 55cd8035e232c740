/**
 * `nanostudio label`: label the frames of an extended XYZ file with EAM or CP2K, standalone
 * (no server). Labeled frames (energy eV, forces eV/Å) go to --out; frames whose label failed go
 * to OUT.failed.extxyz with the reason, and are counted on standard error: none is dropped silently.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { optionCommand, UsageError, type OptionSpec } from '../command.ts';
import { readExtxyz, writeExtxyz, type XyzFrame } from '../../core/io/extxyz.ts';
import { createLabeler, labelFrame, parseLabelerString, type Cp2kSettingsInput, type LabelerSpec } from '../../backend/index.ts';

const USAGE = [
  'usage: nanostudio label --potential eam[:FILE]|cp2k --structure S.extxyz --out labeled.extxyz',
  '                        [--cp2k-cutoff RY] [--cp2k-rel-cutoff RY] [--cp2k-basis NAME] [--cp2k-potential NAME]',
  '                        [--cp2k-vacuum A] [--cp2k-max-scf N] [--cp2k-threads N] [--cp2k-timeout S] [--cp2k-no-d3]',
  '',
  'Reference energies (eV) and forces (eV/Å) of every frame, written as extended XYZ (energy in the',
  'comment line, forces as a column). Failed frames (e.g. SCF not converged) are written to',
  'OUT.failed.extxyz with label_reason; the exit code is 3 when any frame failed.',
  '',
  'reference potentials (--potential, as in the other commands; --calculator is the old name, still accepted):',
  '  eam[:FILE]   LAMMPS EAM file (default: bundled Cu_u3.eam)',
  '  cp2k         CP2K/Quickstep with the paper settings: PBE-D3, GTH-PBE, TZV2P-MOLOPT-SR-GTH,',
  '               800 Ry / rel 80, Fermi-Dirac 300 K, Broyden mixing, UKS for odd electron counts,',
  '               clusters in a cubic box with 10 Å vacuum; cp2k found on PATH, data in /usr/share/cp2k',
].join('\n');

function positive(v: string | undefined, name: string, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${v}'`);
  return x;
}

const OPTIONS = {
  potential: { type: 'string' }, calculator: { type: 'string' }, structure: { type: 'string' }, out: { type: 'string' },
  'cp2k-cutoff': { type: 'string' }, 'cp2k-rel-cutoff': { type: 'string' }, 'cp2k-basis': { type: 'string' },
  'cp2k-potential': { type: 'string' }, 'cp2k-vacuum': { type: 'string' }, 'cp2k-max-scf': { type: 'string' },
  'cp2k-threads': { type: 'string' }, 'cp2k-timeout': { type: 'string' }, 'cp2k-no-d3': { type: 'boolean', default: false },
} satisfies OptionSpec;

export const labelCommand = optionCommand({ name: 'label', summary: 'label extended XYZ frames with EAM or CP2K (energies eV, forces eV/Å), no server needed', usage: USAGE, options: OPTIONS }, async (values) => {
  if (values.potential !== undefined && values.calculator !== undefined && values.potential !== values.calculator) {
    throw new UsageError(`--calculator is an alias of --potential: give one (got --potential ${values.potential} and --calculator ${values.calculator})`);
  }
  const potential = values.potential ?? values.calculator;
  if (!potential) throw new UsageError('--potential is required');
  if (!values.structure) throw new UsageError('--structure is required');
  if (!values.out) throw new UsageError('--out is required');
  let spec: LabelerSpec;
  try { spec = parseLabelerString(potential); } catch (e) { throw new UsageError((e as Error).message); }
  if (spec.kind === 'cp2k') {
    const s: Cp2kSettingsInput = {
      cutoff: positive(values['cp2k-cutoff'], 'cp2k-cutoff'), relCutoff: positive(values['cp2k-rel-cutoff'], 'cp2k-rel-cutoff'),
      basis: values['cp2k-basis'], potential: values['cp2k-potential'], vacuum: positive(values['cp2k-vacuum'], 'cp2k-vacuum'),
      maxScf: positive(values['cp2k-max-scf'], 'cp2k-max-scf', true), threads: positive(values['cp2k-threads'], 'cp2k-threads', true),
      timeoutSeconds: positive(values['cp2k-timeout'], 'cp2k-timeout'), d3: values['cp2k-no-d3'] ? false : undefined,
    };
    spec = { kind: 'cp2k', settings: Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) };
  } else if (Object.keys(values).some((k) => k.startsWith('cp2k-') && k !== 'cp2k-no-d3' && values[k as keyof typeof values] !== undefined)) {
    throw new UsageError('--cp2k-* options need --potential cp2k');
  }
  const frames = readExtxyz(readFileSync(values.structure, 'utf8'), values.structure);
  const labeler = await createLabeler(spec);
  console.error(`labeling ${frames.length} frame(s) of ${values.structure} with ${labeler.name}`);
  const ok: XyzFrame[] = [];
  const failed: XyzFrame[] = [];
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    const t0 = performance.now();
    const r = await labelFrame(labeler, f);
    const seconds = (performance.now() - t0) / 1000;
    const info = { ...(f.info ?? {}), source_frame: k, calculator: labeler.name };
    if (r.status === 'ok') {
      const out: XyzFrame = { ...f, info: { ...info, energy: r.energy }, arrays: { ...f.arrays, forces: r.forces } };
      if (r.virial) out.info!.virial = Array.from(r.virial, (x) => x.toPrecision(12)).join(' ');
      ok.push(out);
      console.error(`frame ${k}: E = ${r.energy.toFixed(6)} eV (${seconds.toFixed(2)} s)`);
    } else {
      failed.push({ ...f, info: { ...info, label_status: 'failed', label_reason: r.reason.replace(/\s+/g, ' ').slice(0, 500) } });
      console.error(`frame ${k}: FAILED: ${r.reason}`);
    }
  }
  writeFileSync(values.out, ok.length ? writeExtxyz(ok) : '');
  const failedPath = values.out.replace(/(\.extxyz|\.xyz)?$/, '.failed.extxyz');
  if (failed.length) writeFileSync(failedPath, writeExtxyz(failed));
  console.error(`${ok.length} labeled → ${values.out}${failed.length ? `; ${failed.length} failed → ${failedPath}` : ''}`);
  return failed.length ? 3 : 0;
});
