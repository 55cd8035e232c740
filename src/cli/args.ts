/**
 * Option parsing shared by every `nanostudio` command: node's util.parseArgs with string
 * options, turned into UsageErrors that name the option, and typed number checks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';
import { readExtxyz, type XyzFrame } from '../core/io/extxyz.ts';
import { validateFrame } from '../core/atoms.ts';

export type OptionValues = Record<string, string | undefined>;

/**
 * Parse `--name VALUE` options (all strings) and `--flag` booleans (value 'true' when given).
 * Unknown options, missing values and positionals throw node's ERR_PARSE_ARGS_* errors, which
 * main() reports with the command's usage and exit code 2 (command.ts isUsageError).
 */
export function parseOptions(argv: string[], names: readonly string[], flags: readonly string[] = []): OptionValues {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries([
      ...names.map((k) => [k, { type: 'string' as const }]),
      ...flags.map((k) => [k, { type: 'boolean' as const }]),
    ]),
    allowPositionals: false,
  });
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === true ? 'true' : v === false ? undefined : (v as string | undefined)]));
}

/** The value of a required option, or a UsageError "--name is required". */
export function required(values: OptionValues, name: string): string {
  const v = values[name];
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export interface NumberRule {
  integer?: boolean;
  /** Must be > 0. */
  positive?: boolean;
  /** Must be ≥ min. */
  min?: number;
  /** Words for the error, e.g. "a positive length (Å)"; default from the rule. */
  what?: string;
}

/** A number option checked against `rule`; undefined when absent. */
export function numberOption(values: OptionValues, name: string, rule: NumberRule = {}): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  const ok = v.trim() !== '' && Number.isFinite(x) && (!rule.integer || Number.isInteger(x)) && (!rule.positive || x > 0) && (rule.min === undefined || x >= rule.min);
  if (!ok) {
    const what = rule.what ?? `${rule.integer && !rule.positive && rule.min === undefined ? 'an' : 'a'} ${rule.positive ? 'positive ' : rule.min === 0 ? 'non-negative ' : ''}${rule.integer ? 'integer' : 'number'}${rule.min !== undefined && rule.min !== 0 ? ` ≥ ${rule.min}` : ''}`;
    throw new UsageError(`--${name} must be ${what}, got '${v}'`);
  }
  return x;
}

/**
 * Every frame of a structure file, each checked by validateFrame (finite coordinates, known
 * elements, no overlapping atoms, a right-handed cell of non-zero volume); errors name the file and frame.
 */
export function readStructure(path: string): XyzFrame[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read structure '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const frames = readExtxyz(text, basename(path));
  frames.forEach((f, k) => {
    try {
      validateFrame(f);
    } catch (e) {
      throw new Error(`${basename(path)}: frame ${k}: ${(e as Error).message}`);
    }
  });
  return frames;
}

/** Read the frame `--frame N` (0-based, negative from the end; default 0) of an extxyz file (validated). */
export function readFrameOption(path: string, values: OptionValues): XyzFrame {
  const frames = readStructure(path);
  const fi = numberOption(values, 'frame', { integer: true }) ?? 0;
  const frame = frames.at(fi);
  if (!frame) throw new UsageError(`--frame ${fi} is out of range (${frames.length} frames in ${path})`);
  return frame;
}
