/** Model ensembles and model files. */
import { notFound } from '../api.ts';
import { IdParams } from '../schemas.ts';
import type { RouteContext } from './context.ts';

export function modelRoutes({ api, store }: RouteContext): void {
  api.route({ method: 'GET', url: '/ensembles', summary: 'Model ensembles with per-model metrics and learning curves', tags: ['models'],
    handler: () => ({ ensembles: store.models.listEnsembles() }) });

  api.route({ method: 'GET', url: '/ensembles/:id', summary: 'One model ensemble', tags: ['models'], params: IdParams,
    handler: ({ params }) => store.models.getEnsemble(params.id) ?? (() => { throw notFound(`ensemble ${params.id}`); })() });

  api.route({ method: 'GET', url: '/models/:id/file', summary: 'Download a model file (DeePMD-kit v3 .dp or .json)', tags: ['models'], params: IdParams,
    produces: 'application/octet-stream',
    handler: ({ params }, _req, reply) => {
      const m = store.models.modelContent(params.id);
      if (!m) throw notFound(`model ${params.id}`);
      reply.header('content-type', m.format === 'json' ? 'application/json' : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="model-${params.id}.${m.format}"`);
      return m.content;
    } });
}
