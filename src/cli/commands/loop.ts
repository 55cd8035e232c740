/**
 * `nanostudio loop`: the paper's active-learning workflow, automated and resumable (src/loop).
 * This command only parses options; the orchestration lives in src/loop/run.ts.
 */
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { numberOption, parseOptions, required } from '../args.ts';
import { parseLabelerString, type LabelerSpec } from '../../backend/index.ts';
import { PlanError } from '../../loop/plan.ts';
import { runLoop } from '../../loop/run.ts';

const USAGE = [
  'usage: nanostudio loop --plan PLAN.yaml --labeler eam:FILE|cp2k --iterations N --out DIR',
  '                       [--init-data INIT.extxyz] [--server URL --token T] [--train-steps S] [--models 4] [--seed 1]',
  '                       [--engine auto|cpu|webgpu] [--threads K] [--dataset NAME] [--plan-override OVERRIDE.yaml]',
  '',
  'Runs the active-learning loop of the plan (see plans/*.yaml): per iteration, train the ensemble',
  '(--models seeds, continuing from the previous iteration\'s models) → explore with MD driven by model 0',
  '(deviation of every saved frame: model_devi.out per run) → select candidate frames (trust levels',
  'lo ≤ max_devi_f < hi, per-iteration cap, farthest-point diversity thinning) → label them → add them',
  'to the data set. Stops after N iterations or when the accurate fraction of every explored system',
  'type reaches the plan\'s convergence level (DP-GEN: 0.99). Writes DIR/report.json and DIR/report.html.',
  '',
  'Without --init-data the initial data are BHMC relaxation trajectories computed with the labeler',
  '(plan.initData). Without --server the data live in the embedded store DIR/nanostudio.sqlite; with',
  '--server URL --token T they go through that backend (data set, label jobs, iterations).',
  'Kill it at any point (even kill -9) and run the same command again: it resumes where it stopped.',
  '',
  '  --engine auto   exploration on a hardware WebGPU adapter when one is found, else the CPU (default)',
  '  --threads K     models trained at the same time (default: the number of cores)',
  '  --plan-override OVERRIDE.yaml  fields merged into the plan before validation (objects key by key,',
  '                  systems by name), e.g. `training: { steps: 20 }` or `systems: [{ name: bulk, steps: 40 }]`',
].join('\n');

export const loopCommand: Command = {
  name: 'loop',
  summary: 'active learning: train → explore → select → label, iterated and resumable, with a report',
  usage: USAGE,
  async run(argv) {
    const v = parseOptions(argv, ['plan', 'init-data', 'labeler', 'iterations', 'out', 'server', 'token', 'train-steps', 'models', 'seed', 'engine', 'threads', 'dataset', 'plan-override']);
    const planPath = required(v, 'plan');
    const out = required(v, 'out');
    let labeler: LabelerSpec;
    try { labeler = parseLabelerString(required(v, 'labeler')); } catch (e) { throw e instanceof UsageError ? e : new UsageError(`--labeler: ${(e as Error).message}`); }
    const iterations = numberOption(v, 'iterations', { integer: true, positive: true });
    if (iterations === undefined) throw new UsageError('--iterations is required');
    if ((v.server === undefined) !== (v.token === undefined)) throw new UsageError('--server and --token go together');
    const engine = v.engine ?? 'auto';
    if (engine !== 'auto' && engine !== 'cpu' && engine !== 'webgpu') throw new UsageError(`--engine must be auto, cpu or webgpu, got '${engine}'`);
    try {
      await runLoop({
        planPath, planOverride: v['plan-override'], out, initData: v['init-data'], labeler, iterations, server: v.server, token: v.token,
        trainSteps: numberOption(v, 'train-steps', { integer: true, positive: true }),
        models: numberOption(v, 'models', { integer: true, min: 2 }) ?? 4,
        seed: numberOption(v, 'seed', { integer: true, min: 0 }) ?? 1,
        engine, threads: numberOption(v, 'threads', { integer: true, positive: true }), dataset: v.dataset,
        command: `nanostudio loop ${argv.join(' ')}`,
        log: (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`),
      });
    } catch (e) {
      if (e instanceof PlanError) {
        console.error(e.message);
        return 2;
      }
      throw e;
    }
    return 0;
  },
};
