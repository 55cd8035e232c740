/**
 * Bearer-token authentication of mutating requests. The token is generated on first start
 * (32 random bytes, hex) into DATA_DIR/token with mode 0600, or taken from env NANOSTUDIO_TOKEN.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface TokenInfo {
  token: string;
  /** Where it came from: the env variable, an existing file, or a file just created. */
  source: 'env' | 'file' | 'generated';
  path: string | null;
}

/** The service token: env NANOSTUDIO_TOKEN, else DATA_DIR/token (created, mode 0600, if missing). */
export function loadOrCreateToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): TokenInfo {
  const fromEnv = env.NANOSTUDIO_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env', path: null };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'token');
  if (existsSync(path)) {
    const t = readFileSync(path, 'utf8').trim();
    if (t.length >= 16) {
      chmodSync(path, 0o600);
      return { token: t, source: 'file', path };
    }
  }
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, token + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return { token, source: 'generated', path };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Constant-time comparison of two strings. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** fastify onRequest hook: 401 for a mutating request without `Authorization: Bearer <token>`. */
export function requireTokenOnMutations(token: string) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!MUTATING.has(req.method)) return;
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m) {
      reply.header('www-authenticate', 'Bearer').code(401).send({ error: 'missing bearer token (header Authorization: Bearer <token>)' });
      return reply;
    }
    if (!sameSecret(m[1], token)) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"').code(401).send({ error: 'wrong bearer token' });
      return reply;
    }
  };
}
