import { describe, expect, it } from 'vitest';
import { modelLabel, validModel } from '../../../src/ui/analysis/ModelPicker.tsx';
import { backendEnsembleKey, backendEnsembleName, filesEnsemble } from '../../../src/ui/engine/ensemble-in-use.ts';

const file = (name: string) => ({ name, bytes: new Uint8Array([1]) });

describe('the model an analysis names', () => {
  it('names one model or the mean of the ensemble in use', () => {
    const e = filesEnsemble(backendEnsembleName({ id: 3, name: 'studio iteration 1' }), [file('a.dp'), file('b.dp')], backendEnsembleKey(3));
    expect(e.key).toBe('backend:3');
    expect(modelLabel(e, 1)).toBe("model 1 (b.dp) of backend ensemble 3 'studio iteration 1'");
    expect(modelLabel(e, 'mean')).toBe("mean of the 2 models of backend ensemble 3 'studio iteration 1'");
  });
  it('falls back to model 0 when the ensemble has no such model, or one model has no mean', () => {
    const two = filesEnsemble('two', [file('a.dp'), file('b.dp')]);
    const one = filesEnsemble('one', [file('a.dp')]);
    expect(validModel(two, 1, true)).toBe(1);
    expect(validModel(one, 1, true)).toBe(0);
    expect(validModel(two, 'mean', true)).toBe('mean');
    expect(validModel(two, 'mean', false)).toBe(0);
    expect(validModel(one, 'mean', true)).toBe(0);
  });
  it('keys files by identity: the same backend ensemble shares a key, other files do not', async () => {
    const a = filesEnsemble('x', [file('a.dp')]), b = filesEnsemble('x', [file('a.dp')]);
    expect(a.key).not.toBe(b.key);
    expect(filesEnsemble('y', [], backendEnsembleKey(5)).key).toBe(filesEnsemble('z', [], backendEnsembleKey(5)).key);
    expect((await a.files()).map((f) => f.name)).toEqual(['a.dp']);
  });
});
