/** Status bar: which engine computes (WebGPU adapter, or the CPU fallback and why). */
import { adapterLabel } from '../../gpu/adapter-info.ts';
import type { StudioState } from '../store.ts';

export function StatusBar({ engine, natoms, title }: { engine: StudioState['engine']; natoms: number; title: string }) {
  let text: string;
  let kind: string;
  if (engine.kind === 'probing') {
    text = 'Probing WebGPU…';
    kind = 'probing';
  } else if (engine.kind === 'webgpu') {
    const t = engine.selfTest;
    text = `WebGPU: ${adapterLabel(engine.adapter)} · kernel self-test passed (${t.kernel}, ${t.natoms} atoms, max |ΔF| ${t.maxForceError.toExponential(1)} eV/Å)`;
    kind = 'webgpu';
  } else {
    text = `WebGPU unavailable — using the CPU path (${engine.reason})`;
    kind = 'cpu';
  }
  return (
    <footer className="status" data-testid="status-bar" data-engine={kind}>
      <span>{title} · {natoms} atoms</span>
      <span>{text}</span>
    </footer>
  );
}
