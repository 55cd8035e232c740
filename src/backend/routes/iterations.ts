/**
 * Active-learning iterations (contract 2 of the session brief): list / open per data set, read,
 * record one exploration result per system, update status / note / stage wall times, and attach
 * an ensemble trained outside the job runner (`nanostudio loop --server` trains with checkpoints
 * and --init-model continuation, then uploads the .dp files here). Units: trust levels eV/Å,
 * RMSE energy eV/atom and force eV/Å, stage times s.
 */
import { z } from 'zod';
import { HttpError, notFound } from '../api.ts';
import { IdParams } from '../schemas.ts';
import { EXPLORATION_KINDS, ITERATION_STATUSES } from '../store/iterations.ts';
import type { RouteContext } from './context.ts';

const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const ExplorationBodySchema = z.object({
  system: z.string().min(1).max(200),
  kind: z.enum(EXPLORATION_KINDS),
  frames: count,
  accurate: count,
  candidate: count,
  failed: count,
  trustLo: finite.nonnegative(),
  trustHi: finite.nonnegative(),
}).strict().superRefine((e, ctx) => {
  if (e.accurate + e.candidate + e.failed !== e.frames) {
    ctx.addIssue({ code: 'custom', path: ['frames'], message: `must equal accurate + candidate + failed (${e.accurate + e.candidate + e.failed})` });
  }
  if (e.trustLo > e.trustHi) ctx.addIssue({ code: 'custom', path: ['trustHi'], message: 'must be ≥ trustLo' });
});

export const IterationPatchSchema = z.object({
  status: z.enum(ITERATION_STATUSES).optional(),
  note: z.string().max(10_000).optional(),
  stageSeconds: z.record(z.string().min(1).max(100), finite.nonnegative()).optional(),
}).strict();

export const IterationEnsembleBodySchema = z.object({
  name: z.string().min(1).max(200),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Frame ids (of the iteration's data set) the ensemble was trained on. */
  trainingFrames: z.array(z.number().int().positive()),
  models: z.array(z.object({
    seed: z.number().int().nonnegative(),
    format: z.enum(['dp', 'json']),
    /** The model file, base64. */
    content: z.string().min(1),
    metrics: z.record(z.string(), finite),
    learningCurve: z.array(z.record(z.string(), z.number())).default([]),
  }).strict()).min(1).max(16),
}).strict();

export function iterationRoutes({ api, store }: RouteContext): void {
  const summaryOr404 = (id: number) => store.iterations.summary(id) ?? (() => { throw notFound(`iteration ${id}`); })();

  api.route({ method: 'GET', url: '/datasets/:id/iterations', summary: 'Active-learning iterations of a data set with status, exploration fractions, frame counts, ensemble, RMSEs and stage wall times', tags: ['iterations'], params: IdParams,
    handler: ({ params }) => {
      if (!store.datasets.get(params.id)) throw notFound(`data set ${params.id}`);
      return { iterations: store.iterations.summaries(params.id) };
    } });

  api.route({ method: 'POST', url: '/datasets/:id/iterations', summary: 'Open the next active-learning iteration', tags: ['iterations'], params: IdParams,
    body: z.object({ note: z.string().max(10_000).optional(), status: z.enum(ITERATION_STATUSES).optional() }).strict(),
    handler: ({ params, body }, _req, reply) => {
      if (!store.datasets.get(params.id)) throw notFound(`data set ${params.id}`);
      reply.code(201);
      return store.iterations.summary(store.iterations.create(params.id, body.note ?? '', body.status ?? 'exploring').id);
    } });

  api.route({ method: 'GET', url: '/iterations/:id', summary: 'One iteration (same shape as in the list)', tags: ['iterations'], params: IdParams,
    handler: ({ params }) => summaryOr404(params.id) });

  api.route({ method: 'POST', url: '/iterations/:id/exploration', summary: 'Record the exploration result of one system (frames accurate / candidate / failed at trust levels lo/hi eV/Å); the same system again replaces it', tags: ['iterations'],
    params: IdParams, body: ExplorationBodySchema,
    handler: ({ params, body }, _req, reply) => {
      if (!store.iterations.get(params.id)) throw notFound(`iteration ${params.id}`);
      store.iterations.addExploration(params.id, body);
      reply.code(201);
      return summaryOr404(params.id);
    } });

  api.route({ method: 'PATCH', url: '/iterations/:id', summary: 'Update status, note, or stage wall times (s, merged by stage name); status done records the data-set size', tags: ['iterations'],
    params: IdParams, body: IterationPatchSchema,
    handler: ({ params, body }) => {
      if (!store.iterations.update(params.id, body)) throw notFound(`iteration ${params.id}`);
      return summaryOr404(params.id);
    } });

  api.route({ method: 'POST', url: '/iterations/:id/ensemble', summary: 'Attach an ensemble trained outside the job runner (model files base64) to an iteration', tags: ['iterations'],
    params: IdParams, body: IterationEnsembleBodySchema,
    handler: ({ params, body }, _req, reply) => {
      const it = store.iterations.get(params.id);
      if (!it) throw notFound(`iteration ${params.id}`);
      const own = new Set(store.frames.ids(it.datasetId));
      const bad = body.trainingFrames.filter((id) => !own.has(id));
      if (bad.length) throw new HttpError(400, `trainingFrames: frames ${bad.slice(0, 10).join(', ')} are not in data set ${it.datasetId}`, { issues: [{ field: 'trainingFrames', message: 'not in the data set' }] });
      const ensembleId = store.db.transaction(() => {
        const id = store.models.createEnsemble({ name: body.name, datasetId: it.datasetId, iterationId: it.id, settings: body.settings ?? {}, trainingFrames: body.trainingFrames });
        for (const m of body.models) {
          store.models.addModel(id, { seed: m.seed, format: m.format, content: Buffer.from(m.content, 'base64'), metrics: m.metrics, learningCurve: m.learningCurve });
        }
        return id;
      })();
      reply.code(201);
      return { ensembleId, iteration: summaryOr404(it.id) };
    } });
}
