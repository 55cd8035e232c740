/**
 * Where a job's work runs (docs/jobs.md §4): `local` (worker threads of the service, the default)
 * or `slurm` (one sbatch job per frame / batch of frames / ensemble member, see slurm-client.ts).
 * The Slurm settings come from `nanostudio serve --slurm-*` flags over an optional YAML file
 * (`--slurm-config`), and a job may override any of them in POST /jobs `executor`. The resolved
 * settings are stored with the job, so a restart of the service with other flags does not change a
 * job under way. Times are Slurm's `--time` strings (e.g. 30, 1:00:00, 1-00:00:00).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Slurm `--time`: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS. */
const SLURM_TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$/;
/** A value that goes on an `#SBATCH` line or a shell line: no newline (it would start another line). */
const oneLine = z.string().min(1).refine((s) => !/[\r\n]/.test(s), 'must be one line');
const word = z.string().min(1).regex(/^[\w.+\-/@:=,]+$/, 'letters, digits and ._+-/@:=, only');

/** Every Slurm setting, all optional (files, flags and job overrides: only what they say). */
export const SlurmSettingsPartialSchema = z.object({
  /** sbatch --partition (default: the cluster's default partition). */
  partition: word.optional(),
  /** sbatch --account. */
  account: word.optional(),
  /** sbatch --qos. */
  qos: word.optional(),
  /** sbatch --time of each task. */
  time: z.string().regex(SLURM_TIME, 'must be a Slurm time like 30, 1:00:00 or 1-00:00:00').optional(),
  /** sbatch --cpus-per-task (also OMP_NUM_THREADS of cp2k, threads of the trainer). */
  cpusPerTask: z.number().int().positive().optional(),
  /** sbatch --mem, e.g. 4G (default: the partition's). */
  mem: z.string().regex(/^\d+[KMGT]?$/, 'must be like 4000, 4G or 500M').optional(),
  /** `module load` lines of each task's script, in order. */
  modules: z.array(word).optional(),
  /** Extra sbatch options, each without the `#SBATCH` prefix, e.g. "--constraint=skylake". */
  extraSbatch: z.array(oneLine.refine((s) => s.startsWith('-'), 'must be an sbatch option starting with -')).optional(),
  /** Shell lines run before the task (after the modules), e.g. "source ~/venv/bin/activate". */
  setup: z.array(oneLine).optional(),
  /** Frames per sbatch job of a label job. */
  batchSize: z.number().int().positive().max(10_000).optional(),
  /** Submissions of one task before the job fails (the first one included). */
  maxAttempts: z.number().int().min(1).max(100).optional(),
  /** Seconds between squeue polls. */
  pollSeconds: z.number().positive().max(3600).optional(),
  /** Folder of the task scripts, inputs and results; must be visible from the compute nodes (default DATA_DIR/slurm). */
  workDir: z.string().min(1).optional(),
  /** Node.js on the compute nodes (default: the service's own executable). */
  node: z.string().min(1).optional(),
  /** CP2K command of the tasks (default: the job's `calculator.settings.executable`, else `cp2k`), e.g. "srun cp2k.psmp". */
  cp2kCommand: oneLine.optional(),
}).strict();

export type SlurmSettingsInput = z.infer<typeof SlurmSettingsPartialSchema>;
type Defaulted = 'time' | 'cpusPerTask' | 'modules' | 'extraSbatch' | 'setup' | 'batchSize' | 'maxAttempts' | 'pollSeconds';
/** Complete Slurm settings (defaults filled in). */
export type SlurmSettings = Omit<SlurmSettingsInput, Defaulted> & Required<Pick<SlurmSettingsInput, Defaulted>>;

const SLURM_DEFAULTS: Pick<SlurmSettings, Defaulted> = { time: '1:00:00', cpusPerTask: 1, modules: [], extraSbatch: [], setup: [], batchSize: 1, maxAttempts: 3, pollSeconds: 10 };

/**
 * Settings of task folders run on this machine by the local script runner (local-client.ts):
 * no Slurm options (the #SBATCH lines of run.sh are comments to bash), the processes looked at
 * every second, and a script that ends without a result run again up to maxAttempts times (a
 * preempted or crashed `dp train` continues from its checkpoint).
 */
export function localTaskSettings(workDir: string): SlurmSettings & { workDir: string } {
  return { ...SLURM_DEFAULTS, pollSeconds: 1, workDir };
}

/** The given values only (no undefined keys, which would hide the values they are merged over). */
const given = <T extends object>(v: T): Partial<T> => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<T>;

/** Complete Slurm settings: the given ones over the defaults. */
export const SlurmSettingsSchema = SlurmSettingsPartialSchema.transform((v): SlurmSettings => ({ ...SLURM_DEFAULTS, ...given(v) }));

/** The executor part of a job (POST /jobs `executor`): a kind and, for Slurm, overrides of the service's settings. */
export const ExecutorRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z.object({ kind: z.literal('slurm'), slurm: SlurmSettingsPartialSchema.optional() }).strict(),
]);
export type ExecutorRequest = z.infer<typeof ExecutorRequestSchema>;

/** The resolved executor stored with a job. */
export type JobExecutor = { kind: 'local' } | { kind: 'slurm'; slurm: SlurmSettings & { workDir: string } };

/** The service's executor configuration (`nanostudio serve --executor …`). */
export interface ExecutorDefaults {
  kind: 'local' | 'slurm';
  /** Slurm settings of the service (from --slurm-config and the flags), before a job's overrides. */
  slurm: SlurmSettingsInput;
}

/** A bad executor configuration (file, flag or request), naming the field. */
export class ExecutorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutorConfigError';
  }
}

/** Zod issues as `where.field: message; …` (no prefix when `where` is empty). */
function issues(e: z.ZodError, where: string): string {
  return e.issues.map((i) => [where, ...i.path.map(String)].filter(Boolean).join('.') + `: ${i.message}`).join('; ');
}

/** Read a --slurm-config YAML file (keys as SlurmSettingsSchema); errors name the file and the field. */
export function loadSlurmConfigFile(path: string): SlurmSettingsInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExecutorConfigError(`cannot read Slurm config '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (e) {
    throw new ExecutorConfigError(`Slurm config '${path}' is not valid YAML: ${(e as Error).message}`);
  }
  const r = SlurmSettingsPartialSchema.safeParse(doc);
  if (!r.success) throw new ExecutorConfigError(`Slurm config '${path}': ${issues(r.error, 'slurm')}`);
  return given(r.data);
}

/**
 * The service's Slurm settings (`nanostudio serve`): the --slurm-config file's values with the
 * given --slurm-* flags over them (a flag not given hides nothing), validated, defaults filled in.
 */
export function serviceSlurmSettings(file: SlurmSettingsInput, flags: SlurmSettingsInput): SlurmSettings {
  const r = SlurmSettingsSchema.safeParse({ ...given(file), ...given(flags) });
  if (!r.success) throw new ExecutorConfigError(`Slurm settings: ${issues(r.error, '')}`);
  return r.data;
}

/**
 * The executor of a new job: the request's kind (or the service's), and for Slurm the service's
 * settings with the request's overrides, validated, with an absolute work folder.
 */
export function resolveExecutor(request: ExecutorRequest | undefined, defaults: ExecutorDefaults, dataDir: string): JobExecutor {
  const kind = request?.kind ?? defaults.kind;
  if (kind === 'local') return { kind: 'local' };
  const merged = { ...given(defaults.slurm), ...(request?.kind === 'slurm' ? given(request.slurm ?? {}) : {}) };
  const r = SlurmSettingsSchema.safeParse(merged);
  if (!r.success) throw new ExecutorConfigError(issues(r.error, 'executor.slurm'));
  const workDir = r.data.workDir ?? 'slurm';
  return { kind: 'slurm', slurm: { ...r.data, workDir: isAbsolute(workDir) ? workDir : resolve(dataDir, workDir) } };
}

/** The executor stored with a job (jobs created before executors existed ran locally). */
export function jobExecutor(params: Record<string, unknown>): JobExecutor {
  const e = params.executor as JobExecutor | undefined;
  return e && e.kind === 'slurm' ? e : { kind: 'local' };
}
