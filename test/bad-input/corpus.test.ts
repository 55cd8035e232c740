/**
 * The bad-input corpus: malformed inputs generated here (extxyz with NaN, missing columns, overlapping
 * atoms, zero-volume and left-handed cells; EAM files cut short; DP models with wrong shapes or NaN
 * weights; API bodies of the wrong types or too large) run through the CLI (in-process main(), as
 * test/cli does) and the backend API (fastify inject, as test/backend/api.test.ts). Each must give a
 * named error — the message names the file / line / field and what is wrong — never a crash or a
 * hang (vitest's timeout). The number of cases is printed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { FastifyInstance } from 'fastify';
import { main } from '../../src/cli/main.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { buildServer } from '../../src/backend/server.ts';
import { Store } from '../../src/backend/store/store.ts';
import { refPath } from '../helpers/refdata.ts';
import { TOKEN } from '../backend/helpers.ts';

let dir = '';
let cases = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-bad-input-'));
});
afterAll(() => {
  console.log(`bad-input corpus: ${cases} cases, each a named error`);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (text += a.join(' ') + '\n'));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (text += a.join(' ') + '\n'));
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((text += String(s)), true));
  try {
    return { code: await main(argv), text };
  } finally {
    e.mockRestore();
    l.mockRestore();
    w.mockRestore();
  }
}

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const cu13 = () => writeExtxyz([icosahedron('Cu', 2)]);
/** Replace line `k` (0-based) of a text. */
const withLine = (text: string, k: number, f: (line: string) => string) => text.split('\n').map((l, i) => (i === k ? f(l) : l)).join('\n');
const box = (cell: string) => `2\nLattice="${cell}" Properties=species:S:1:pos:R:3 pbc="T T T"\nCu 0 0 0\nCu 1.8 1.8 0\n`;

/** [name, file text, expected message] for structures given to `eval`, `md` and `relax`. */
const structures: [string, string, RegExp][] = [
  ['nan-coordinate.extxyz', withLine(cu13(), 4, (l) => l.replace(/\s\S+$/, ' NaN')), /nan-coordinate\.extxyz:5: atom 2 column pos has non-finite value 'NaN'/],
  ['missing-column.extxyz', withLine(cu13(), 3, (l) => l.split(/\s+/).slice(0, 3).join(' ')), /missing-column\.extxyz:4: atom 1 has 3 columns, expected 4/],
  ['short-file.extxyz', cu13().split('\n').slice(0, 8).join('\n'), /short-file\.extxyz:1: frame announces 13 atoms but the file ends early/],
  ['overlap.extxyz', '2\nProperties=species:S:1:pos:R:3\nCu 0 0 0\nCu 0.1 0 0\n', /overlap\.extxyz.*atoms 0 \(Cu\) and 1 \(Cu\) overlap: distance 0\.1000 Å/],
  ['zero-volume.extxyz', box('3.6 0 0 0 3.6 0 3.6 3.6 0'), /zero-volume\.extxyz.*cell has zero volume/],
  ['left-handed.extxyz', box('3.6 0 0 0 3.6 0 0 0 -3.6'), /left-handed\.extxyz.*cell is left-handed \(det = -46\.66 Å³\)/],
  ['unknown-element.extxyz', '1\nProperties=species:S:1:pos:R:3\nXx 0 0 0\n', /unknown-element\.extxyz.*unknown element 'Xx'/],
];

describe('bad structures through the CLI', () => {
  for (const [name, text, message] of structures) {
    for (const cmd of ['eval', 'md', 'relax']) {
      it(`${cmd} ${name}`, async () => {
        const s = file(name, text);
        const extra = cmd === 'md' ? ['--steps', '2', '--temperature', '100', '--out', join(dir, 'o.extxyz')] : cmd === 'relax' ? ['--out', join(dir, 'r.extxyz')] : [];
        const r = await cli([cmd, '--potential', 'eam:Cu_u3.eam', '--structure', s, ...extra]);
        cases++;
        expect(r.code, r.text).toBe(1);
        expect(r.text).toMatch(message);
      });
    }
  }
});

describe('bad potential files through the CLI', () => {
  const eam = readFileSync(refPath('eam/Cu_u3.eam'), 'utf8');
  const seaModel = () => JSON.parse(readFileSync(refPath('deepmd/deeppot_sea.model.json'), 'utf8')) as Record<string, unknown>;
  /** The first network weight matrix `w` of a model (an array of rows). */
  const firstW = (o: unknown): { value: number[][] } => {
    if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      const w = r.w as { value?: unknown } | undefined;
      if (w && Array.isArray(w.value) && Array.isArray(w.value[0])) return w as { value: number[][] };
      for (const v of Object.values(r)) {
        try { return firstW(v); } catch { /* keep looking */ }
      }
    }
    throw new Error('no weight matrix');
  };
  const potentialCases: [string, () => string, RegExp][] = [
    ['eam cut short', () => file('short.eam', eam.split('\n').slice(0, 40).join('\n')), /short\.eam.*(ends|short|expected|missing)/i],
    ['eam header garbage', () => file('garbage.eam', 'comment\n29 x 3.6 fcc\n'), /garbage\.eam/],
    ['dp weights NaN', () => {
      const m = seaModel();
      firstW(m).value[0][0] = NaN;
      return file('nan-weights.yaml', YAML.stringify(m));
    }, /nan-weights\.yaml.*(NaN|non-finite)/i],
    ['dp weights wrong shape', () => {
      const m = seaModel();
      firstW(m).value.pop();
      return file('wrong-shape.yaml', YAML.stringify(m));
    }, /wrong-shape\.yaml.*(shape|rows|expected)/i],
    ['dp not a model', () => file('not-a-model.json', '{"hello": 1}'), /not-a-model\.json/],
  ];
  for (const [label, make, message] of potentialCases) {
    it(label, async () => {
      cases++;
      const p = make();
      const s = file('ok.extxyz', cu13());
      const spec = p.endsWith('.eam') ? `eam:${p}` : `dp:${p}`;
      const r = await cli(['eval', '--potential', spec, '--structure', s]);
      expect(r.code, r.text).toBe(1);
      expect(r.text).toMatch(message);
    });
  }
});

describe('bad API bodies', () => {
  let app: FastifyInstance;
  let store: Store;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    store = Store.open(':memory:');
    app = await buildServer({ store, runner: null, token: TOKEN, bodyLimit: 64 * 1024 });
  });
  afterAll(async () => { await app.close(); store.close(); });

  it('wrong types, NaN-like values, overlapping atoms and too large bodies are refused by name', async () => {
    const ds = (await app.inject({ method: 'POST', url: '/datasets', payload: { name: 'bad' }, headers: auth })).json();
    const post = (payload: unknown) => app.inject({ method: 'POST', url: `/datasets/${ds.id}/frames`, headers: auth, payload: payload as object });
    const bodies: [unknown, RegExp][] = [
      [{ frames: 'many' }, /frames/],
      [{ frames: [{ symbols: 'Cu', positions: [0, 0, 0] }] }, /frames\.0\.symbols/],
      [{ frames: [{ symbols: ['Cu'], positions: ['a', 0, 0] }] }, /frames\.0\.positions/],
      [{ frames: [{ symbols: ['Cu'], positions: [0, 0] }] }, /frames\.0\.positions/],
    ];
    for (const [body, message] of bodies) {
      const r = await post(body);
      cases++;
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error, JSON.stringify(body)).toMatch(message);
    }
    const big = await post({ frames: [{ symbols: Array(5000).fill('Cu'), positions: Array(15000).fill(1.2345678) }] });
    cases++;
    expect(big.statusCode).toBe(413);
    expect(JSON.stringify(big.json())).toMatch(/too large|limit/i);
    const notJson = await app.inject({ method: 'POST', url: '/datasets', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
    cases++;
    expect(notJson.statusCode).toBe(400);
  });
});
