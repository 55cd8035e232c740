/** Data sets: list, create, read, rename, delete (their iterations: routes/iterations.ts). */
import { HttpError, notFound } from '../api.ts';
import { DatasetBodySchema, DatasetPatchSchema, IdParams } from '../schemas.ts';
import type { RouteContext } from './context.ts';

export function datasetRoutes({ api, store }: RouteContext): void {
  api.route({ method: 'GET', url: '/datasets', summary: 'List data sets with frame and labeled-frame counts', tags: ['datasets'],
    handler: () => ({ datasets: store.datasets.list() }) });

  api.route({ method: 'POST', url: '/datasets', summary: 'Create a data set', tags: ['datasets'], body: DatasetBodySchema,
    handler: ({ body }, _req, reply) => {
      if (store.datasets.byName(body.name)) throw new HttpError(409, `a data set named '${body.name}' already exists`);
      reply.code(201);
      return store.datasets.create(body.name, body.description ?? '');
    } });

  api.route({ method: 'GET', url: '/datasets/:id', summary: 'One data set', tags: ['datasets'], params: IdParams,
    handler: ({ params }) => store.datasets.get(params.id) ?? (() => { throw notFound(`data set ${params.id}`); })() });

  api.route({ method: 'PATCH', url: '/datasets/:id', summary: 'Rename / describe a data set', tags: ['datasets'], params: IdParams, body: DatasetPatchSchema,
    handler: ({ params, body }) => {
      if (body.name) {
        const other = store.datasets.byName(body.name);
        if (other && other.id !== params.id) throw new HttpError(409, `a data set named '${body.name}' already exists`);
      }
      return store.datasets.update(params.id, body) ?? (() => { throw notFound(`data set ${params.id}`); })();
    } });

  api.route({ method: 'DELETE', url: '/datasets/:id', summary: 'Delete a data set with its frames and labels', tags: ['datasets'], params: IdParams,
    handler: ({ params }, _req, reply) => {
      if (!store.datasets.delete(params.id)) throw notFound(`data set ${params.id}`);
      return reply.code(204).send();
    } });
}
