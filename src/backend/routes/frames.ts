/** Frames of a data set: batch upload (extxyz-like JSON with provenance) and paged listing with labels. */
import { z } from 'zod';
import { HttpError, notFound } from '../api.ts';
import { FramesBodySchema, IdParams, frameFromInput } from '../schemas.ts';
import type { StoredFrame } from '../store/frames.ts';
import type { StoredLabel } from '../store/labels.ts';
import type { RouteContext } from './context.ts';

const rows = (a: Float64Array | null, w: number): number[][] | null => {
  if (!a) return null;
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += w) out.push(Array.from(a.subarray(i, i + w)));
  return out;
};

/** JSON form of a stored frame: positions N×3 Å, cell 3×3 Å, labels with energy eV, forces N×3 eV/Å. */
export function frameJson(f: StoredFrame, labels: StoredLabel[] | null): Record<string, unknown> {
  return {
    id: f.id, datasetId: f.datasetId, symbols: f.frame.symbols, positions: rows(f.frame.positions, 3), cell: rows(f.frame.cell, 3),
    pbc: f.frame.pbc, info: f.frame.info ?? {}, provenance: f.provenance, createdAt: f.createdAt,
    ...(labels ? { labels: labels.map((l) => ({ id: l.id, jobId: l.jobId, calculator: l.calculator, status: l.status, reason: l.reason,
      energy: l.energy, forces: rows(l.forces, 3), virial: rows(l.virial, 3), seconds: l.seconds, createdAt: l.createdAt })) } : {}),
  };
}

export function frameRoutes({ api, store }: RouteContext): void {
  api.route({ method: 'POST', url: '/datasets/:id/frames', summary: 'Add a batch of frames (positions Å, cell Å) with provenance', tags: ['frames'],
    params: IdParams, body: FramesBodySchema,
    handler: ({ params, body }, _req, reply) => {
      if (!store.datasets.get(params.id)) throw notFound(`data set ${params.id}`);
      const items = body.frames.map((f) => {
        const { frame, provenance } = frameFromInput(f);
        return { frame, provenance: f.provenance ?? body.provenance ?? provenance };
      });
      for (const p of items.map((i) => i.provenance)) {
        if (p.ensembleId && !store.models.getEnsemble(p.ensembleId)) throw new HttpError(400, `provenance.ensembleId ${p.ensembleId} does not exist`);
        if (p.iterationId && !store.iterations.get(p.iterationId)) throw new HttpError(400, `provenance.iterationId ${p.iterationId} does not exist`);
      }
      const ids = store.frames.addMany(params.id, items);
      reply.code(201);
      return { ids, count: ids.length };
    } });

  api.route({ method: 'GET', url: '/datasets/:id/frames', summary: 'Frames of a data set (paged by id), optionally with their labels', tags: ['frames'],
    params: IdParams,
    query: z.object({
      after: z.coerce.number().int().nonnegative().default(0),
      limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      labels: z.enum(['true', 'false']).default('true'),
    }),
    handler: ({ params, query }) => {
      if (!store.datasets.get(params.id)) throw notFound(`data set ${params.id}`);
      const frames = store.frames.list(params.id, { afterId: query.after, limit: query.limit });
      return {
        frames: frames.map((f) => frameJson(f, query.labels === 'true' ? store.labels.forFrame(f.id) : null)),
        next: frames.length === query.limit ? frames[frames.length - 1].id : null,
      };
    } });

  api.route({ method: 'GET', url: '/frames/:id', summary: 'One frame with its labels', tags: ['frames'], params: IdParams,
    handler: ({ params }) => {
      const f = store.frames.get(params.id);
      if (!f) throw notFound(`frame ${params.id}`);
      return frameJson(f, store.labels.forFrame(f.id));
    } });
}
