/**
 * Status bar: the structure, which engine computes and why (data-testid `engine`), the result of
 * the kernel checks (LJ self-test, DP kernels of the loaded ensemble vs float64 with the spec's
 * tolerances) and the run's speed (data-testid `steps-per-second`). Plain labels from the worker.
 */
import type { DpKernelCheck, EngineStatus } from '../../worker/api.ts';
import { useEngine } from '../engine/engine-store.ts';

type Probing = { kind: 'probing' };

function dpCheckText(c: DpKernelCheck): string {
  return `DP kernels on ${c.system} × ${c.nmodels} model(s) vs float64: max |ΔE_i| ${c.maxAtomicEnergyError.toExponential(1)} eV (tol ${c.tolerances.atomicEnergy}), `
    + `max |ΔF| ${c.maxForceError.toExponential(1)} eV/Å (tol ${c.tolerances.force}) — ${c.passed ? 'passed' : 'FAILED'}`;
}

/** The engine line when no run has chosen yet. */
function idleEngineText(s: EngineStatus | Probing): string {
  if (s.kind === 'probing') return 'probing WebGPU…';
  if (s.kind === 'webgpu') return `WebGPU or CPU float64 — auto measures both on the first steps of a run`;
  return `CPU float64 — ${s.reason}`;
}

export function StatusBar({ engine, natoms, title }: { engine: EngineStatus | Probing; natoms: number; title: string }) {
  const e = useEngine();
  const status: EngineStatus | Probing = e.status ?? engine;
  let gpuText: string;
  if (status.kind === 'probing') gpuText = 'Probing WebGPU…';
  else if (status.kind === 'webgpu') {
    const t = status.selfTest;
    gpuText = `WebGPU: ${status.adapter} · kernel self-test passed (${t.kernel}, ${t.natoms} atoms, max |ΔF| ${t.maxForceError.toExponential(1)} eV/Å)`;
  } else {
    // An adapter that exists but failed a check (or a device lost) is named: "unavailable" would hide why.
    gpuText = status.adapter
      ? `WebGPU (${status.adapter}) not used — using the CPU path (${status.reason})`
      : `WebGPU unavailable — using the CPU path (${status.reason})`;
  }
  const dp = status.kind === 'probing' ? null : status.dpCheck ?? null;
  const choice = e.choice;
  const engineText = choice
    ? `${choice.engine === 'webgpu' ? 'WebGPU' : 'CPU float64'} (${e.choiceFor === 'bhmc' ? 'BHMC' : 'MD'}): ${choice.why}${choice.cpuEmbedding ? ` · ${choice.cpuEmbedding}` : ''}`
    : idleEngineText(status);
  const sps = e.md.phase === 'idle' || e.choiceFor !== 'md' ? null : e.stepsPerSecond;
  return (
    <footer className="status" data-testid="status-bar" data-engine={status.kind}>
      <span>{title} · {natoms} atoms</span>
      <span data-testid="engine" data-engine-kind={choice?.engine ?? ''}>{engineText}</span>
      <span data-testid="steps-per-second">{sps === null ? '— steps/s' : `${sps.toFixed(sps >= 100 ? 0 : 1)} steps/s`}</span>
      <span className="checks">
        <span data-testid="gpu-status">{gpuText}</span>
        {dp && <span data-testid="dp-check" data-passed={String(dp.passed)}> · {dpCheckText(dp)}</span>}
      </span>
    </footer>
  );
}
