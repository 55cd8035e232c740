/** Exports of a data set: DeePMD-kit deepmd/npy (a .tar download, or written to a folder on the server) and extended XYZ. */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { HttpError, notFound } from '../api.ts';
import { IdParams } from '../schemas.ts';
import { labeledFrames } from '../export/labeled-frame.ts';
import { deepmdNpyEntries, writeEntries } from '../export/deepmd-npy.ts';
import { labeledExtxyz } from '../export/extxyz.ts';
import { tarArchive } from '../export/tar.ts';
import { deepmdInputJson } from '../export/deepmd-input.ts';
import { deepmdSystems } from '../export/deepmd-npy.ts';
import { TrainJobSettingsSchema } from '../schemas.ts';
import type { LabeledFrameRecord } from '../export/labeled-frame.ts';
import type { RouteContext } from './context.ts';

const FormatSchema = z.enum(['deepmd-npy', 'extxyz']);

/** input.json for `dp train` next to the exported systems (paper settings, sel auto). */
function inputJsonEntry(frames: LabeledFrameRecord[], root: string): { path: string; data: Buffer } {
  const systems = deepmdSystems(frames);
  const typeMap = systems[0]?.typeMap ?? [];
  const json = deepmdInputJson(TrainJobSettingsSchema.parse({}), typeMap, systems.map((s) => s.name));
  return { path: `${root}/input.json`, data: Buffer.from(JSON.stringify(json, null, 2) + '\n') };
}

export function exportRoutes({ api, store }: RouteContext): void {
  api.route({ method: 'GET', url: '/datasets/:id/export', summary: 'Download the labeled frames: deepmd-npy (.tar with one folder per composition and an input.json for `dp train`) or extxyz (text). Frames without a successful label are left out (header x-nanostudio-skipped).', tags: ['exports'],
    params: IdParams, query: z.object({ format: FormatSchema.default('deepmd-npy') }), produces: 'application/x-tar',
    handler: ({ params, query }, _req, reply) => {
      const ds = store.datasets.get(params.id);
      if (!ds) throw notFound(`data set ${params.id}`);
      const { frames, skipped } = labeledFrames(store, ds.id);
      reply.header('x-nanostudio-frames', String(frames.length)).header('x-nanostudio-skipped', String(skipped));
      const base = ds.name.replace(/[^\w.\-+]/g, '_');
      if (query.format === 'extxyz') {
        reply.header('content-type', 'text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${base}.extxyz"`);
        return frames.length ? labeledExtxyz(frames) : '';
      }
      reply.header('content-type', 'application/x-tar').header('content-disposition', `attachment; filename="${base}-deepmd.tar"`);
      return tarArchive([...deepmdNpyEntries(frames, base), ...(frames.length ? [inputJsonEntry(frames, base)] : [])]);
    } });

  api.route({ method: 'POST', url: '/datasets/:id/export', summary: 'Write the deepmd-npy systems (or an extxyz file) into a folder on the server', tags: ['exports'],
    params: IdParams, body: z.object({ format: FormatSchema.default('deepmd-npy'), dir: z.string().min(1) }).strict(),
    handler: ({ params, body }) => {
      const ds = store.datasets.get(params.id);
      if (!ds) throw notFound(`data set ${params.id}`);
      if (!isAbsolute(body.dir)) throw new HttpError(400, 'dir: must be an absolute path', { issues: [{ field: 'dir', message: 'must be an absolute path' }] });
      const { frames, skipped } = labeledFrames(store, ds.id);
      const dir = resolve(body.dir);
      if (body.format === 'extxyz') {
        const file = `${ds.name.replace(/[^\w.\-+]/g, '_')}.extxyz`;
        writeEntries(dir, [{ path: file, data: Buffer.from(frames.length ? labeledExtxyz(frames) : '') }]);
        return { dir, frames: frames.length, skipped, files: [resolve(dir, file)] };
      }
      const systems = writeEntries(dir, [...deepmdNpyEntries(frames, '.'), ...(frames.length ? [inputJsonEntry(frames, '.')] : [])]);
      return { dir, frames: frames.length, skipped, systems };
    } });
}
