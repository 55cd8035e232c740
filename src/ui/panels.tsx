/**
 * The studio's panel registry: what the left column stacks and which tabs the right column
 * offers. To add a panel or a tab, add one line here (components receive no props: they read
 * the stores and the worker client themselves).
 */
import type { ComponentType } from 'react';
import { DecentInspector } from './components/DecentInspector.tsx';
import { LiveReadouts } from './components/ControlPanel.tsx';
import { BackendPanel, IterationsPanel } from './backend/BackendPanel.tsx';
import * as frameStore from './frames/frame-store.ts';
import { loadEnsemble } from './engine/load-ensemble.ts';
import { RunControls } from './components/RunControls.tsx';
import { BhmcPanel } from './components/BhmcPanel.tsx';
import { AnalysisTab } from './analysis/AnalysisTab.tsx';
import { SharePanel } from './share/SharePanel.tsx';

export interface StudioTab {
  /** Stable id (tab button data-testid is `tab-<id>`). */
  id: string;
  title: string;
  Component: ComponentType;
  /** Plots and wide tables: the right column widens while this tab is open. */
  wide?: boolean;
}

function BackendTab() {
  return <BackendPanel frames={frameStore} loadEnsemble={loadEnsemble} />;
}

/** Right-column tabs, in order; the first is open at start. */
export const TABS: StudioTab[] = [
  { id: 'run', title: 'Run', Component: LiveReadouts },
  { id: 'frames', title: 'Frames', Component: DecentInspector },
  { id: 'backend', title: 'Backend', Component: BackendTab },
  { id: 'analysis', title: 'Analysis', Component: AnalysisTab, wide: true },
  { id: 'iterations', title: 'Iterations', Component: IterationsPanel, wide: true },
];

/** Extra left-column panels below the structure, models and trust levels (e.g. run controls). */
export const LEFT_PANELS: { id: string; Component: ComponentType }[] = [
  { id: 'md', Component: RunControls },
  { id: 'bhmc', Component: BhmcPanel },
  { id: 'share', Component: SharePanel },
];
