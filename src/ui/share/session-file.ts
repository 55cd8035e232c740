/** Session files (studio and teaching mode): JSON checked by a zod schema, errors that name the problem. */
import type { z } from 'zod';

/** The first zod issue as "where: field.path: message". */
export function zodIssue(e: z.ZodError, where: string): Error {
  const i = e.issues[0];
  return new Error(`${where}: ${i.path.join('.') || '(top level)'}: ${i.message}`);
}

/** Parse `text` as JSON and check it with `schema`; throws "not JSON" or "not <what>: field: message". */
export function parseSessionFile<S extends z.ZodType>(text: string, schema: S, what: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`the session file is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw zodIssue(r.error, `the session file is not ${what}`);
  return r.data as z.infer<S>;
}
