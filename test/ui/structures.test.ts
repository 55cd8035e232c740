import { describe, expect, it } from 'vitest';
import { STRUCTURES } from '../../src/ui/structures.ts';
import { validateFrame } from '../../src/core/atoms.ts';

describe('studio structure menu', () => {
  it('every entry builds a valid Cu cluster whose atom count matches its label', () => {
    for (const s of STRUCTURES) {
      const f = s.build();
      validateFrame(f, { minDistance: 2.0 });
      expect(f.symbols.length).toBe(Number(/^Cu(\d+)/.exec(s.id)![1]));
    }
  });
});
