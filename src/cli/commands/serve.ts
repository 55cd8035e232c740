/** `nanostudio serve`: the backend service (HTTP API, SQLite store, label/train job runner). */
import { optionCommand, UsageError, type OptionSpec } from '../command.ts';
import { DEFAULT_BODY_LIMIT, DEFAULT_CORS_ORIGINS, startService } from '../../backend/index.ts';

const USAGE = [
  'usage: nanostudio serve [--port 8787] [--host 127.0.0.1] [--data-dir .nanostudio] [--db FILE]',
  '                        [--cors-origin URL ...] [--body-limit MB] [--jobs N] [--log]',
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
  '',
  'Mutating requests need `Authorization: Bearer TOKEN`. The token is generated on first start into',
  'DATA_DIR/token (mode 0600) and printed; env NANOSTUDIO_TOKEN overrides it.',
  'Jobs interrupted by a crash are resumed on the next start (labels already recorded are kept).',
  'One service per data folder: a second one on the same database is refused (lock file DB.lock).',
].join('\n');

const OPTIONS = {
  port: { type: 'string', default: '8787' },
  host: { type: 'string', default: '127.0.0.1' },
  'data-dir': { type: 'string' },
  db: { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'body-limit': { type: 'string' },
  jobs: { type: 'string', default: '1' },
  log: { type: 'boolean', default: false },
} satisfies OptionSpec;

export const serveCommand = optionCommand({ name: 'serve', summary: 'backend service: labeling and training behind an HTTP API and a database', usage: USAGE, options: OPTIONS }, async (values) => {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got '${values.port}'`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got '${values.jobs}'`);
  let bodyLimit: number | undefined;
  if (values['body-limit'] !== undefined) {
    const mb = Number(values['body-limit']);
    if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--body-limit must be a positive number of MB, got '${values['body-limit']}'`);
    bodyLimit = Math.round(mb * 1024 * 1024);
  }
  const svc = await startService({
    dataDir: values['data-dir'], db: values.db, host: values.host, port,
    corsOrigins: values['cors-origin'], bodyLimit, concurrency: jobs, logger: values.log,
  });
  const t = svc.token;
  console.log(`data folder: ${svc.dataDir.dir} (from ${svc.dataDir.source})`);
  if (svc.requeued.length) console.log(`resuming interrupted jobs: ${svc.requeued.join(', ')}`);
  console.log(`nanostudio backend listening on ${svc.url} (database ${svc.store.path}, schema v${svc.store.schemaVersion})`);
  console.log(t.source === 'env' ? 'token: from NANOSTUDIO_TOKEN' : `token (${t.source === 'generated' ? 'new, ' : ''}stored in ${t.path}): ${t.token}`);
  await new Promise<void>((done) => {
    const stop = (): void => { void svc.close().then(done, done); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
});
