import { describe, expect, it } from 'vitest';
import { asAsync, implementsProperty, MissingPropertyError, reduceModels, requireProperties, type CalcProperty } from '../../../src/core/potentials/calculator.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';

const frame = icosahedron('Cu', 1);
const lj = new LennardJones({ epsilon: 0.4, sigma: 2.3 });

describe('calculator protocol', () => {
  it('a calculator returns every property it says it implements', () => {
    const r = lj.compute(frame);
    for (const p of lj.implementedProperties) expect(r[p as keyof typeof r], p).toBeDefined();
    expect(implementsProperty(lj, 'energy')).toBe(true);
    expect(implementsProperty(lj, 'deviation')).toBe(false);
  });

  it('requireProperties names the calculator, the missing properties and the purpose', () => {
    expect(() => requireProperties(lj, ['virial'], 'NPT')).not.toThrow();
    let err: unknown;
    try { requireProperties(lj, ['virial', 'models', 'deviation'] as CalcProperty[], 'exploration'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(MissingPropertyError);
    expect((err as Error).message).toBe(`${lj.name} does not compute models, deviation (needed for exploration)`);
  });

  it('asAsync keeps name, properties and results', async () => {
    const a = asAsync(lj);
    expect(a.name).toBe(lj.name);
    expect(a.implementedProperties).toEqual(lj.implementedProperties);
    expect((await a.compute(frame)).energy).toBe(lj.compute(frame).energy);
  });

  it('reduceModels: model 0 or the element-wise mean', () => {
    const m = (e: number, f: number) => ({ energy: e, forces: Float64Array.of(f, 0, 0), virial: new Float64Array(9).fill(f), atomicEnergies: Float64Array.of(e), atomicVirials: new Float64Array(9).fill(e) });
    const ms = [m(1, 2), m(3, 6)];
    expect(reduceModels(ms, 'model0').energy).toBe(1);
    const mean = reduceModels(ms, 'mean');
    expect(mean.energy).toBe(2);
    expect(Array.from(mean.forces)).toEqual([4, 0, 0]);
    expect(mean.virial[8]).toBe(4);
  });
});
