/**
 * The studio's backend side: the Backend tab (connection, data set, send-to-label with live label
 * progress, train with live learning curves, "use for exploration") and the Iterations tab (the
 * iteration dashboard of the chosen data set). The shell passes the frame store (selection,
 * provenance) and the worker's model loader.
 */
import { useEffect, useRef } from 'react';
import { connect, pollIterations } from './actions.ts';
import { savedConnection, useBackend, useBackendFields } from './backend-store.ts';
import type { FrameSource } from './frame-source.ts';
import type { EnsembleInUse } from '../engine/ensemble-in-use.ts';
import { BackendStatus, ConnectionSection } from './ConnectionSection.tsx';
import { LabelSection } from './LabelSection.tsx';
import { TrainSection } from './TrainSection.tsx';
import { IterationsDashboard } from './IterationsDashboard.tsx';
import './backend.css';

export interface BackendPanelProps {
  /** The studio's frame store (src/ui/frames/frame-store.ts). */
  frames?: FrameSource;
  /** Load an ensemble into the simulation worker as the studio's ensemble in use (engine/load-ensemble.ts). */
  loadEnsemble: (ensemble: EnsembleInUse) => Promise<unknown>;
}

let reconnectTried = false;

/** Reconnect once per page with the URL and token saved in this browser (entered once). */
function useReconnect(): void {
  useEffect(() => {
    if (reconnectTried) return;
    reconnectTried = true;
    if (savedConnection()) void connect();
  }, []);
}

export function BackendPanel({ frames, loadEnsemble }: BackendPanelProps) {
  useReconnect();
  const connected = useBackend((s) => s.status.kind === 'connected');
  const { busy, notice, error } = useBackendFields('busy', 'notice', 'error');
  return (
    <section className="backend-panel" data-testid="backend-panel">
      <ConnectionSection />
      {/* Shown whether or not the connection survived the action (a lost service hides the sections below). */}
      {busy && <p className="muted">{busy}…</p>}
      {notice && <p className="muted" data-testid="backend-notice">{notice}</p>}
      {error && <p className="error" role="alert" data-testid="backend-error">{error}</p>}
      {connected && (
        <>
          <LabelSection frames={frames} />
          <TrainSection loadEnsemble={loadEnsemble} />
        </>
      )}
    </section>
  );
}

/** The Iterations tab: the dashboard of the data set chosen in the Backend tab. */
/** How often the Iterations tab re-reads the iterations while connected (ms). */
export const ITERATIONS_POLL_MS = 5000;

export function IterationsPanel() {
  useReconnect();
  const { status, datasets, datasetId } = useBackendFields('status', 'datasets', 'datasetId');
  const live = status.kind === 'connected' && datasetId !== null;
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!live) return;
    // Only while the tab is on screen (tabs stay mounted, hidden) and the page is visible.
    const t = setInterval(() => {
      const el = panel.current;
      if (el && !el.closest('[hidden]') && document.visibilityState === 'visible') void pollIterations();
    }, ITERATIONS_POLL_MS);
    return () => clearInterval(t);
  }, [live, datasetId]);
  const ds = datasets.find((d) => d.id === datasetId);
  return (
    <section className="backend-panel" data-testid="iterations-panel" ref={panel}>
      <div className="backend-bar"><BackendStatus testId="iterations-backend-status" /></div>
      {status.kind !== 'connected'
        ? <p className="muted" data-testid="iterations-hint">Connect to the backend service in the Backend tab (URL and the token <code>nanostudio serve</code> printed): the iterations of a data set live there, written by the studio and by <code>nanostudio loop --server</code>.</p>
        : datasetId === null
          ? <p className="muted" data-testid="iterations-hint">No data set yet: create or pick one in the Backend tab.</p>
          : (
            <>
              <p className="muted" data-testid="iterations-dataset">data set {ds ? `'${ds.name}' (${ds.labeledCount}/${ds.frameCount} frames labeled)` : datasetId} · re-read every {ITERATIONS_POLL_MS / 1000} s while this tab is open</p>
              <IterationsDashboard />
            </>
          )}
    </section>
  );
}
