/** Which model of an ensemble an analysis evaluates: one of its models, or (where it makes sense) their mean. */
import { useStudio } from '../store.ts';
import { ensembleInUse } from './analysis-client.ts';
import type { EnsembleInUse } from '../engine/ensemble-in-use.ts';

export type ModelIndex = number | 'mean';

/** "model 0 (cu_eam_demo_0.dp) of Cu demo ensemble" / "mean of the 4 models of …". */
export function modelLabel(e: Pick<EnsembleInUse, 'name' | 'modelNames'>, model: ModelIndex): string {
  return model === 'mean' ? `mean of the ${e.modelNames.length} models of ${e.name}` : `model ${model} (${e.modelNames[model] ?? '?'}) of ${e.name}`;
}

/** The chosen model if the ensemble has it, else model 0. */
export function validModel(e: Pick<EnsembleInUse, 'modelNames'>, model: ModelIndex, allowMean: boolean): ModelIndex {
  if (model === 'mean') return allowMean && e.modelNames.length > 1 ? 'mean' : 0;
  return model < e.modelNames.length ? model : 0;
}

/** The studio's ensemble in use, re-read when the user loads another one. */
export function useEnsembleInUse(): EnsembleInUse {
  return ensembleInUse(useStudio((s) => s.ensemble));
}

export function ModelPicker({ ensemble, value, onChange, allowMean, testId }: {
  ensemble: EnsembleInUse; value: ModelIndex; onChange(m: ModelIndex): void; allowMean: boolean; testId: string;
}) {
  const v = validModel(ensemble, value, allowMean);
  return (
    <label title={modelLabel(ensemble, v)}>model <select value={String(v)} data-testid={testId}
      onChange={(e) => onChange(e.target.value === 'mean' ? 'mean' : Number(e.target.value))}>
      {allowMean && ensemble.modelNames.length > 1 && <option value="mean">mean of {ensemble.modelNames.length}</option>}
      {ensemble.modelNames.map((n, k) => <option key={k} value={k}>{k}: {n}</option>)}
    </select></label>
  );
}
