/**
 * Loader: the three encodings of the O/H model give the same DpModel; serialize → deserialize
 * round-trips; malformed models are rejected with a message naming the problem.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refPath } from '../helpers/refdata.ts';
import { readDpModelFile } from '../../src/node/dp-file.ts';
import { deserializeDpModel, loadDpModel, parseDpModelText } from '../../src/core/potentials/dp/load.ts';
import { serializeDpModel, encodeDpModelJson } from '../../src/core/potentials/dp/serialize.ts';
import { encodeDpModelH5, encodeDpModelYaml } from '../../src/core/potentials/dp/write.ts';
import { reviveArrays, type RawObject } from '../../src/core/potentials/dp/format.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { frameOf, refModel, seaCases } from './helpers.ts';

const quiet = { onWarning: () => {} };

/** The physics of a model (everything but metadata), for equality checks. */
function physics(m: DpModel): unknown {
  const nets = (c: DpModel['descriptor']['embeddings']) =>
    c.networks.map((n) => n && n.layers.map((l) => [l.nIn, l.nOut, Array.from(l.w), l.b && Array.from(l.b), l.idt && Array.from(l.idt), l.activation, l.resnet]));
  const d = m.descriptor;
  return {
    typeMap: m.typeMap, rcut: d.rcut, rs: d.rcutSmth, sel: d.sel, neuron: d.neuron, axis: d.axisNeuron, tos: d.typeOneSide,
    excl: d.excludeTypes, p: d.envProtection, davg: Array.from(d.davg), dstd: Array.from(d.dstd), emb: nets(d.embeddings),
    fit: nets(m.fitting.nets), bias: Array.from(m.fitting.biasAtomE), outBias: Array.from(m.outBias),
    atomExcl: m.atomExcludeTypes, pairExcl: m.pairExcludeTypes, mixed: m.fitting.mixedTypes,
  };
}

describe('DeePMD-kit v3 model files', () => {
  it('deeppot_sea in .dp, .yaml and .json is the same model', async () => {
    const dp = await refModel('deepmd/deeppot_sea.dp');
    const yaml = await refModel('deepmd/deeppot_sea.yaml');
    const json = await refModel('deepmd/deeppot_sea.model.json');
    expect(physics(yaml)).toEqual(physics(dp));
    expect(physics(json)).toEqual(physics(dp));
    expect(dp.typeMap).toEqual(['O', 'H']);
    expect(dp.descriptor.sel).toEqual([46, 92]);
    expect(dp.descriptor.embeddings.networks).toHaveLength(2);
    expect(dp.fitting.nets.networks[0]!.layers.map((l) => [l.nIn, l.nOut, l.idt !== null])).toEqual([[24, 10, false], [10, 10, true], [10, 10, true], [10, 1, false]]);
  });

  it('serializeDpModel round-trips (dict and JSON text) and the result evaluates identically', async () => {
    const m = await refModel('deepmd/deeppot_sea.dp');
    const again = deserializeDpModel(reviveArrays(serializeDpModel(m)) as RawObject, quiet);
    expect(again).toEqual(m);
    const fromText = parseDpModelText(encodeDpModelJson(m), 'json', quiet);
    expect(fromText).toEqual(m);
    const c = seaCases()[0];
    const f = frameOf(c.coord, c.atype, m.typeMap, c.box);
    expect(new DpEvaluator(fromText).evaluate(f).energy).toBe(new DpEvaluator(m).evaluate(f).energy);
    // The serialized dict has DeePMD-kit's layout.
    const d = serializeDpModel(m) as { model: { descriptor: { '@variables': { davg: { value: number[][][] } } } } };
    expect(d.model.descriptor['@variables'].davg.value).toHaveLength(2);
    expect(d.model.descriptor['@variables'].davg.value[0]).toHaveLength(138);
  });

  it('writes .yaml (PyYAML-safe floats) and .dp (HDF5) that load back to the same model', async () => {
    const m = await refModel('deepmd/deeppot_sea.dp');
    const yaml = encodeDpModelYaml(m);
    expect(yaml).toMatch(/"@class": "np.ndarray"/);
    // Every array float carries a decimal point (PyYAML's YAML 1.1 reads 1e-05 as a string).
    expect(/"value": \[.*\b\d+e[-+]\d/.test(yaml)).toBe(false);
    const fromYaml = await loadDpModel(new TextEncoder().encode(yaml), 'm.yaml', quiet);
    expect(fromYaml).toEqual(m);
    const h5 = await encodeDpModelH5(m);
    const fromH5 = await loadDpModel(h5, 'm.dp', quiet);
    expect(physics(fromH5)).toEqual(physics(m));
    const c = seaCases()[1];
    const f = frameOf(c.coord, c.atype, m.typeMap, c.box);
    expect(new DpEvaluator(fromH5).evaluate(f).energy).toBe(new DpEvaluator(m).evaluate(f).energy);
  });

  it('loads from bytes with the encoding detected from the content', async () => {
    const bytes = new Uint8Array(readFileSync(refPath('deepmd/deeppot_sea.dp')));
    const m = await loadDpModel(bytes, '', quiet);
    expect(m.ntypes).toBe(2);
    const yb = new Uint8Array(readFileSync(refPath('deepmd/deeppot_sea.yaml')));
    expect((await loadDpModel(yb, '', quiet)).descriptor.nnei).toBe(138);
  });

  it('the synthetic Cu model has the production layout', async () => {
    const m = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    expect(m.descriptor.neuron).toEqual([25, 50, 100]);
    expect(m.descriptor.axisNeuron).toBe(16);
    expect(m.fitting.dimDescrpt).toBe(1600);
    expect(m.descriptor.sel).toEqual([96]);
  });
});

describe('malformed models are rejected with a message naming the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanostudio-dp-'));
  const original = readFileSync(refPath('deepmd/deeppot_sea.model.json'), 'utf8');
  type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture surgery
  const cases: [string, (j: J) => void, RegExp][] = [
    ['unsupported descriptor type', (j) => (j.model.descriptor.type = 'dpa1'), /unsupported descriptor type 'dpa1'/],
    ['unsupported fitting type', (j) => (j.model.fitting.type = 'dipole'), /unsupported fitting type 'dipole'/],
    ['unsupported model type', (j) => (j.model.type = 'zbl'), /unsupported model type 'zbl'/],
    ['fparam required', (j) => (j.model.fitting.numb_fparam = 2), /numb_fparam.*frame parameters/],
    ['aparam required', (j) => (j.model.fitting.numb_aparam = 1), /numb_aparam.*atomic parameters/],
    ['missing davg', (j) => delete j.model.descriptor['@variables'].davg, /davg: required array is missing/],
    ['missing layer weights', (j) => (j.model.fitting.nets.networks[1].layers[2]['@variables'].w = null), /networks\[1\]\.layers\[2\]\.@variables\.w: required array is missing/],
    ['wrong dstd shape', (j) => j.model.descriptor['@variables'].dstd.value.pop(), /dstd: wrong shape \[1, 138, 4\], expected \[2, 138, 4\]/],
    ['layer width mismatch', (j) => j.model.descriptor.embeddings.networks[0].layers[1]['@variables'].w.value.pop(), /layers\[1\]\.@variables\.w: wrong shape \[2, 6\], expected \[3, \*\]/],
    ['non-finite weight', (j) => (j.model.fitting.nets.networks[0].layers[0]['@variables'].b.value[3] = 12345.6789), /fitting\.nets\.networks\[0\]\.layers\[0\]\.@variables\.b: non-finite weight Infinity at flat index 3/],
    ['zero dstd', (j) => (j.model.descriptor['@variables'].dstd.value[0][5][0] = 0), /zero standard deviation/],
    ['unknown activation', (j) => (j.model.descriptor.embeddings.networks[1].layers[0].activation_function = 'swish9'), /unknown activation function 'swish9'/],
    ['unsupported model @version', (j) => (j.model['@version'] = 7), /model: unsupported @version 7/],
    ['unsupported descriptor @version', (j) => (j.model.descriptor['@version'] = 9), /descriptor: unsupported @version 9/],
    ['unsupported layer @version', (j) => (j.model.fitting.nets.networks[0].layers[0]['@version'] = 3), /layers\[0\]: unsupported @version 3/],
    ['sel length', (j) => (j.model.descriptor.sel = [46]), /sel: has 1 entries, type_map has 2 types/],
    ['bad rcut', (j) => (j.model.descriptor.rcut = 'six'), /descriptor\.rcut: /],
    ['unknown precision', (j) => (j.model.descriptor.precision = 'float128'), /unknown precision "float128"/],
    ['missing fitting', (j) => delete j.model.fitting, /model\.fitting is missing/],
    ['wrong number of fitting nets', (j) => j.model.fitting.nets.networks.pop(), /expected 2 networks/],
    ['atom_ener', (j) => (j.model.fitting.atom_ener = [1.0, null]), /atom_ener/],
    ['spin', (j) => (j.model.descriptor.spin = { use_spin: [true] }), /descriptor\.spin/],
  ];
  for (const [name, corrupt, message] of cases) {
    it(name, async () => {
      const j = JSON.parse(original) as J;
      corrupt(j);
      const path = join(dir, `${name.replace(/\W+/g, '_')}.json`);
      // JSON cannot hold Infinity: the marker 12345.6789 becomes 1e999 (parsed as Infinity) in the text.
      writeFileSync(path, JSON.stringify(j).replace('12345.6789', '1e999'));
      await expect(readDpModelFile(path, quiet)).rejects.toThrow(message);
    });
  }
  it('not a model file at all', async () => {
    const path = join(dir, 'garbage.dp');
    writeFileSync(path, 'hello');
    await expect(readDpModelFile(path, quiet)).rejects.toThrow(/not an HDF5/);
    const y = join(dir, 'list.yaml');
    writeFileSync(y, '- 1\n- 2\n');
    await expect(readDpModelFile(y, quiet)).rejects.toThrow(/does not contain a dict/);
    await expect(readDpModelFile(join(dir, 'missing.dp'), quiet)).rejects.toThrow(/ENOENT/);
  });
  it('compressed descriptors warn and use the exact embeddings', async () => {
    const j = JSON.parse(original) as J;
    j.model.descriptor['@version'] = 3;
    j.model.descriptor.compress = { table_config: [5, 0.01, 0.1, -1] };
    const path = join(dir, 'compressed.json');
    writeFileSync(path, JSON.stringify(j));
    const warnings: string[] = [];
    const m = await readDpModelFile(path, { onWarning: (w) => warnings.push(w) });
    expect(warnings.join('\n')).toMatch(/compress/);
    expect(m.descriptor.nnei).toBe(138);
  });
});

describe('model helpers for GPU upload', () => {
  it('stats of trained models are uniform per block; padding rows are −davg/dstd', async () => {
    const { statsUniformPerBlock, paddingRow, slotStats } = await import('../../src/core/potentials/dp/model.ts');
    const m = await refModel('deepmd/deeppot_sea.dp');
    expect(statsUniformPerBlock(m.descriptor, m.ntypes)).toBe(true);
    const s = slotStats(m.descriptor, 1, 50);
    expect(paddingRow(m.descriptor, 1, 50)[0]).toBeCloseTo(-s.avg[0] / s.std[0], 15);
    expect(paddingRow(m.descriptor, 1, 50)[1]).toBe(-0);
  });
});
