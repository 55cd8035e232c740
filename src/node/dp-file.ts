/** Node-only helper: read a DeePMD model file from disk (the browser passes bytes to loadDpModel). */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { loadDpModel, type DpLoadOptions } from '../core/potentials/dp/load.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import { DpEnsembleCalculator, type DpEnsembleOptions } from '../core/potentials/dp/ensemble.ts';

/** Load a `.dp` / `.yaml` / `.yml` / `.json` model file. */
export async function readDpModelFile(path: string, opts: DpLoadOptions = {}): Promise<DpModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`cannot read model file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return await loadDpModel(bytes, basename(path), opts);
  } catch (e) {
    throw new Error(`${(e as Error).message.startsWith(basename(path)) ? path + (e as Error).message.slice(basename(path).length) : `${path}: ${(e as Error).message}`}`);
  }
}

/**
 * The `dp:` scheme of `--potential`: `A.dp[,B.dp,...]` → a DpCalculator for one model, a
 * DpEnsembleCalculator (model-0 forces, deviation attached, classified with the DP-GEN metal
 * trust levels 0.05 / 0.15 eV/Å unless opts.trust says otherwise) for several. The embedding
 * nets are tabulated by default (the CLI's CPU path; `tabulate: false` = `--no-tabulate`: exact nets).
 */
export async function loadDpPotential(arg: string, opts: DpLoadOptions & DpEnsembleOptions = {}): Promise<Calculator> {
  const paths = arg.split(',').map((s) => s.trim()).filter(Boolean);
  if (paths.length === 0) throw new Error('dp: needs at least one model file');
  const models = await Promise.all(paths.map((p) => readDpModelFile(p, opts)));
  const tabulate = opts.tabulate ?? {};
  if (models.length === 1) return new DpCalculator(models[0], { name: `DP ${basename(paths[0])}`, onWarning: opts.onWarning, tabulate });
  return new DpEnsembleCalculator(models, {
    ...opts,
    tabulate,
    trust: opts.trust ?? { lo: 0.05, hi: 0.15 },
    name: opts.name ?? `DP ensemble ${paths.map((p) => basename(p)).join(',')}`,
  });
}
