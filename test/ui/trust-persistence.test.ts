/**
 * Trust levels survive a reload: the studio store starts with the levels this browser kept and
 * keeps every change; unusable saved levels fall back to the defaults.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRUST, saveTrustLevels, savedTrustLevels, TRUST_KEY } from '../../src/ui/frames/trust.ts';

/** An in-memory localStorage (the page's is per origin and survives a reload). */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => { m.delete(k); },
    setItem: (k, v) => { m.set(k, String(v)); },
  };
}

describe('saved trust levels', () => {
  it('round-trip; unusable or unreadable ones are none', () => {
    const s = memoryStorage();
    expect(savedTrustLevels(s)).toBeNull();
    saveTrustLevels({ trustLo: 0.02, trustHi: 0.3 }, s);
    expect(savedTrustLevels(s)).toEqual({ trustLo: 0.02, trustHi: 0.3 });
    saveTrustLevels({ trustLo: 0.3, trustHi: 0.2 }, s); // invalid: not kept
    expect(savedTrustLevels(s)).toEqual({ trustLo: 0.02, trustHi: 0.3 });
    for (const bad of ['{', '{"trustLo":0,"trustHi":0.1}', '{"trustLo":"0.1","trustHi":0.2}', '[]', 'null']) {
      s.setItem(TRUST_KEY, bad);
      expect(savedTrustLevels(s), bad).toBeNull();
    }
  });
});

describe('the studio store keeps its trust levels across a reload', () => {
  beforeEach(() => { vi.resetModules(); vi.stubGlobal('localStorage', memoryStorage()); });

  it('a change is kept and a new page starts with it', async () => {
    const first = (await import('../../src/ui/store.ts')).useStudio;
    expect(first.getState()).toMatchObject(DEFAULT_TRUST);
    first.getState().set({ trustLo: 0.07, trustHi: 0.4 });
    vi.resetModules(); // a reload: the modules run again, localStorage stays
    const second = (await import('../../src/ui/store.ts')).useStudio;
    expect(second.getState()).toMatchObject({ trustLo: 0.07, trustHi: 0.4 });
  });

  it('unusable saved levels give the defaults', async () => {
    localStorage.setItem(TRUST_KEY, JSON.stringify({ trustLo: 0.5, trustHi: 0.1 }));
    const { useStudio } = await import('../../src/ui/store.ts');
    expect(useStudio.getState()).toMatchObject(DEFAULT_TRUST);
  });
});
