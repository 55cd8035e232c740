import { describe, expect, it } from 'vitest';
import { decodePositions, encodePositions, LINK_RESOLUTION_A, sessionFromJson, sessionToJson, shareFromQuery, shareToQuery, type SharedSettings, type StudioShare } from '../../src/ui/share/studio-share.ts';
import { randomCluster, bulk } from '../../src/core/build/index.ts';
import { MD_ENSEMBLES, type MdEnsemble } from '../../src/worker/md-ensembles.ts';
import { DEFAULT_SIM_PARAMS, validateSimParams } from '../../src/worker/simulation.ts';
import { ENGINE_PREFERENCES } from '../../src/worker/engine-choice.ts';
import { COLOUR_MODES } from '../../src/ui/colors.ts';

const settings: SharedSettings = {
  md: { ensemble: 'nose-hoover', temperatureK: 850, dtFs: 1.5, steps: 300, saveEvery: 7, frictionPerFs: 0.02, tauTFs: 80, pressureBar: 3, seed: 42 },
  engine: 'cpu', trustLo: 0.04, trustHi: 0.2, colourMode: 'element',
};
const defaults: SharedSettings = { ...settings, md: { ...settings.md, ensemble: 'langevin', temperatureK: 600 }, engine: 'auto', trustLo: 0.05, trustHi: 0.15, colourMode: 'deviation' };

function share(): StudioShare {
  const f = randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, seed: 7 });
  f.symbols[3] = 'Ag';
  return { structure: { title: 'mixed cluster', symbols: f.symbols, positions: f.positions, cell: null, pbc: [false, false, false] }, potential: { kind: 'backend', ensembleId: 3, name: 'iter 2' }, settings };
}

describe('studio share link', () => {
  it('round-trips atoms (to 1e-4 Å), elements, settings and the potential', () => {
    const s = share();
    const p = shareFromQuery(shareToQuery(s), defaults);
    if (!('symbols' in p.structure)) throw new Error('expected atoms');
    expect(p.structure.symbols).toEqual(s.structure.symbols);
    expect(p.structure.title).toBe('mixed cluster');
    const err = Math.max(...Array.from(p.structure.positions, (v, i) => Math.abs(v - s.structure.positions[i])));
    expect(err).toBeLessThanOrEqual(LINK_RESOLUTION_A / 2 + 1e-12);
    expect(err).toBeGreaterThan(0); // really quantised, not passed through
    expect(p.settings).toEqual(settings);
    expect(p.potential).toEqual({ kind: 'backend', ensembleId: 3, name: 'iter 2' });
  });
  it('keeps a periodic cell', () => {
    const f = bulk('Cu', 'fcc', { cubic: true, repeat: [2, 2, 2] });
    const p = shareFromQuery(shareToQuery({ structure: { title: 'bulk', symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc }, potential: { kind: 'demo' }, settings }), defaults);
    if (!('symbols' in p.structure)) throw new Error('expected atoms');
    expect(Array.from(p.structure.cell!)).toEqual(Array.from(f.cell!, (v) => Number(v.toFixed(6))));
    expect(p.structure.pbc).toEqual([true, true, true]);
  });
  it('a preset stays a name; missing settings come from the defaults', () => {
    const p = shareFromQuery('structure=Cu13%20icosahedron&T=900', defaults);
    expect(p.structure).toEqual({ preset: 'Cu13 icosahedron' });
    expect(p.settings.md.temperatureK).toBe(900);
    expect(p.settings.trustLo).toBe(0.05);
  });
  it('names the bad parameter', () => {
    const q = shareToQuery(share());
    expect(() => shareFromQuery(q.replace(/T=850/, 'T=hot'), defaults)).toThrow(/"T" is not a number/);
    expect(() => shareFromQuery(q.replace(/ens=nose-hoover/, 'ens=npx'), defaults)).toThrow(/"ens": unknown ensemble "npx"/);
    expect(() => shareFromQuery(q.replace(/lo=0.04/, 'lo=0.5'), defaults)).toThrow(/trustHi: the trust levels need lo < hi/);
    expect(() => shareFromQuery(q.replace(/elements=[^&]*/, 'elements=Cu,xx'), defaults)).toThrow(/"xx" is not an element symbol/);
    expect(() => shareFromQuery(q.replace(/&types=[^&]*/, ''), defaults)).toThrow(/"types" is missing/);
    expect(() => shareFromQuery('atoms=AAAA&elements=Cu', defaults)).toThrow(/not a whole number of atoms/);
    expect(() => shareFromQuery('atoms=a+b&elements=Cu', defaults)).toThrow(/not base64url/);
    expect(() => shareFromQuery(q.replace(/pot=[^&]*/, "pot=magic"), defaults)).toThrow(/"pot": unknown potential "magic"/);
  });
  it('positions encode exactly on the grid', () => {
    const x = [0, 1.2345, -7.0001, 123.4567];
    const y = decodePositions(encodePositions([...x, 0, 0]));
    expect(Array.from(y.subarray(0, 4)).map((v) => Number(v.toFixed(4)))).toEqual(x);
  });
});

describe('studio session file', () => {
  it('round-trips at full precision', () => {
    const s = share();
    const back = sessionFromJson(sessionToJson(s));
    expect(Array.from(back.structure.positions)).toEqual(Array.from(s.structure.positions));
    expect(back.settings).toEqual(settings);
    expect(back.potential).toEqual(s.potential);
  });
  it('names what is wrong', () => {
    expect(() => sessionFromJson('{not json')).toThrow(/not JSON/);
    expect(() => sessionFromJson('{"format":"nanostudio-teach-session"}')).toThrow(/not a nanostudio studio session: format/);
    const o = JSON.parse(sessionToJson(share()));
    o.structure.positions.pop();
    expect(() => sessionFromJson(JSON.stringify(o))).toThrow(/59 coordinates for 20 atoms/);
    const o2 = JSON.parse(sessionToJson(share()));
    o2.settings.md.dtFs = -1;
    expect(() => sessionFromJson(JSON.stringify(o2))).toThrow(/settings\.md\.dtFs/);
  });
});

describe('one list of ensembles, engines and colour modes', () => {
  it('a link carries every ensemble the worker runs, every engine preference and colour mode', () => {
    for (const ensemble of MD_ENSEMBLES) {
      expect(() => validateSimParams({ ...DEFAULT_SIM_PARAMS, ensemble })).not.toThrow();
      for (const engine of ENGINE_PREFERENCES) for (const colourMode of COLOUR_MODES) {
        const s: StudioShare = { ...share(), settings: { ...settings, md: { ...settings.md, ensemble }, engine, colourMode } };
        expect(shareFromQuery(shareToQuery(s), defaults).settings).toEqual(s.settings);
      }
    }
  });
  it('the worker refuses an ensemble a link would refuse, naming the known ones', () => {
    expect(() => validateSimParams({ ...DEFAULT_SIM_PARAMS, ensemble: 'nvt' as MdEnsemble })).toThrow(`unknown ensemble 'nvt' (${MD_ENSEMBLES.join(', ')})`);
    expect(() => shareFromQuery('structure=x&ens=nvt', defaults)).toThrow(`known: ${MD_ENSEMBLES.join(', ')}`);
  });
});
