/**
 * The "Analysis" tab: the paper's validation views for the user's own data and runs — P(CN),
 * the descriptor map, parity against labels, and the melting curve — each computed in the
 * analysis worker, each plot with PNG/CSV export.
 */
import { useState } from 'react';
import './analysis.css';
import { PcnView } from './PcnView.tsx';
import { DescriptorMapView } from './DescriptorMapView.tsx';
import { ParityView } from './ParityView.tsx';
import { MeltingView } from './MeltingView.tsx';
import { REFERENCE_SOURCES, type FrameSource, type LabeledSource } from './sources.ts';
import type { FrameInput } from '../../worker/analysis-service.ts';

const VIEWS = [
  { id: 'pcn', label: 'P(CN)' },
  { id: 'map', label: 'Descriptor map' },
  { id: 'parity', label: 'Parity' },
  { id: 'melting', label: 'Melting curve' },
] as const;

export interface AnalysisPanelProps {
  /** Frame sources of the studio (the structure on screen, runs, data sets); references are added here. */
  sources: FrameSource[];
  /** Labeled data sets of the backend for parity plots. */
  labeled: LabeledSource[];
  /** The structure on screen, offered to the melting curve. */
  current?: { label: string; frame: FrameInput } | null;
}

export function AnalysisPanel({ sources, labeled, current }: AnalysisPanelProps) {
  const [view, setView] = useState<(typeof VIEWS)[number]['id']>('pcn');
  const all = [...sources, ...REFERENCE_SOURCES];
  return (
    <div className="analysis-panel" data-testid="analysis-panel">
      <div className="analysis-tabs" role="tablist">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" aria-selected={view === v.id} data-testid={`analysis-tab-${v.id}`} onClick={() => setView(v.id)}>{v.label}</button>
        ))}
      </div>
      {/* Every view stays mounted (a result survives switching views); only the open one is shown. */}
      <div hidden={view !== 'pcn'}><PcnView sources={all} /></div>
      <div hidden={view !== 'map'}><DescriptorMapView sources={all} /></div>
      <div hidden={view !== 'parity'}><ParityView sources={labeled} /></div>
      <div hidden={view !== 'melting'}><MeltingView current={current} /></div>
    </div>
  );
}
