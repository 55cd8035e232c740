/**
 * The import graph of src/ and the layer rules of docs/architecture (core / gpu / worker / ui /
 * backend / cli / node / loop), as plain functions so a test can run them on a fixture graph.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** One import: `from` (path under src/) imports `spec` (as written), resolved to `to` when relative. */
export interface ImportEdge { from: string; spec: string; to: string | null }

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of every .ts/.tsx file below `srcDir`, paths relative to srcDir. */
export function importGraph(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!/\.(ts|tsx|mts)$/.test(name) || name.endsWith('.d.ts')) continue;
      const from = relative(srcDir, p).split('\\').join('/');
      const text = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        const to = spec.startsWith('.') ? normalize(join(dirname(from), spec)).split('\\').join('/') : null;
        edges.push({ from, spec, to });
      }
    }
  };
  walk(srcDir);
  return edges;
}

/** Packages that only run in Node (besides `node:` built-ins). */
const NODE_ONLY = new Set(['webgpu', 'better-sqlite3', 'fastify', '@fastify/cors', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'util', 'crypto']);

const layerOf = (path: string): string => path.split('/')[0];

/**
 * Which layers each layer may import (relative imports), and whether it may use Node-only
 * modules. `backend-public`: the CLI may import the backend only through backend/index.ts.
 */
export const RULES: Record<string, { may: string[]; node: boolean; backendPublicOnly?: boolean }> = {
  core: { may: ['core'], node: false },
  gpu: { may: ['gpu', 'core'], node: false },
  worker: { may: ['worker', 'core', 'gpu'], node: false },
  ui: { may: ['ui', 'core', 'worker'], node: false },
  node: { may: ['node', 'core', 'gpu'], node: true },
  backend: { may: ['backend', 'core', 'node'], node: true },
  cli: { may: ['cli', 'core', 'gpu', 'node', 'backend', 'loop'], node: true, backendPublicOnly: true },
  loop: { may: ['loop', 'core', 'node', 'backend', 'cli', 'gpu'], node: true }, // loop/explore reuses cli/md-webgpu (to move to node/)
};

/** The imports that break a rule, each as "from → spec: why". */
export function layerViolations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const layer = layerOf(e.from);
    const rule = RULES[layer];
    if (!rule) { out.push(`${e.from} → ${e.spec}: '${layer}' is not a known layer (add it to RULES)`); continue; }
    if (e.to) {
      const target = layerOf(e.to);
      if (target === '..' || e.to.startsWith('../')) {
        if (!e.to.startsWith('../shaders/')) out.push(`${e.from} → ${e.spec}: imports from outside src/`);
        continue;
      }
      if (!rule.may.includes(target)) out.push(`${e.from} → ${e.spec}: ${layer} must not import ${target}`);
      else if (rule.backendPublicOnly && target === 'backend' && e.to !== 'backend/index.ts') out.push(`${e.from} → ${e.spec}: ${layer} imports the backend only through backend/index.ts`);
    } else if (!rule.node && (e.spec.startsWith('node:') || NODE_ONLY.has(e.spec.split('/').slice(0, e.spec.startsWith('@') ? 2 : 1).join('/')))) {
      out.push(`${e.from} → ${e.spec}: ${layer} must run in a browser (no Node-only modules)`);
    }
  }
  return out;
}
