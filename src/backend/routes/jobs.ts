/** Jobs: create (label / train), list, read with logs, cancel, and a Server-Sent Events stream. */
import { z } from 'zod';
import { HttpError, notFound } from '../api.ts';
import { IdParams, JobBodySchema } from '../schemas.ts';
import { FINAL_STATES, type Job } from '../store/jobs.ts';
import type { JobEvent } from '../jobs/messages.ts';
import type { RouteContext } from './context.ts';
import { ExecutorConfigError, resolveExecutor, type JobExecutor } from '../executor/config.ts';

export function jobRoutes({ api, store, runner, executor: defaults, dataDir }: RouteContext): void {
  api.route({ method: 'POST', url: '/jobs', summary: 'Queue a label job (EAM or CP2K) or a train job', tags: ['jobs'], body: JobBodySchema,
    handler: ({ body }, _req, reply) => {
      if (!store.datasets.get(body.datasetId)) throw new HttpError(400, `datasetId: data set ${body.datasetId} does not exist`, { issues: [{ field: 'datasetId', message: 'does not exist' }] });
      let executor: JobExecutor;
      try {
        executor = resolveExecutor(body.executor, defaults ?? { kind: 'local', slurm: {} }, dataDir);
      } catch (e) {
        if (e instanceof ExecutorConfigError) throw new HttpError(400, e.message, { issues: [{ field: 'executor', message: e.message }] });
        throw e;
      }
      let job: Job;
      if (body.kind === 'label') {
        let frameIds: number[];
        if (body.frameIds) {
          const own = new Set(store.frames.ids(body.datasetId));
          const bad = body.frameIds.filter((id) => !own.has(id));
          if (bad.length) throw new HttpError(400, `frameIds: frames ${bad.slice(0, 10).join(', ')} are not in data set ${body.datasetId}`, { issues: [{ field: 'frameIds', message: 'not in the data set' }] });
          frameIds = [...new Set(body.frameIds)];
        } else {
          const labeled = store.labels.latestOk(body.datasetId);
          frameIds = store.frames.ids(body.datasetId).filter((id) => !labeled.has(id));
        }
        job = store.jobs.create('label', body.datasetId, { calculator: body.calculator, executor }, frameIds);
      } else {
        if (body.iterationId !== undefined && store.iterations.get(body.iterationId)?.datasetId !== body.datasetId) throw new HttpError(400, `iterationId: iteration ${body.iterationId} is not an iteration of data set ${body.datasetId}`, { issues: [{ field: 'iterationId', message: 'not an iteration of the data set' }] });
        job = store.jobs.create('train', body.datasetId, { name: body.name ?? null, settings: body.settings, iterationId: body.iterationId ?? null, executor }, [], body.settings.models);
      }
      store.jobs.log(job.id, 'info', `queued ${job.kind} job (${job.progress.total} ${job.kind === 'label' ? 'frames' : 'models'}) on the ${executor.kind} executor`);
      runner?.poke();
      reply.code(201);
      return store.jobs.get(job.id);
    } });

  api.route({ method: 'GET', url: '/jobs', summary: 'List jobs', tags: ['jobs'],
    query: z.object({ state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(), datasetId: z.coerce.number().int().positive().optional() }),
    handler: ({ query }) => ({ jobs: store.jobs.list(query) }) });

  api.route({ method: 'GET', url: '/jobs/:id', summary: 'A job with its state, progress and logs', tags: ['jobs'], params: IdParams,
    handler: ({ params }) => {
      const job = store.jobs.get(params.id);
      if (!job) throw notFound(`job ${params.id}`);
      return { ...job, logs: store.jobs.logs(job.id) };
    } });

  api.route({ method: 'GET', url: '/jobs/:id/labels', summary: 'Labels written by a label job (energy eV, status, failure reason)', tags: ['jobs'], params: IdParams,
    handler: ({ params }) => {
      if (!store.jobs.get(params.id)) throw notFound(`job ${params.id}`);
      return { labels: store.labels.forJob(params.id).map((l) => ({ id: l.id, frameId: l.frameId, calculator: l.calculator, status: l.status, reason: l.reason, energy: l.energy, seconds: l.seconds })) };
    } });

  api.route({ method: 'POST', url: '/jobs/:id/cancel', summary: 'Cancel a queued or running job', tags: ['jobs'], params: IdParams,
    handler: ({ params }) => {
      const job = store.jobs.get(params.id);
      if (!job) throw notFound(`job ${params.id}`);
      if (FINAL_STATES.includes(job.state)) throw new HttpError(409, `job ${job.id} is already ${job.state}`);
      if (runner) runner.cancel(job.id);
      else { store.jobs.finish(job.id, 'cancelled'); }
      return store.jobs.get(job.id);
    } });

  api.route({ method: 'GET', url: '/jobs/:id/events', summary: 'Server-Sent Events: state, progress (per frame) and log events of a job until it finishes', tags: ['jobs'],
    params: IdParams, produces: 'text/event-stream',
    handler: ({ params }, req, reply) => {
      const job = store.jobs.get(params.id);
      if (!job) throw notFound(`job ${params.id}`);
      const origin = reply.getHeader('access-control-allow-origin');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
        ...(origin ? { 'access-control-allow-origin': String(origin), vary: 'Origin' } : {}),
      });
      const send = (e: JobEvent): void => { res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`); };
      let ping: NodeJS.Timeout | null = null;
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        if (ping) clearInterval(ping);
        runner?.events.off(`job:${job.id}`, onEvent);
        res.end();
      };
      const onEvent = (e: JobEvent): void => {
        send(e);
        if (e.type === 'state' && (FINAL_STATES as readonly string[]).includes(e.state)) close();
      };
      // Subscribe before replaying the backlog so that no event falls between the two.
      runner?.events.on(`job:${job.id}`, onEvent);
      for (const l of store.jobs.logs(job.id)) send({ type: 'log', jobId: job.id, level: l.level, message: l.message, at: l.at });
      const now = store.jobs.get(job.id)!;
      send({ type: 'progress', jobId: now.id, done: now.progress.done, total: now.progress.total });
      send({ type: 'state', jobId: now.id, state: now.state, error: now.error });
      if (FINAL_STATES.includes(now.state) || !runner) { close(); return; }
      ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.raw.on('close', close);
    } });
}
