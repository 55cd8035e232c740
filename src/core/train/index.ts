/**
 * The built-in DP-SE trainer (pure TypeScript, float64; see README.md). Units: Å, eV, eV/Å;
 * RMSEs of energies per atom (eV/atom).
 *
 *   trainModel(data, settings, { seed, onProgress?, signal?, onWarning? }) → Promise<TrainResult>
 *   trainEnsemble(data, settings, seeds = [1, 2, 3, 4], opts?)          → Promise<TrainResult[]>  (sequential)
 *   trainEnsembleInThreads(data, settings, { seeds, threads, … })        → parallel worker threads: import from src/node/train/ensemble-threads.ts (Node only)
 *   initDpModel(arch, seed), initModelWithStats(arch, data, seed)      → DpModel
 *   computeEnvStats(model, frames) (davg/dstd), computeEnergyBias(model, data) (out_bias, eV/atom per type)
 *   makeLrSchedule / lrAt / prefactor / Adam                           (DeePMD's schedules and torch's Adam)
 *   DpTrainEngine                                                      (loss and exact gradient of one frame)
 *   TrainOptions.checkpointEvery/checkpointSeconds/onCheckpoint, resume   (bit-identical resume; checkpoint.ts)
 *   modelRmse(model, data)                                             (eV/atom, eV/Å)
 */
export type {
  LabeledFrame, DpArchitecture, AutoSel, TrainSettings, CurvePoint, RmseSummary, TrainResult, TrainProgress, TrainOptions, TrainCheckpoint,
} from './types.ts';
export { initDpModel, cloneDpModel, modelDefScript, type ResolvedArchitecture } from './init.ts';
export { computeEnvStats, computeEnergyBias, resolveAutoSel, maxNeighbours, statAvg, statStd, STD_PROTECTION, STD_DEFAULT, type EnvStats, type StatItem } from './stats.ts';
export { makeLrSchedule, lrAt, prefactor, Adam, type LrSchedule } from './schedule.ts';
export { DpTrainEngine, type PreparedFrame, type FrameLoss } from './engine.ts';
export {
  trainModel, trainEnsemble, resolveSettings, splitIndices, modelRmse, engineRmse, initModelWithStats, type ResolvedSettings,
} from './trainer.ts';
