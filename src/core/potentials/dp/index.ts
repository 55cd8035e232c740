/**
 * DeePMD-kit v3 DP-SE (`se_e2_a` + `ener`) in nanostudio: the float64 CPU reference.
 * Spec: /work/shared/docs/dp-se-spec.md. Units: Å, eV, eV/Å, virial eV.
 *
 * Loading (browser and Node; `.dp` via h5wasm, `.yaml`/`.yml`, `.json`):
 *   loadDpModel(bytes, name?, opts?) → Promise<DpModel>      (validated; throws naming the problem)
 *   parseDpModelText(text, 'json' | 'yaml') → DpModel
 *   readDpModelFile(path) → Promise<DpModel>                  (Node only: src/node/dp-file.ts)
 *   serializeDpModel(model) → v3 dict;  encodeDpModelJson / encodeDpModelYaml (text), encodeDpModelH5 (bytes)
 *
 * Data a GPU engine uploads (all Float64Array, row-major; see model.ts):
 *   model.descriptor: rcut, rcutSmth, sel, sec, nnei, neuron, axisNeuron, typeOneSide, envProtection,
 *     davg/dstd [T, nnei, 4] (index (ti*nnei + slot)*4 + k; divide by dstd),
 *     embeddings.networks[embeddingIndex(d, T, ti, tj)].layers[l] = { nIn, nOut, w [nIn,nOut], b, idt, activation, resnet }
 *   model.fitting.nets.networks[mixedTypes ? 0 : ti].layers (last layer linear, nOut 1), biasAtomE [T]
 *   model.outBias [T];  atomic energy = net + biasAtomE[ti] + outBias[ti]
 *   layerSkip(layer) tells which residual a layer applies ('none' | 'same' | 'double').
 *   slotStats(d, ti, slot), paddingRow(d, ti, slot) = −davg/dstd, statsUniformPerBlock(d, T)
 *     (true for every trained model: T×T×4 stats suffice and padding slots of a block are identical).
 *
 * Evaluation:
 *   new DpEvaluator(model).evaluate(frame, { descriptors?, energyOnly?, slots? }) → DpResult
 *   new DpCalculator(model)                 — Calculator (compute(frame) → DpResult)
 *   new DpEnsembleCalculator(models, opts)  — Calculator returning model 0 (or the mean) + models + deviation
 *   buildSeASlots(frame, types, model)      — the v3 neighbour slots (the reference for a GPU neighbour kernel)
 *   modelDeviation(results, opts), classifyDeviation(dev, trust), formatModelDeviOut(rows)
 */
export * from './model.ts';
export { loadDpModel, parseDpModelText, deserializeDpModel, rawToJson, type DpLoadOptions } from './load.ts';
export { serializeDpModel, encodeDpModelJson } from './serialize.ts';
export { encodeDpModelYaml, encodeDpModelH5 } from './write.ts';
export { decodeModelBytes, reviveArrays, detectEncoding, NdArray, type RawTree, type RawObject, type DpEncoding } from './format.ts';
export { resolveActivation, applyActivation, type Activation, type ActivationKind } from './activation.ts';
export { PreparedNetwork, layerSkip, type SkipKind } from './network.ts';
export { smoothSwitch, envRow, envRowBackward } from './env-mat.ts';
export { buildSeASlots, type SeASlots } from './nlist-slots.ts';
export { SeADescriptor } from './descriptor-se-a.ts';
export { EnerFitting } from './fitting-ener.ts';
export { DpEvaluator, DpCalculator, truncationWarning, type DpEvalOptions, type DpResult, type DpCalculatorOptions } from './evaluator.ts';
export { DpEnsembleCalculator, type EnsembleResult, type DpEnsembleOptions } from './ensemble.ts';
export { modelDeviation, classifyDeviation, type ModelDeviation, type DeviationOptions, type DeviationClass, type TrustLevels, type DeviationInput } from './deviation.ts';
export { formatModelDeviOut, modelDeviHeader, modelDeviRow, formatE } from './model-devi-out.ts';
