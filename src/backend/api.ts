/**
 * Route declaration with zod validation and an OpenAPI 3.1 description generated from the same
 * schemas. Invalid input → 400 `{ error, issues: [{ field, message }] }` naming each field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: HttpMethod;
  /** fastify path, e.g. /datasets/:id */
  url: string;
  summary: string;
  tags?: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Response description for the OpenAPI document (content type → description). */
  responses?: Record<string, string>;
  /** Content type of the 200 response (default application/json). */
  produces?: string;
  handler: (input: { body: z.infer<B>; query: z.infer<Q>; params: z.infer<P> }, req: FastifyRequest, reply: FastifyReply) => unknown;
}

/** A 4xx/5xx error with an HTTP status, raised from handlers. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string, readonly details?: unknown) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found`);

/** Field path of a zod issue as a dotted string (`frames.0.positions`), or `(body)` at the root. */
export function fieldName(path: ReadonlyArray<PropertyKey>, root: string): string {
  return path.length === 0 ? `(${root})` : path.map(String).join('.');
}

function validate<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: fieldName(i.path, where), message: i.message }));
  throw new HttpError(400, `invalid ${where}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { in: where, issues });
}

interface OpenApiOp { method: string; path: string; op: Record<string, unknown> }

/** Collects routes for fastify and for /openapi.json. */
export class Api {
  private readonly ops: OpenApiOp[] = [];
  constructor(private readonly app: FastifyInstance, private readonly mutatingNeedsAuth = true) {}

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<B, Q, P>): void {
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (req, reply) => {
        const params = validate(spec.params, req.params, 'params');
        const query = validate(spec.query, req.query, 'query');
        const body = validate(spec.body, req.body, 'body');
        return spec.handler({ body, query, params }, req, reply);
      },
    });
    this.ops.push({ method: spec.method.toLowerCase(), path: spec.url.replace(/:(\w+)/g, '{$1}'), op: this.describe(spec) });
  }

  private describe<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(spec: RouteSpec<B, Q, P>): Record<string, unknown> {
    const parameters: Record<string, unknown>[] = [];
    const addParams = (schema: z.ZodType | undefined, where: 'path' | 'query'): void => {
      if (!schema) return;
      const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    };
    addParams(spec.params, 'path');
    addParams(spec.query, 'query');
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: spec.tags ?? [],
      parameters,
      responses: {
        200: { description: spec.responses?.['200'] ?? 'OK', content: { [spec.produces ?? 'application/json']: {} } },
        400: { description: 'invalid request; `issues` names each offending field' },
        ...(spec.method !== 'GET' && this.mutatingNeedsAuth ? { 401: { description: 'missing or wrong bearer token' } } : {}),
        ...(spec.body ? { 413: { description: 'request body too large' } } : {}),
        ...(spec.url.includes(':') ? { 404: { description: 'not found' } } : {}),
      },
    };
    if (spec.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } } };
    }
    if (spec.method !== 'GET' && this.mutatingNeedsAuth) op.security = [{ bearer: [] }];
    return op;
  }

  /** The OpenAPI 3.1 document of every declared route. */
  openApi(info: { title: string; version: string; description?: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const o of this.ops) (paths[o.path] ??= {})[o.method] = o.op;
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'token printed by `nanostudio serve` (file DATA_DIR/token, or env NANOSTUDIO_TOKEN)' } } },
    };
  }
}
