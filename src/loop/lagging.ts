/**
 * The lagging-seed rule (plan.training.replaceLagging): after an iteration's training, a member
 * whose validation force RMSE is more than `factor` × the ensemble's median is trained again from
 * random weights with a fresh seed, and the better of the two is kept. One slow seed otherwise
 * dominates max_devi_f (the deviation is a spread over models) and marks ordinary frames as
 * candidates; DP-GEN users replace such a seed by hand.
 *
 * Resumable in three durable steps under MODELDIR: (1) lagging.json records the decision (which
 * members, old and new seed, old RMSEs) before any retraining, so a resumed run does not decide
 * again on half-replaced members; (2) the retrain runs in MODELDIR/retrain/ with checkpoints (a
 * kill resumes it); (3) lagging.json records the outcome, then the kept new member is copied over
 * model-K (the old one first to MODELDIR/lagging/), idempotently.
 * Units: RMSE energy eV/atom, force eV/Å.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainSettings } from '../core/train/types.ts';
import type { Plan, SystemKind } from './plan.ts';
import { writeAtomic } from '../node/write-atomic.ts';
import { memberFile, memberMetaFile, readMember, trainIterationEnsemble, type MemberResult, type TrainingFrame } from './train.ts';

export interface RmsePair { energyPerAtom: number; force: number }

export interface Replacement {
  model: number;
  oldSeed: number;
  newSeed: number;
  /** Validation RMSEs of the lagging member and of its retrain (null until it finished). */
  old: RmsePair;
  new: RmsePair | null;
  /** Which one the ensemble keeps (null until decided): the lower validation force RMSE. */
  kept: 'new' | 'old' | null;
}

export interface LaggingRecord {
  factor: number;
  /** Per-member validation force RMSE as trained, eV/Å, and their median. */
  forces: number[];
  medianForce: number;
  replaced: Replacement[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Stands for a non-finite RMSE (a diverged model; JSON has no Infinity): the worst possible member. */
const DIVERGED = 1e30;

/** Validation RMSEs of a member, or null when it was trained without validation frames. */
export function validationRmse(m: MemberResult): RmsePair | null {
  if (!('rmseForceValidation' in m.metrics)) return null;
  const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : DIVERGED);
  return { energyPerAtom: finite(m.metrics.rmseEnergyPerAtomValidation), force: finite(m.metrics.rmseForceValidation) };
}

/** Members whose validation force RMSE exceeds factor × the median (indices), with the median, eV/Å. */
export function findLagging(forces: number[], factor: number): { medianForce: number; lagging: number[] } {
  const medianForce = median(forces);
  return { medianForce, lagging: forces.flatMap((f, k) => (f > factor * medianForce ? [k] : [])) };
}

/** A fresh seed for member k retrained in iteration n: unique within the run (initial seeds are seed … seed+models−1). */
export const replacementSeed = (seed: number, models: number, n: number, k: number): number => seed + models * (n + 1) + k;

/**
 * The warning of issue 11 when "accurate" cannot be reached: a frame is accurate only when
 * max_devi_f < trust lo, and max_devi_f (the largest per-atom spread of the models' forces) is of
 * the order of the models' force error or above it; with a validation force RMSE above lo nearly no
 * frame is accurate and the convergence rule (accurate fraction ≥ 0.99) cannot trigger.
 */
export function trustWarning(plan: Plan, kinds: SystemKind[], validationForce: number): string | null {
  const above = kinds.filter((k) => validationForce > plan.trust[k].lo);
  if (!above.length || !Number.isFinite(validationForce)) return null;
  return `validation force RMSE (median over models) ${validationForce.toFixed(3)} eV/Å is above trust lo of ${above.map((k) => `${k} (${plan.trust[k].lo} eV/Å)`).join(', ')}: ` +
    `max_devi_f is of the order of the force error, so few frames can be "accurate" and the convergence level ${plan.convergence.accurate} is out of reach; ` +
    'train a more accurate model or raise trust lo';
}

const recordFile = (dir: string): string => join(dir, 'lagging.json');

/** The lagging record of a model folder, or null (rule off, or no validation frames). */
export function readLaggingRecord(dir: string): LaggingRecord | null {
  return existsSync(recordFile(dir)) ? (JSON.parse(readFileSync(recordFile(dir), 'utf8')) as LaggingRecord) : null;
}

/**
 * Apply the rule to a trained ensemble in `dir` (resumable; see the file comment). `settings` are
 * the from-scratch settings of a retrain. Returns the final members and the record (null when the
 * rule is off or the members have no validation RMSE).
 */
export async function replaceLaggingMembers(opts: {
  plan: Plan; dir: string; iteration: number; data: TrainingFrame[]; members: MemberResult[]; settings: TrainSettings;
  seed: number; threads: number; onCheckpoint?: () => void; log: (m: string) => void;
}): Promise<{ members: MemberResult[]; record: LaggingRecord | null }> {
  const { plan, dir, iteration: n, log } = opts;
  const rule = plan.training.replaceLagging;
  let record = readLaggingRecord(dir);
  if (!record) {
    const rmse = opts.members.map(validationRmse);
    if (!rule || rmse.some((r) => r === null)) return { members: opts.members, record: null };
    const forces = rmse.map((r) => r!.force);
    const { medianForce, lagging } = findLagging(forces, rule.factor);
    record = {
      factor: rule.factor, forces, medianForce,
      replaced: lagging.map((k) => ({ model: k, oldSeed: opts.members[k].seed, newSeed: replacementSeed(opts.seed, opts.members.length, n, k), old: rmse[k]!, new: null, kept: null })),
    };
    writeAtomic(recordFile(dir), JSON.stringify(record, null, 1));
    for (const r of record.replaced) {
      log(`iteration ${n}: model ${r.model} (seed ${r.oldSeed}) lags: validation force RMSE ${r.old.force.toFixed(3)} eV/Å > ${rule.factor} × median ${medianForce.toFixed(3)}; retraining it from random weights with seed ${r.newSeed}`);
    }
  }
  const open = record.replaced.filter((r) => r.kept === null);
  if (open.length) {
    const retrainDir = join(dir, 'retrain');
    const seeds = opts.members.map((m, k) => record!.replaced.find((r) => r.model === k)?.newSeed ?? m.seed);
    const fresh = await trainIterationEnsemble({
      dir: retrainDir, data: opts.data, settings: opts.settings, seeds, previous: null, threads: opts.threads,
      only: open.map((r) => r.model), checkpointEvery: plan.training.checkpointEvery, onCheckpoint: opts.onCheckpoint, log,
    });
    record = {
      ...record,
      replaced: record.replaced.map((r) => {
        if (r.kept !== null) return r;
        const v = validationRmse(fresh[r.model]!)!;
        return { ...r, new: v, kept: v.force < r.old.force ? 'new' : 'old' };
      }),
    };
    writeAtomic(recordFile(dir), JSON.stringify(record, null, 1));
    for (const r of record.replaced) {
      log(`iteration ${n}: model ${r.model} retrained with seed ${r.newSeed}: validation force RMSE ${r.new!.force.toFixed(3)} eV/Å (was ${r.old.force.toFixed(3)}), energy ${(1000 * r.new!.energyPerAtom).toFixed(1)} meV/atom (was ${(1000 * r.old.energyPerAtom).toFixed(1)}) → keeps the ${r.kept} seed`);
    }
  }
  // apply (idempotent): the old member is saved once, then the kept retrain replaces it
  for (const r of record.replaced.filter((x) => x.kept === 'new')) {
    const saved = join(dir, 'lagging'), retrained = join(dir, 'retrain');
    mkdirSync(saved, { recursive: true });
    if (!existsSync(memberMetaFile(saved, r.model))) {
      copyFileSync(memberFile(dir, r.model), memberFile(saved, r.model));
      copyFileSync(memberMetaFile(dir, r.model), memberMetaFile(saved, r.model));
    }
    writeAtomic(memberFile(dir, r.model), readFileSync(memberFile(retrained, r.model)));
    const m = readMember(retrained, r.model)!;
    writeAtomic(memberMetaFile(dir, r.model), JSON.stringify({ ...m, file: memberFile(dir, r.model) } satisfies MemberResult));
  }
  return { members: opts.members.map((m, k) => readMember(dir, k) ?? m), record };
}
