// The one atomic file writer of the loop and the backend's executor (task.json, result.json,
// checkpoints, trajectories, reports): a reader sees the old file or the whole new one.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic, writeJsonAtomic } from '../../src/node/write-atomic.ts';
import { tempDir } from '../backend/helpers.ts';

describe('writeAtomic', () => {
  it('replaces a file whole, text, bytes or JSON, and leaves no temporary file behind', () => {
    const dir = tempDir('ns-atomic-');
    const p = join(dir, 'result.json');
    writeFileSync(p, 'old');
    writeJsonAtomic(p, { kind: 'label', frames: [1, 2] });
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({ kind: 'label', frames: [1, 2] });
    writeAtomic(join(dir, 'model.dp'), new Uint8Array([0, 255, 7]));
    expect(Array.from(readFileSync(join(dir, 'model.dp')))).toEqual([0, 255, 7]);
    expect(readdirSync(dir).sort()).toEqual(['model.dp', 'result.json']);
  });

  it('a write that cannot finish (target is a folder) leaves what was there', () => {
    const dir = tempDir('ns-atomic-');
    const p = join(dir, 'taken');
    mkdirSync(p);
    writeFileSync(join(p, 'inside'), 'kept');
    expect(() => writeAtomic(p, 'new')).toThrow();
    expect(readFileSync(join(p, 'inside'), 'utf8')).toBe('kept');
  });
});
