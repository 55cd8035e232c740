/**
 * The nanostudio backend service: fastify HTTP API over the SQLite store and the job runner.
 * `buildServer` assembles the app (tests use it with `inject`); `startService` adds the data
 * folder, the token, the runner and `listen` (used by `nanostudio serve`).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Api, HttpError } from './api.ts';
import { loadOrCreateToken, requireTokenOnMutations, type TokenInfo } from './auth.ts';
import { Store } from './store/store.ts';
import { lockDatabase } from './store/lock.ts';
import { JobRunner } from './jobs/runner.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { frameRoutes } from './routes/frames.ts';
import { jobRoutes } from './routes/jobs.ts';
import { exportRoutes } from './routes/exports.ts';
import { modelRoutes } from './routes/models.ts';
import { iterationRoutes } from './routes/iterations.ts';
import type { ExecutorDefaults } from './executor/config.ts';

export const VERSION = '0.1.0';
/** Origins allowed by CORS unless configured: the vite dev server and the `npm start` preview. */
export const DEFAULT_CORS_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173', 'http://127.0.0.1:4173', 'http://localhost:4173'];
/** Default request body limit, bytes (a batch of a few thousand Cu55 frames). */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

export interface ServerOptions {
  store: Store;
  runner: JobRunner | null;
  token: string;
  /** The service's data folder: relative executor work folders (slurm/, deepmd/) are made in it. */
  dataDir: string;
  corsOrigins?: string[];
  /** Maximum request body, bytes (larger → 413). */
  bodyLimit?: number;
  logger?: boolean;
  /** Default executor of new jobs (local unless given). */
  executor?: ExecutorDefaults;
}

/** The fastify app with every route, CORS, auth and error mapping (not listening). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT });
  const origins = new Set(opts.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || origins.has(origin)),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['x-nanostudio-frames', 'x-nanostudio-skipped', 'content-disposition'],
    maxAge: 600,
  });
  app.addHook('onRequest', requireTokenOnMutations(opts.token));
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) {
      const details = err.details && typeof err.details === 'object' ? err.details : {};
      return reply.code(err.statusCode).send({ error: err.message, ...details });
    }
    const e = err as { statusCode?: number; code?: string; message: string };
    const status = e.statusCode ?? 500;
    if (status >= 500) req.log.error(err);
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : e.message, code: e.code });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` }));

  const api = new Api(app);
  const ctx = { api, store: opts.store, runner: opts.runner, executor: opts.executor, dataDir: opts.dataDir };
  api.route({ method: 'GET', url: '/healthz', summary: 'Liveness: the service runs and its database answers', tags: ['meta'],
    handler: () => ({ ok: true, version: VERSION, schemaVersion: opts.store.schemaVersion, jobsRunner: opts.runner !== null }) });
  datasetRoutes(ctx);
  frameRoutes(ctx);
  jobRoutes(ctx);
  exportRoutes(ctx);
  modelRoutes(ctx);
  iterationRoutes(ctx);
  const doc = api.openApi({ title: 'nanostudio backend', version: VERSION,
    description: 'Labeling (EAM, CP2K) and training behind an API. Units: Å, eV, eV/Å. Mutating routes need `Authorization: Bearer <token>`.' });
  app.get('/openapi.json', async () => doc);
  return app;
}

export interface ServiceOptions {
  /** Folder of the database and the token (default: $NANOSTUDIO_HOME, $NANOSTUDIO_DATA_DIR, ./.nanostudio). */
  dataDir?: string;
  /** SQLite file (default DATA_DIR/nanostudio.sqlite). */
  db?: string;
  host?: string;
  port?: number;
  corsOrigins?: string[];
  bodyLimit?: number;
  /** Jobs run at the same time. */
  concurrency?: number;
  logger?: boolean;
  /** Default executor of new jobs: local (worker threads) or slurm with its settings. */
  executor?: ExecutorDefaults;
}

/** Where the data folder comes from: the option, an environment variable, or the current directory. */
export type DataDirSource = '--data-dir' | 'NANOSTUDIO_HOME' | 'NANOSTUDIO_DATA_DIR' | 'current directory';

/** The data folder (absolute) and where its name came from: option > NANOSTUDIO_HOME > NANOSTUDIO_DATA_DIR > ./.nanostudio. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): { dir: string; source: DataDirSource } {
  if (explicit) return { dir: resolve(explicit), source: '--data-dir' };
  if (env.NANOSTUDIO_HOME) return { dir: resolve(env.NANOSTUDIO_HOME), source: 'NANOSTUDIO_HOME' };
  if (env.NANOSTUDIO_DATA_DIR) return { dir: resolve(env.NANOSTUDIO_DATA_DIR), source: 'NANOSTUDIO_DATA_DIR' };
  return { dir: resolve('.nanostudio'), source: 'current directory' };
}

export interface Service {
  app: FastifyInstance;
  /** Absolute data folder and where it was chosen. */
  dataDir: { dir: string; source: DataDirSource };
  store: Store;
  runner: JobRunner;
  token: TokenInfo;
  url: string;
  requeued: number[];
  close(): Promise<void>;
}

/**
 * Lock the database (one service per data folder: a second one is refused with the pid holding
 * it), open the store, resume interrupted jobs, and listen.
 */
export async function startService(o: ServiceOptions = {}): Promise<Service> {
  const dataDir = resolveDataDir(o.dataDir);
  const dbPath = resolve(o.db ?? join(dataDir.dir, 'nanostudio.sqlite'));
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = lockDatabase(dbPath);
  try {
    const token = loadOrCreateToken(dataDir.dir);
    const store = Store.open(dbPath);
    const runner = new JobRunner(store, { concurrency: o.concurrency ?? 1, dataDir: dataDir.dir });
    const app = await buildServer({ store, runner, token: token.token, dataDir: dataDir.dir, corsOrigins: o.corsOrigins, bodyLimit: o.bodyLimit, logger: o.logger, executor: o.executor });
    const requeued = runner.start();
    const host = o.host ?? '127.0.0.1';
    const address = await app.listen({ host, port: o.port ?? 8787 });
    return {
      app, store, runner, token, url: address, requeued, dataDir,
      async close() {
        await app.close();
        await runner.stop();
        store.close();
        lock.release();
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}
