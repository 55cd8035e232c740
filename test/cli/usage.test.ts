/**
 * Every `nanostudio` command answers a misspelt option, a missing option value and a stray
 * positional argument the same way: its usage on standard error, naming the problem, exit code 2.
 * `label` accepts --potential (as every other command) with --calculator kept as an alias.
 */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { commands } from '../../src/cli/commands/index.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';

async function run(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '', out = '';
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  try {
    return { code: await main(argv), err, out };
  } finally {
    e.mockRestore();
    l.mockRestore();
  }
}

describe('usage errors of every command', () => {
  for (const cmd of commands) {
    it(`${cmd.name}: a misspelt option prints the usage and exits 2`, async () => {
      const r = await run([cmd.name, '--no-such-optoin', '1']);
      expect(r.code, r.err + r.out).toBe(2);
      expect(r.err).toContain(`nanostudio ${cmd.name}:`);
      expect(r.err).toMatch(/--no-such-optoin/);
      expect(r.err).toContain(cmd.usage);
    });
    it(`${cmd.name}: a stray positional argument prints the usage and exits 2`, async () => {
      const r = await run([cmd.name, 'stray-word']);
      expect(r.code, r.err + r.out).toBe(2);
      expect(r.err).toMatch(/stray-word/);
      expect(r.err).toContain(cmd.usage);
    });
  }
});

describe('label --potential (alias --calculator)', () => {
  it('labels with --potential and with --calculator alike; both at once must agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-label-'));
    const s = join(dir, 'cu13.extxyz');
    writeFileSync(s, writeExtxyz([icosahedron('Cu', 2)]));
    const a = await run(['label', '--potential', 'eam', '--structure', s, '--out', join(dir, 'a.extxyz')]);
    expect(a.code, a.err).toBe(0);
    const b = await run(['label', '--calculator', 'eam', '--structure', s, '--out', join(dir, 'b.extxyz')]);
    expect(b.code, b.err).toBe(0);
    expect(readExtxyz(readFileSync(join(dir, 'a.extxyz'), 'utf8'))[0].info!.energy).toBe(readExtxyz(readFileSync(join(dir, 'b.extxyz'), 'utf8'))[0].info!.energy);
    const both = await run(['label', '--potential', 'eam', '--calculator', 'cp2k', '--structure', s, '--out', join(dir, 'c.extxyz')]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--calculator is an alias of --potential/);
    const none = await run(['label', '--structure', s, '--out', join(dir, 'c.extxyz')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--potential is required/);
  });
});
