/** Model ensembles and model files. */
import { notFound } from '../api.ts';
import { tarArchive } from '../export/tar.ts';
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

  api.route({ method: 'GET', url: '/ensembles/:id/export', summary: 'Download an ensemble: model-SEED.dp files (DeePMD-kit v3) and ensemble.json (settings, metrics, learning curves) as a .tar', tags: ['models'],
    params: IdParams, produces: 'application/x-tar',
    handler: ({ params }, _req, reply) => {
      const e = store.models.getEnsemble(params.id);
      if (!e) throw notFound(`ensemble ${params.id}`);
      const root = `ensemble-${e.id}`;
      const entries = e.models.map((m, k) => ({ path: `${root}/model-${k}-seed${m.seed}.${m.format}`, data: store.models.modelContent(m.id)!.content }));
      entries.push({ path: `${root}/ensemble.json`, data: Buffer.from(JSON.stringify(e, null, 1)) });
      reply.header('content-type', 'application/x-tar').header('content-disposition', `attachment; filename="${root}.tar"`);
      return tarArchive(entries);
    } });
}
