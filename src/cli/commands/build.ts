/** `nanostudio build SHAPE ...`: structure builders writing extended XYZ. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import type { Frame } from '../../core/atoms.ts';
import { writeExtxyz } from '../../core/io/extxyz.ts';
import { icosahedron } from '../../core/build/icosahedron.ts';

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
    '  --lattice A   lattice constant in Å (default: the element\'s reference value)',
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
    let values: Values;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { element: { type: 'string' }, lattice: { type: 'string' }, out: { type: 'string' }, ...shape.options },
        allowPositionals: false,
      }));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
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
