import { describe, expect, it } from 'vitest';
import { DEFAULT_TEACH, sessionFromJson, sessionToJson, settingsFromQuery, settingsToQuery } from '../../src/ui/teach/teach-state.ts';

describe('teaching mode sharing', () => {
  it('URL round trip restores the settings', () => {
    const s = { structure: 'Cu147 icosahedron', potential: 'lj', temperatureK: 900 } as const;
    const q = settingsToQuery(s);
    expect(q).toContain('mode=teach');
    expect(settingsFromQuery(`?${q}`)).toEqual({ settings: s, problems: [] });
  });
  it('bad URL values fall back to defaults with named reasons', () => {
    const r = settingsFromQuery('?mode=teach&structure=Cu9999&potential=magic&T=-4');
    expect(r.settings).toEqual(DEFAULT_TEACH);
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toMatch(/unknown structure "Cu9999"/);
    expect(r.problems[2]).toMatch(/temperature "-4"/);
  });
  it('session file round trip, and named errors for broken files', () => {
    const text = sessionToJson(DEFAULT_TEACH, { symbols: ['Cu', 'Cu'], positions: [0, 0, 0, 2.5, 0, 0] });
    const s = sessionFromJson(text);
    expect(s.settings).toEqual(DEFAULT_TEACH);
    expect(s.positions).toEqual([0, 0, 0, 2.5, 0, 0]);
    expect(() => sessionFromJson('{')).toThrow(/not JSON/);
    expect(() => sessionFromJson('{"format":"x","version":1}')).toThrow(/format/);
    expect(() => sessionFromJson(JSON.stringify({ ...JSON.parse(text), positions: [0, 0] }))).toThrow(/2 coordinates for 2 atoms/);
  });
});
