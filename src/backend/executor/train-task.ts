/**
 * The train wrapper of an executor task (task-main.ts `train DIR`): one ensemble member with the
 * built-in trainer, checkpointed (parameters + Adam state, src/core/train) into DIR/checkpoint.json
 * every `checkpointEverySeconds`. A resubmitted task (time limit, node failure) continues from that
 * checkpoint instead of step 0. The model goes to DIR/model.dp (DeePMD-kit v3 .dp).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainCheckpoint } from '../../core/train/types.ts';
import type { LabeledFrameRecord } from '../export/labeled-frame.ts';
import { startEnsembleTraining } from '../train/train-models.ts';
import { frameFromJson, taskPaths, type TrainTaskResult, type TrainTaskSpec } from './task-files.ts';
import { writeJsonAtomic } from '../../node/write-atomic.ts';

export async function runTrainTask(dir: string, spec: TrainTaskSpec): Promise<TrainTaskResult> {
  const frames: LabeledFrameRecord[] = spec.frames.map((f) => ({
    id: f.id, frame: frameFromJson(f.frame), energy: f.energy, forces: Float64Array.from(f.forces), virial: f.virial ? Float64Array.from(f.virial) : null, calculator: '',
  }));
  const cpPath = taskPaths(dir).checkpoint;
  const resume = existsSync(cpPath) ? [JSON.parse(readFileSync(cpPath, 'utf8')) as TrainCheckpoint] : undefined;
  const resumedFromStep = resume?.[0].step ?? 0;
  console.log(resume ? `resuming member ${spec.member} from its checkpoint at step ${resumedFromStep}` : `training member ${spec.member} from step 0`);
  const threads = Math.max(1, Number(process.env.SLURM_CPUS_PER_TASK ?? 1));
  const run = startEnsembleTraining(frames, spec.settings, (_k, row) => console.log(`step ${row.step} loss ${row.loss.toExponential(3)} rmse_e ${row.rmseETrain.toExponential(3)} eV/atom`), threads, () => {}, {
    members: [spec.member],
    resume,
    checkpointSeconds: spec.settings.checkpointEverySeconds,
    onCheckpoint: (_k, cp) => writeJsonAtomic(cpPath, cp),
  });
  const [m] = await run.promise;
  const modelFile = join(dir, 'model.dp');
  writeFileSync(modelFile, m.dp);
  return { kind: 'train', item: spec.item, seed: m.seed, trainer: 'nanostudio built-in DP-SE (float64)', modelFile, format: 'dp', curve: m.curve, metrics: m.metrics, resumedFromStep };
}
