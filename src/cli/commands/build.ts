/** `nanostudio build SHAPE ...`: structure builders writing extended XYZ. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import type { Frame } from '../../core/atoms.ts';
import { writeExtxyz } from '../../core/io/extxyz.ts';
import { icosahedron } from '../../core/build/icosahedron.ts';
import { decahedron } from '../../core/build/decahedron.ts';
import { octahedron } from '../../core/build/octahedron.ts';
import { randomCluster } from '../../core/build/random-cluster.ts';
import { bulk, type BulkStructure } from '../../core/build/bulk.ts';
import { surface, FACETS, type Facet } from '../../core/build/surface.ts';

type Values = Record<string, string | boolean | undefined>;

interface Shape {
  summary: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  build(v: Values): Frame;
}

function num(v: Values, key: string, integer = false): number {
  const s = v[key];
  if (typeof s !== 'string') throw new UsageError(`--${key} is required`);
  const x = Number(s);
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x))) throw new UsageError(`--${key} must be ${integer ? 'an integer' : 'a number'}, got '${s}'`);
  return x;
}
function optNum(v: Values, key: string): number | undefined {
  return v[key] === undefined ? undefined : num(v, key);
}
/** A comma-separated triple of positive integers, e.g. --repeat 3,3,3. */
function triple(v: Values, key: string, fallback?: [number, number, number]): [number, number, number] {
  const s = v[key];
  if (s === undefined && fallback) return fallback;
  if (typeof s !== 'string') throw new UsageError(`--${key} is required (three integers, e.g. 3,3,4)`);
  const parts = s.split(/[,x]/).map((t) => Number(t.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new UsageError(`--${key} must be three positive integers like 3,3,4, got '${s}'`);
  }
  return parts as [number, number, number];
}
const STRUCTURES: BulkStructure[] = ['fcc', 'bcc', 'hcp', 'diamond'];
function str(v: Values, key: string): string {
  const s = v[key];
  if (typeof s !== 'string') throw new UsageError(`--${key} is required`);
  return s;
}

/** Builders by shape name. Later shapes register here too. */
export const shapes: Record<string, Shape> = {
  icosahedron: {
    summary: 'Mackay icosahedron: --element E --shells K (K=3 gives 55 atoms)',
    options: { shells: { type: 'string' } },
    build: (v) => icosahedron(str(v, 'element'), num(v, 'shells', true), optNum(v, 'lattice')),
  },
  decahedron: {
    summary: 'Ino/Marks decahedron (ase.cluster.Decahedron): --element E --p P --q Q [--r R] (2,2,0 gives 13 atoms)',
    options: { p: { type: 'string' }, q: { type: 'string' }, r: { type: 'string' } },
    build: (v) => decahedron(str(v, 'element'), num(v, 'p', true), num(v, 'q', true), v.r === undefined ? 0 : num(v, 'r', true), optNum(v, 'lattice')),
  },
  octahedron: {
    summary: '(truncated) octahedron (ase.cluster.Octahedron): --element E --length L [--cutoff C] (5,2 gives 55)',
    options: { length: { type: 'string' }, cutoff: { type: 'string' } },
    build: (v) => octahedron(str(v, 'element'), num(v, 'length', true), v.cutoff === undefined ? 0 : num(v, 'cutoff', true), optNum(v, 'lattice')),
  },
  random: {
    summary: 'seeded random cluster: --element E --natoms N --dmin Å --dmax Å --seed S [--place-min Å]',
    options: { natoms: { type: 'string' }, dmin: { type: 'string' }, dmax: { type: 'string' }, seed: { type: 'string' }, 'place-min': { type: 'string' } },
    build: (v) =>
      randomCluster(str(v, 'element'), num(v, 'natoms', true), {
        dmin: num(v, 'dmin'),
        dmax: num(v, 'dmax'),
        seed: num(v, 'seed', true),
        placeMin: optNum(v, 'place-min'),
      }),
  },
  bulk: {
    summary: 'bulk crystal (ase.build.bulk): --element E [--structure fcc|bcc|hcp|diamond] [--repeat 3,3,3] [--cubic] [--orthorhombic] [--c Å]',
    options: { structure: { type: 'string' }, repeat: { type: 'string' }, cubic: { type: 'boolean' }, orthorhombic: { type: 'boolean' }, c: { type: 'string' } },
    build: (v) => {
      const st = v.structure;
      if (st !== undefined && !STRUCTURES.includes(st as BulkStructure)) throw new UsageError(`--structure must be one of ${STRUCTURES.join(', ')}, got '${String(st)}'`);
      return bulk(str(v, 'element'), st as BulkStructure | undefined, {
        a: optNum(v, 'lattice'),
        c: optNum(v, 'c'),
        cubic: v.cubic === true,
        orthorhombic: v.orthorhombic === true,
        repeat: triple(v, 'repeat', [1, 1, 1]),
      });
    },
  },
  surface: {
    summary: `slab (ase.build.<facet>): --element E --facet ${FACETS.join('|')} --size NX,NY,NLAYERS [--vacuum Å] [--orthogonal] [--c Å]`,
    options: { facet: { type: 'string' }, size: { type: 'string' }, vacuum: { type: 'string' }, orthogonal: { type: 'boolean' }, c: { type: 'string' } },
    build: (v) => {
      const facet = str(v, 'facet');
      if (!FACETS.includes(facet as Facet)) throw new UsageError(`--facet must be one of ${FACETS.join(', ')}, got '${facet}'`);
      return surface(str(v, 'element'), facet as Facet, triple(v, 'size'), {
        a: optNum(v, 'lattice'),
        c: optNum(v, 'c'),
        vacuum: optNum(v, 'vacuum'),
        orthogonal: v.orthogonal === true ? true : undefined,
      });
    },
  },
};

function usage(): string {
  return [
    'usage: nanostudio build <shape> --element E [shape options] [--lattice A] [--out FILE.extxyz]',
    '',
    'shapes:',
    ...Object.entries(shapes).map(([k, s]) => `  ${k.padEnd(12)} ${s.summary}`),
    '',
    'common options:',
    '  --element E   chemical symbol (Cu, Au, Ag, Pt, Pd, Ni, ...)',
    '  --lattice A   lattice constant a in Å (default: the element\'s reference value, which only',
    '                applies to its own reference lattice: Ru is hcp, Si diamond, Fe bcc)',
    '  --out FILE    write extended XYZ to FILE (default: standard output)',
  ].join('\n');
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'build a cluster, bulk cell or slab and write extended XYZ',
  get usage() {
    return usage();
  },
  async run(argv) {
    const [shapeName, ...rest] = argv;
    const shape = shapeName ? shapes[shapeName] : undefined;
    if (!shape) throw new UsageError(shapeName ? `unknown shape '${shapeName}'` : 'a shape is required');
    const { values }: { values: Values } = parseArgs({
      args: rest,
      options: { element: { type: 'string' }, lattice: { type: 'string' }, out: { type: 'string' }, ...shape.options },
      allowPositionals: false,
    });
    const frame = shape.build(values);
    const text = writeExtxyz([frame]);
    if (typeof values.out === 'string') {
      writeFileSync(values.out, text);
      console.error(`wrote ${frame.symbols.length} atoms (${shapeName}) to ${values.out}`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
