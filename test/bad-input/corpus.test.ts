/**
 * The bad-input corpus: malformed inputs generated here (extxyz with NaN, missing columns, overlapping
 * atoms, zero-volume and left-handed cells; EAM files cut short; DP models with wrong shapes, NaN
 * weights or cut short; run parameters out of range; API bodies of the wrong types or too large) run
 * through the CLI (in-process main(), as test/cli does), the studio's simulation worker (the real
 * sim.worker.ts module behind comlink, see worker-host.ts; structures also through the studio's
 * extxyz import) and the backend API (fastify inject, as test/backend/api.test.ts). Each must give a
 * named error — the message names the file / line / field and what is wrong — never a crash or a
 * hang (each worker call has its own time limit; vitest's timeout otherwise). The worker must still
 * run a good MD afterwards. The number of cases is printed, per surface.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { FastifyInstance } from 'fastify';
import * as Comlink from 'comlink';
import { main } from '../../src/cli/main.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { buildServer } from '../../src/backend/server.ts';
import { Store } from '../../src/backend/store/store.ts';
import { refPath } from '../helpers/refdata.ts';
import { TOKEN } from '../backend/helpers.ts';
import { importStructureText } from '../../src/ui/frames/structure-io.ts';
import type { BhmcRunParams, MdRunListener, RunEnd, SimParams, StructureInput } from '../../src/worker/api.ts';
import { bootSimWorker } from './worker-host.ts';
import { ROOT } from '../helpers/refdata.ts';

let dir = '';
let cases = 0;
const per = { cli: 0, worker: 0, api: 0 };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-bad-input-'));
});
afterAll(() => {
  console.log(`bad-input corpus: ${cases} cases (CLI ${per.cli}, worker ${per.worker}, API ${per.api}), each a named error`);
  rmSync(dir, { recursive: true, force: true });
});
/** Count one case of a surface. */
const counted = (where: keyof typeof per) => { cases++; per[where]++; };

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

const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const cu13 = () => writeExtxyz([icosahedron('Cu', 2)]);
/** Replace line `k` (0-based) of a text. */
const withLine = (text: string, k: number, f: (line: string) => string) => text.split('\n').map((l, i) => (i === k ? f(l) : l)).join('\n');
const box = (cell: string) => `2\nLattice="${cell}" Properties=species:S:1:pos:R:3 pbc="T T T"\nCu 0 0 0\nCu 1.8 1.8 0\n`;

/**
 * [name, file text, expected message of the CLI and the studio's import, expected message of the
 * worker given the same atoms as a structure] for structures given to `eval`, `md` and `relax`.
 */
const structures: [string, string, RegExp, RegExp][] = [
  ['nan-coordinate.extxyz', withLine(cu13(), 4, (l) => l.replace(/\s\S+$/, ' NaN')), /nan-coordinate\.extxyz:5: atom 2 column pos has non-finite value 'NaN'/,
    /structure nan-coordinate\.extxyz: atom 2 \(Cu\) has a non-finite coordinate z = NaN/],
  ['missing-column.extxyz', withLine(cu13(), 3, (l) => l.split(/\s+/).slice(0, 3).join(' ')), /missing-column\.extxyz:4: atom 1 has 3 columns, expected 4/,
    /structure missing-column\.extxyz: positions has 38 numbers, expected 3×13 atoms/],
  ['short-file.extxyz', cu13().split('\n').slice(0, 8).join('\n'), /short-file\.extxyz:1: frame announces 13 atoms but the file ends early/,
    /structure short-file\.extxyz: positions has 18 numbers, expected 3×13 atoms/],
  ['overlap.extxyz', '2\nProperties=species:S:1:pos:R:3\nCu 0 0 0\nCu 0.1 0 0\n', /overlap\.extxyz.*atoms 0 \(Cu\) and 1 \(Cu\) overlap: distance 0\.1000 Å/,
    /structure overlap\.extxyz: atoms 0 \(Cu\) and 1 \(Cu\) overlap: distance 0\.1000 Å/],
  ['zero-volume.extxyz', box('3.6 0 0 0 3.6 0 3.6 3.6 0'), /zero-volume\.extxyz.*cell has zero volume/, /structure zero-volume\.extxyz: cell has zero volume/],
  ['left-handed.extxyz', box('3.6 0 0 0 3.6 0 0 0 -3.6'), /left-handed\.extxyz.*cell is left-handed \(det = -46\.66 Å³\)/,
    /structure left-handed\.extxyz: cell is left-handed \(det = -46\.66 Å³\)/],
  ['unknown-element.extxyz', '1\nProperties=species:S:1:pos:R:3\nXx 0 0 0\n', /unknown-element\.extxyz.*unknown element 'Xx'/,
    /element Xx is not in the models' type_map \[Cu\]/],
];

/**
 * The atoms of a structure file as the worker would get them from a page that did not check them:
 * the announced number of symbols (the first symbol repeated for lines that are missing), every
 * number after each symbol as a coordinate (Number('NaN') is NaN), the Lattice as the cell.
 */
function rawStructure(name: string, text: string): StructureInput {
  const lines = text.split('\n');
  const n = Number(lines[0]);
  const atoms = lines.slice(2, 2 + n).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
  const symbols = Array.from({ length: n }, (_, i) => atoms[i]?.[0] ?? atoms[0][0]);
  const positions = Float64Array.from(atoms.flatMap((t) => t.slice(1).map(Number)));
  const lattice = /Lattice="([^"]*)"/.exec(lines[1]);
  const s: StructureInput = { symbols, positions, title: name };
  if (lattice) {
    s.cell = Float64Array.from(lattice[1].split(/\s+/).map(Number));
    s.pbc = [true, true, true];
  }
  return s;
}

describe('bad structures through the CLI', () => {
  for (const [name, text, message] of structures) {
    for (const cmd of ['eval', 'md', 'relax']) {
      it(`${cmd} ${name}`, async () => {
        const s = file(name, text);
        const extra = cmd === 'md' ? ['--steps', '2', '--temperature', '100', '--out', join(dir, 'o.extxyz')] : cmd === 'relax' ? ['--out', join(dir, 'r.extxyz')] : [];
        const r = await cli([cmd, '--potential', 'eam:Cu_u3.eam', '--structure', s, ...extra]);
        counted('cli');
        expect(r.code, r.text).toBe(1);
        expect(r.text).toMatch(message);
      });
    }
  }
});

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
/** [case, file name, file content, expected message] of DP model files, for the CLI and the worker. */
const badModels: [string, string, () => string | Uint8Array, RegExp][] = [
  ['dp weights NaN', 'nan-weights.yaml', () => {
    const m = seaModel();
    firstW(m).value[0][0] = NaN;
    return YAML.stringify(m);
  }, /nan-weights\.yaml.*(NaN|non-finite)/i],
  ['dp weights wrong shape', 'wrong-shape.yaml', () => {
    const m = seaModel();
    firstW(m).value.pop();
    return YAML.stringify(m);
  }, /wrong-shape\.yaml.*(shape|rows|expected)/i],
  ['dp not a model', 'not-a-model.json', () => '{"hello": 1}', /not-a-model\.json/],
  ['dp .dp file cut short', 'cut-short.dp', () => new Uint8Array(readFileSync(refPath('deepmd/deeppot_sea.dp')).subarray(0, 20000)),
    /cut-short\.dp.*cut short: 20000 bytes, its HDF5 superblock says 49992/],
  ['dp .dp file empty', 'empty.dp', () => new Uint8Array(0), /empty\.dp.*not an HDF5 \(\.dp\) file/],
];

describe('bad potential files through the CLI', () => {
  const eam = readFileSync(refPath('eam/Cu_u3.eam'), 'utf8');
  const potentialCases: [string, () => string, RegExp][] = [
    ['eam cut short', () => file('short.eam', eam.split('\n').slice(0, 40).join('\n')), /short\.eam.*(ends|short|expected|missing)/i],
    ['eam header garbage', () => file('garbage.eam', 'comment\n29 x 3.6 fcc\n'), /garbage\.eam/],
    ...badModels.map(([label, name, content, message]): [string, () => string, RegExp] => [label, () => file(name, content()), message]),
  ];
  for (const [label, make, message] of potentialCases) {
    it(label, async () => {
      counted('cli');
      const p = make();
      const s = file('ok.extxyz', cu13());
      const spec = p.endsWith('.eam') ? `eam:${p}` : `dp:${p}`;
      const r = await cli(['eval', '--potential', spec, '--structure', s]);
      expect(r.code, r.text).toBe(1);
      expect(r.text).toMatch(message);
    });
  }
});

describe('bad inputs through the studio worker (sim.worker.ts behind comlink)', () => {
  /** A worker call that must fail by name within `ms`: the message it failed with (a hang fails the case by name). */
  async function refused(what: string, call: () => Promise<unknown>, ms = 30_000): Promise<string> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer from the worker within ${ms} ms`)), ms); });
    try {
      await Promise.race([call(), hang]);
    } catch (e) {
      const m = (e as Error).message;
      if (/no answer from the worker/.test(m)) throw e;
      return m;
    } finally {
      clearTimeout(timer);
    }
    throw new Error(`${what}: the worker accepted it`);
  }
  const demoFiles = () => [0, 1, 2, 3].map((k) => ({ name: `cu_eam_demo_${k}.dp`, bytes: new Uint8Array(readFileSync(join(ROOT, `public/models/cu_eam_demo_${k}.dp`))) }));
  /** Listener of one MD run: the frames it saved and how it ended. */
  function mdListener() {
    const seen = { frames: 0, end: null as RunEnd | null };
    let ended: () => void = () => {};
    const done = new Promise<void>((r) => { ended = r; });
    const listener: MdRunListener = {
      onRun() {}, onSnapshot() {},
      onFrames(f) { seen.frames += f.length; },
      onEnd(how) { seen.end = how; ended(); },
    };
    return { seen, done, listener: Comlink.proxy(listener) };
  }
  const cu = icosahedron('Cu', 2);
  const good: StructureInput = { symbols: cu.symbols, positions: cu.positions, title: 'Cu13 icosahedron' };
  /** Start MD of `s` on the CPU (NVE unless `params` says otherwise); `params` may hold values of the wrong kind on purpose. */
  const md = (s: StructureInput, params: Partial<SimParams> | { ensemble: string } = {}, steps = 4, saveEvery = 2) =>
    async () => (await bootSimWorker()).api.startMd(s, { params: { ensemble: 'nve', ...params } as Partial<SimParams>, steps, saveEvery, engine: 'cpu' }, mdListener().listener);

  afterAll(async () => { (await bootSimWorker()).close(); });

  it('before any model: MD and BHMC are refused by name', async () => {
    const { api } = await bootSimWorker();
    expect((await api.init()).kind).toBe('cpu'); // Node: no navigator.gpu, the worker's CPU float64 path
    expect(await refused('md without models', md(good))).toMatch(/no models loaded: load an ensemble first/);
    counted('worker');
    const listener = Comlink.proxy({ onRun() {}, onTrial() {}, onFrames() {}, onEnd() {} });
    const bhmc: BhmcRunParams = { element: 'Cu', natoms: 7, trials: 2, temperatureK: 1000, stepSize: 0.4, fmax: 0.05, seed: 3 };
    expect(await refused('bhmc without models', () => api.startBhmc({ params: bhmc, engine: 'cpu', trustLo: 0.05, trustHi: 0.15 }, listener))).toMatch(/no models loaded: load an ensemble first/);
    counted('worker');
    expect(await refused('loadModels of nothing', () => api.loadModels([]))).toMatch(/no model files given/);
    counted('worker');
  });

  it('bad model files are refused by name and leave the worker without models', async () => {
    const { api } = await bootSimWorker();
    for (const [label, name, content, message] of badModels) {
      const c = content();
      const bytes = typeof c === 'string' ? new TextEncoder().encode(c) : c;
      expect(await refused(label, () => api.loadModels([{ name, bytes }])), label).toMatch(message);
      counted('worker');
    }
    const eam = new Uint8Array(readFileSync(refPath('eam/Cu_u3.eam')));
    expect(await refused('an EAM file as a model', () => api.loadModels([{ name: 'Cu_u3.dp', bytes: eam }]))).toMatch(/Cu_u3\.dp.*not an HDF5 \(\.dp\) file/);
    counted('worker');
    // One good file next to a bad one: the whole ensemble is refused, naming the bad file.
    const [m0] = demoFiles();
    expect(await refused('good + cut short', () => api.loadModels([m0, { name: 'm1.dp', bytes: m0.bytes.subarray(0, 4096) }]))).toMatch(/m1\.dp.*cut short: 4096 bytes/);
    counted('worker');
    expect(await refused('md after refused models', md(good))).toMatch(/no models loaded/);
  });

  it('bad structures (the corpus files) are refused by the studio import and by the worker', async () => {
    const { api } = await bootSimWorker();
    expect((await api.loadModels(demoFiles())).length).toBe(4);
    for (const [name, text, message, workerMessage] of structures) {
      // The page's path: the imported file is read and checked before it reaches the worker.
      expect(() => importStructureText(name, text), name).toThrow(message);
      counted('worker');
      // The worker's own check, for a page (or a caller) that hands the atoms over unchecked.
      expect(await refused(name, md(rawStructure(name, text))), name).toMatch(workerMessage);
      counted('worker');
    }
  });

  it('bad run parameters are refused by name; a good run still finishes afterwards', async () => {
    const { api } = await bootSimWorker();
    const mdCases: [string, Partial<SimParams> | { ensemble: string }, number, number, RegExp][] = [
      ['trust lo = 0', { trustLo: 0, trustHi: 0.15 }, 4, 2, /trust level lo must be > 0 eV\/Å, got 0/],
      ['trust lo = hi', { trustLo: 0.1, trustHi: 0.1 }, 4, 2, /trust levels must satisfy lo < hi, got lo = 0\.1 ≥ hi = 0\.1/],
      ['trust lo > hi', { trustLo: 0.3, trustHi: 0.1 }, 4, 2, /trust levels must satisfy lo < hi, got lo = 0\.3 ≥ hi = 0\.1/],
      ['trust NaN', { trustLo: NaN, trustHi: 0.1 }, 4, 2, /trust levels must be numbers, got lo = NaN/],
      ['temperature NaN', { temperatureK: NaN }, 4, 2, /temperature must be ≥ 0 K, got NaN/],
      ['time step 0', { dtFs: 0 }, 4, 2, /time step \(fs\) must be a positive number, got 0/],
      ['time step 50 fs', { dtFs: 50 }, 4, 2, /time step 50 fs is too large/],
      ['unknown ensemble', { ensemble: 'nvx' }, 4, 2, /unknown ensemble 'nvx'/],
      ['NPT of a cluster', { ensemble: 'npt' }, 4, 2, /NPT needs a cell periodic in x, y and z/],
      ['0 steps', {}, 0, 1, /steps must be a positive integer, got 0/],
      ['save every 1.5', {}, 4, 1.5, /save interval must be a positive integer of steps, got 1\.5/],
    ];
    for (const [label, params, steps, saveEvery, message] of mdCases) {
      expect(await refused(label, md(good, params, steps, saveEvery)), label).toMatch(message);
      counted('worker');
    }
    const bhmc: BhmcRunParams = { element: 'Cu', natoms: 7, trials: 2, temperatureK: 1000, stepSize: 0.4, fmax: 0.05, seed: 3 };
    const bhmcCases: [string, Partial<BhmcRunParams>, number, number, RegExp][] = [
      ['bhmc trust lo ≥ hi', {}, 0.2, 0.1, /trust levels must satisfy lo < hi, got lo = 0\.2 ≥ hi = 0\.1/],
      ['bhmc trust lo = 0', {}, 0, 0.1, /trust level lo must be > 0/],
      ['bhmc 1 atom', { natoms: 1 }, 0.05, 0.15, /number of atoms must be an integer 2–300, got 1/],
      ['bhmc element Ag', { element: 'Ag' }, 0.05, 0.15, /element Ag is not in the models' type_map \[Cu\]/],
    ];
    for (const [label, p, trustLo, trustHi, message] of bhmcCases) {
      const listener = Comlink.proxy({ onRun() {}, onTrial() {}, onFrames() {}, onEnd() {} });
      expect(await refused(label, () => api.startBhmc({ params: { ...bhmc, ...p }, engine: 'cpu', trustLo, trustHi }, listener)), label).toMatch(message);
      counted('worker');
    }
    // Not a crash: the same worker still runs MD to the end and saves its frames.
    const run = mdListener();
    await api.startMd(good, { params: { ensemble: 'nve', temperatureK: 300 }, steps: 6, saveEvery: 2, engine: 'cpu' }, run.listener);
    await run.done;
    expect(run.seen.end).toEqual({ kind: 'finished' });
    expect(run.seen.frames).toBe(4);
  });
});

describe('bad API bodies', () => {
  let app: FastifyInstance;
  let store: Store;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    store = Store.open(':memory:');
    app = await buildServer({ store, runner: null, token: TOKEN, dataDir: mkdtempSync(join(tmpdir(), 'ns-corpus-data-')), bodyLimit: 64 * 1024 });
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
      counted('api');
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error, JSON.stringify(body)).toMatch(message);
    }
    const big = await post({ frames: [{ symbols: Array(5000).fill('Cu'), positions: Array(15000).fill(1.2345678) }] });
    counted('api');
    expect(big.statusCode).toBe(413);
    expect(JSON.stringify(big.json())).toMatch(/too large|limit/i);
    const notJson = await app.inject({ method: 'POST', url: '/datasets', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
    counted('api');
    expect(notJson.statusCode).toBe(400);
  });
});
