/**
 * Which engine a melting ladder runs on: WebGPU (the all-GPU integrator in the simulation worker,
 * model 0 of the loaded ensemble) for the DP potential when WebGPU passed its checks, else the
 * float64 CPU path in the analysis worker (EAM and LJ always; no WebGPU; or the user's choice).
 * Auto prefers WebGPU for DP: the ladder is the long run WebGPU is for (Cu1103), and no first
 * steps are timed. Every decision carries the reason shown in the view.
 */
import { engineDecision, type EngineChoice, type EnginePreference } from '../../worker/engine-choice.ts';
import type { EngineStatus } from '../../worker/api.ts';

export function meltingEngine(pref: EnginePreference, status: EngineStatus | null, potential: 'dp' | 'eam' | 'lj'): EngineChoice {
  const unusable = status === null ? 'still probing WebGPU' : status.kind === 'webgpu' ? null : status.reason;
  const unsupported = potential === 'dp' ? undefined : `${potential.toUpperCase()} has no WebGPU engine`;
  const d = engineDecision(pref, unusable, unsupported);
  if (d !== 'measure') return d;
  return { engine: 'webgpu', why: 'auto: the DP ensemble\'s model 0 on WebGPU (state on the GPU, positions read back only at samples)' };
}
