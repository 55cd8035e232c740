import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importGraph, layerViolations, type ImportEdge } from './import-graph.ts';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const rel = (from: string, spec: string, to: string | null = null): ImportEdge => ({ from, spec, to });

describe('layer rules over the import graph of src/', () => {
  it('reads the real graph (sanity: core imports core)', () => {
    const edges = importGraph(SRC);
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === 'core/potentials/dp/ensemble.ts' && e.to === 'core/potentials/dp/evaluator.ts')).toBe(true);
  });

  it('src/ keeps every rule (each offending import is named)', () => {
    const v = layerViolations(importGraph(SRC));
    expect(v).toEqual([]);
  });

  it('a fixture graph with bad imports fails, naming each one', () => {
    const bad: ImportEdge[] = [
      rel('core/md/x.ts', '../../gpu/dp-engine.ts', 'gpu/dp-engine.ts'),
      rel('core/io/y.ts', 'node:fs'),
      rel('core/io/z.ts', 'better-sqlite3'),
      rel('gpu/a.ts', '../worker/api.ts', 'worker/api.ts'),
      rel('ui/App.tsx', '../gpu/adapter-info.ts', 'gpu/adapter-info.ts'),
      rel('ui/App.tsx', '../backend/api.ts', 'backend/api.ts'),
      rel('worker/w.ts', '../ui/store.ts', 'ui/store.ts'),
      rel('backend/b.ts', '../ui/store.ts', 'ui/store.ts'),
      rel('cli/commands/label.ts', '../../backend/labelers/spec.ts', 'backend/labelers/spec.ts'),
    ];
    const good: ImportEdge[] = [
      rel('core/md/x.ts', '../atoms.ts', 'core/atoms.ts'),
      rel('gpu/a.ts', '../core/atoms.ts', 'core/atoms.ts'),
      rel('node/f.ts', 'node:fs'),
      rel('cli/commands/label.ts', '../../backend/index.ts', 'backend/index.ts'),
      rel('ui/App.tsx', '../worker/api.ts', 'worker/api.ts'),
    ];
    const v = layerViolations([...bad, ...good]);
    expect(v).toEqual([
      'core/md/x.ts → ../../gpu/dp-engine.ts: core must not import gpu',
      'core/io/y.ts → node:fs: core must run in a browser (no Node-only modules)',
      'core/io/z.ts → better-sqlite3: core must run in a browser (no Node-only modules)',
      'gpu/a.ts → ../worker/api.ts: gpu must not import worker',
      'ui/App.tsx → ../gpu/adapter-info.ts: ui must not import gpu',
      'ui/App.tsx → ../backend/api.ts: ui must not import backend',
      'worker/w.ts → ../ui/store.ts: worker must not import ui',
      'backend/b.ts → ../ui/store.ts: backend must not import ui',
      'cli/commands/label.ts → ../../backend/labelers/spec.ts: cli imports the backend only through backend/index.ts',
    ]);
  });
});
