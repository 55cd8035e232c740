import { describe, expect, it } from 'vitest';
import { numberOption, parseOptions, required } from '../../src/cli/args.ts';
import { isUsageError } from '../../src/cli/command.ts';

describe('CLI option parsing', () => {
  it('parses string options and flags, and names unknown options', () => {
    const v = parseOptions(['--steps', '10', '--json'], ['steps'], ['json']);
    expect(v).toEqual({ steps: '10', json: 'true' });
    let err: unknown;
    try { parseOptions(['--nope', '1'], ['steps']); } catch (e) { err = e; }
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(/nope/);
    expect(isUsageError(new Error('disk full'))).toBe(false);
  });
  it('checks numbers by rule and names the option', () => {
    const v = { a: '3', b: '-1', c: '2.5', d: '', e: 'x' };
    expect(numberOption(v, 'a', { positive: true, integer: true })).toBe(3);
    expect(numberOption(v, 'missing')).toBeUndefined();
    expect(() => numberOption(v, 'b', { min: 0 })).toThrow("--b must be a non-negative number, got '-1'");
    expect(() => numberOption(v, 'c', { integer: true })).toThrow("--c must be an integer, got '2.5'");
    expect(() => numberOption(v, 'd')).toThrow(/--d must be/);
    expect(() => numberOption(v, 'e', { positive: true, what: 'a positive length (Å)' })).toThrow("--e must be a positive length (Å), got 'x'");
    expect(() => required(v, 'zzz')).toThrow('--zzz is required');
  });
});
