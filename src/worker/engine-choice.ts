/**
 * Which engine a run uses: the user's preference (auto / webgpu / cpu), whether the WebGPU
 * path is usable (adapter found, LJ self-test and DP kernel check passed), what the ensemble
 * needs (NPT has no GPU integrator), and — in auto mode — which engine was faster on the
 * first steps of the run. Pure functions; every decision carries the reason shown to the user.
 */

/** The engine preferences the user can choose (the one list: the worker, the run form and shared links use it). */
export const ENGINE_PREFERENCES = ['auto', 'webgpu', 'cpu'] as const;
export type EnginePreference = (typeof ENGINE_PREFERENCES)[number];
export type EngineKind = 'webgpu' | 'cpu';

/** The engine a run uses and why (shown in the status bar). */
export interface EngineChoice {
  engine: EngineKind;
  why: string;
  /** Steps (MD) or evaluations (BHMC) per second of each engine on the first steps, when measured. */
  measured?: { webgpu: number; cpu: number; unit: string };
  /** CPU runs: how the embedding nets are evaluated, e.g. "tabulated embedding" or "exact embedding nets". */
  cpuEmbedding?: string;
}

/**
 * Decide without measuring, or return 'measure' when both engines are candidates (auto mode
 * with a usable GPU). `gpuUnusable` is null when WebGPU passed its checks, else the reason.
 */
export function engineDecision(pref: EnginePreference, gpuUnusable: string | null, gpuUnsupportedBy?: string): EngineChoice | 'measure' {
  if (gpuUnsupportedBy) return { engine: 'cpu', why: `${gpuUnsupportedBy}: runs on the CPU (float64)` };
  if (pref === 'cpu') return { engine: 'cpu', why: 'CPU (float64) chosen by the user' };
  if (gpuUnusable !== null) {
    return { engine: 'cpu', why: pref === 'webgpu' ? `WebGPU requested but unusable (${gpuUnusable}); running on the CPU (float64)` : `WebGPU unusable (${gpuUnusable}); running on the CPU (float64)` };
  }
  if (pref === 'webgpu') return { engine: 'webgpu', why: 'WebGPU chosen by the user' };
  return 'measure';
}

/** The faster of two measured rates (per second); ties go to the CPU (float64, no transfers). */
export function fasterEngine(webgpu: number, cpu: number, unit: string): EngineChoice {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const engine: EngineKind = webgpu > cpu ? 'webgpu' : 'cpu';
  const why = `auto: ${engine === 'webgpu' ? 'WebGPU' : 'CPU'} was faster on the first steps (WebGPU ${fmt(webgpu)} vs CPU ${fmt(cpu)} ${unit})`;
  return { engine, why, measured: { webgpu, cpu, unit } };
}
