import { describe, expect, it } from 'vitest';
import { asAsync, type Calculator } from '../../src/core/potentials/calculator.ts';
import { LennardJones } from '../../src/core/potentials/lj.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { labelFrame, LabelError, type Labeler } from '../../src/backend/labelers/labeler.ts';

const frame = icosahedron('Cu', 1);
const lj = new LennardJones({ epsilon: 0.4, sigma: 2.3 });

describe('labelers are calculators; a thrown error becomes a failed label', () => {
  const labeler = (compute: Labeler['compute']): Labeler => ({ name: 'test labeler', implementedProperties: [], compute });

  it('an ok result becomes an ok label', async () => {
    const out = await labelFrame(asAsync(lj), frame);
    expect(out.status).toBe('ok');
    if (out.status === 'ok') expect(out.energy).toBe(lj.compute(frame).energy);
  });

  it('a LabelError becomes a failed label with its reason', async () => {
    const out = await labelFrame(labeler(async () => { throw new LabelError('SCF not converged'); }), frame);
    expect(out).toEqual({ status: 'failed', reason: 'SCF not converged' });
  });

  it('a non-finite force becomes a failed label naming the labeler', async () => {
    const bad: Calculator = { name: 'nan', implementedProperties: [], compute: (f) => ({ ...lj.compute(f), forces: Float64Array.of(NaN) }) };
    const out = await labelFrame({ ...asAsync(bad), name: 'test labeler' }, frame);
    expect(out).toEqual({ status: 'failed', reason: 'test labeler returned a non-finite energy or force' });
  });
});
