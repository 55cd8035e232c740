/** `nanostudio serve`: the backend service (HTTP API, SQLite store, label/train job runner). */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { numberOption, type OptionValues } from '../args.ts';
import { DEFAULT_BODY_LIMIT, DEFAULT_CORS_ORIGINS, ExecutorConfigError, loadSlurmConfigFile, serviceSlurmSettings, startService, type ExecutorDefaults, type SlurmSettings } from '../../backend/index.ts';

const USAGE = [
  'usage: nanostudio serve [--port 8787] [--host 127.0.0.1] [--data-dir .nanostudio] [--db FILE]',
  '                        [--cors-origin URL ...] [--body-limit MB] [--jobs N] [--log]',
  '                        [--executor local|slurm] [--slurm-config FILE.yaml] [--slurm-partition P]',
  '                        [--slurm-account A] [--slurm-time T] [--slurm-cpus N] [--slurm-mem M]',
  '                        [--slurm-module M ...] [--slurm-sbatch OPT ...] [--slurm-batch N]',
  '                        [--slurm-max-attempts N] [--slurm-poll S] [--slurm-work-dir DIR]',
  '',
  'Runs the backend service that labels frames (EAM, CP2K) and trains models for the studio.',
  'API description: GET /openapi.json; liveness: GET /healthz.',
  '',
  'options:',
  '  --port N            TCP port (default 8787; 0 = any free port)',
  '  --host ADDR         listen address (default 127.0.0.1; use a cluster-visible address deliberately)',
  '  --data-dir DIR      folder of the database and the token (default $NANOSTUDIO_HOME, else $NANOSTUDIO_DATA_DIR,',
  '                      else ./.nanostudio in the current directory); printed at start',
  '  --db FILE           SQLite database (default DATA_DIR/nanostudio.sqlite)',
  `  --cors-origin URL   browser origin allowed to call the API; repeatable (default ${DEFAULT_CORS_ORIGINS.join(', ')})`,
  `  --body-limit MB     largest request body, MB (default ${DEFAULT_BODY_LIMIT / 1024 / 1024})`,
  '  --jobs N            jobs run at the same time (default 1)',
  '  --log               log every request (fastify logger)',
  '  --executor KIND     where jobs run unless a job says otherwise (POST /jobs executor): local (worker',
  '                      threads here, default) or slurm (one sbatch job per frame/batch or ensemble member)',
  '  --slurm-config FILE YAML with any of: partition, account, qos, time, cpusPerTask, mem, modules, extraSbatch,',
  '                      setup, batchSize, maxAttempts, pollSeconds, workDir, node, cp2kCommand (flags override it)',
  '  --slurm-partition P, --slurm-account A, --slurm-time T (Slurm --time, default 1:00:00), --slurm-cpus N,',
  '  --slurm-mem M, --slurm-module M (repeatable: module load M), --slurm-sbatch OPT (repeatable extra sbatch',
  '  option, e.g. --slurm-sbatch=--qos=debug), --slurm-batch N (frames per sbatch job, default 1),',
  '  --slurm-max-attempts N (submissions of a task, default 3), --slurm-poll S (squeue every S s, default 10),',
  '  --slurm-work-dir DIR (task folders, visible from the compute nodes; default DATA_DIR/slurm)',
  '                      With --executor local the Slurm settings apply to the jobs that ask for slurm.',
  '',
  'Mutating requests need `Authorization: Bearer TOKEN`. The token is generated on first start into',
  'DATA_DIR/token (mode 0600) and printed; env NANOSTUDIO_TOKEN overrides it.',
  'Jobs interrupted by a crash are resumed on the next start (labels already recorded are kept).',
  'One service per data folder: a second one on the same database is refused (lock file DB.lock).',
].join('\n');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'backend service: labeling and training behind an HTTP API and a database',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        'body-limit': { type: 'string' },
        jobs: { type: 'string', default: '1' },
        log: { type: 'boolean', default: false },
        executor: { type: 'string', default: 'local' },
        'slurm-config': { type: 'string' },
        'slurm-partition': { type: 'string' },
        'slurm-account': { type: 'string' },
        'slurm-time': { type: 'string' },
        'slurm-cpus': { type: 'string' },
        'slurm-mem': { type: 'string' },
        'slurm-module': { type: 'string', multiple: true },
        'slurm-sbatch': { type: 'string', multiple: true },
        'slurm-batch': { type: 'string' },
        'slurm-max-attempts': { type: 'string' },
        'slurm-poll': { type: 'string' },
        'slurm-work-dir': { type: 'string' },
      },
      strict: true,
    });
    const given = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const port = numberOption(given, 'port', { integer: true, min: 0, what: 'a TCP port 0–65535' })!;
    if (port > 65535) throw new UsageError(`--port must be a TCP port 0–65535, got '${values.port}'`);
    const jobs = numberOption(given, 'jobs', { integer: true, positive: true })!;
    const mb = numberOption(given, 'body-limit', { positive: true, what: 'a positive number of MB' });
    const bodyLimit = mb === undefined ? undefined : Math.round(mb * 1024 * 1024);
    if (values.executor !== 'local' && values.executor !== 'slurm') throw new UsageError(`--executor must be local or slurm, got '${values.executor}'`);
    const executor = executorDefaults(values.executor, given, values);
    // Handlers first: a SIGTERM that arrives while the service starts still stops it cleanly.
    let svc: Awaited<ReturnType<typeof startService>> | null = null;
    let stopRequested = false;
    let onStopped: () => void = () => {};
    const stopped = new Promise<void>((done) => { onStopped = done; });
    const stop = (): void => {
      if (stopRequested) return;
      stopRequested = true;
      if (svc) void svc.close().then(onStopped, onStopped);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    svc = await startService({
      dataDir: values['data-dir'], db: values.db, host: values.host, port,
      corsOrigins: values['cors-origin'], bodyLimit, concurrency: jobs, logger: values.log, executor,
    });
    if (stopRequested) {
      await svc.close();
      return 0;
    }
    const t = svc.token;
    console.log(`data folder: ${svc.dataDir.dir} (from ${svc.dataDir.source})`);
    // Before the 'listening on' line, which tells a waiting program (and the tests) that the service is up.
    if (executor.kind === 'slurm') console.log(`executor: slurm (${describeSlurm(executor.slurm)}); jobs may choose another in POST /jobs`);
    if (svc.requeued.length) console.log(`resuming interrupted jobs: ${svc.requeued.join(', ')}`);
    console.log(`nanostudio backend listening on ${svc.url} (database ${svc.store.path}, schema v${svc.store.schemaVersion})`);
    console.log(t.source === 'env' ? 'token: from NANOSTUDIO_TOKEN' : `token (${t.source === 'generated' ? 'new, ' : ''}stored in ${t.path}): ${t.token}`);
    await stopped;
    return 0;
  },
};

/** The service's executor from --executor, --slurm-config and the --slurm-* flags (flags win), validated, defaults filled in. */
function executorDefaults(kind: 'local' | 'slurm', v: OptionValues, lists: { 'slurm-module'?: string[]; 'slurm-sbatch'?: string[] }): ExecutorDefaults & { slurm: SlurmSettings } {
  const int = (name: string): number | undefined => numberOption(v, name, { integer: true, positive: true });
  try {
    const file = v['slurm-config'] ? loadSlurmConfigFile(v['slurm-config']) : {};
    const slurm = serviceSlurmSettings(file, {
      partition: v['slurm-partition'], account: v['slurm-account'], time: v['slurm-time'], mem: v['slurm-mem'],
      cpusPerTask: int('slurm-cpus'), batchSize: int('slurm-batch'), maxAttempts: int('slurm-max-attempts'),
      pollSeconds: numberOption(v, 'slurm-poll', { positive: true }), workDir: v['slurm-work-dir'],
      modules: lists['slurm-module'], extraSbatch: lists['slurm-sbatch'],
    });
    return { kind, slurm };
  } catch (e) {
    if (e instanceof ExecutorConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function describeSlurm(s: SlurmSettings): string {
  return [s.partition ? `partition ${s.partition}` : 'default partition', s.account ? `account ${s.account}` : '', `time ${s.time}`,
    s.modules.length ? `modules ${s.modules.join(' ')}` : '', `batch ${s.batchSize}`, `max attempts ${s.maxAttempts}`, `poll ${s.pollSeconds} s`].filter(Boolean).join(', ');
}
