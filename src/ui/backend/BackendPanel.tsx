/**
 * The studio's backend side: connection, data set, send-to-label with live label progress, train
 * with live learning curves, "use for exploration", and the iteration dashboard. The shell passes
 * the frame store (selection, provenance) and the worker's model loader.
 */
import { useEffect, useState } from 'react';
import { connect } from './actions.ts';
import { savedConnection, useBackend } from './backend-store.ts';
import type { FrameSource } from './frame-source.ts';
import type { ModelFile } from './actions.ts';
import { BackendStatus, ConnectionSection } from './ConnectionSection.tsx';
import { LabelSection } from './LabelSection.tsx';
import { TrainSection } from './TrainSection.tsx';
import { IterationsDashboard } from './IterationsDashboard.tsx';
import './backend.css';

export interface BackendPanelProps {
  /** The studio's frame store (src/ui/frames/frame-store.ts). */
  frames?: FrameSource;
  /** Load model files into the simulation worker (worker API loadModels). */
  loadModels: (files: ModelFile[]) => Promise<unknown>;
}

export function BackendPanel({ frames, loadModels }: BackendPanelProps) {
  const connected = useBackend((s) => s.status.kind === 'connected');
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    // Reconnect with the URL and token saved in this browser (entered once).
    if (!tried && savedConnection()) void connect();
    setTried(true);
  }, [tried]);
  return (
    <section className={`backend-panel ${open ? 'open' : 'closed'}`} data-testid="backend-panel">
      <div className="backend-bar">
        <button type="button" onClick={() => setOpen(!open)} data-testid="backend-toggle" aria-expanded={open}>{open ? 'Backend ▾' : 'Backend ▸'}</button>
        <BackendStatus />
      </div>
      {open && (
        <div className="backend-body">
          <ConnectionSection />
          {connected && (
            <>
              <LabelSection frames={frames} />
              <TrainSection loadModels={loadModels} />
              <IterationsDashboard />
            </>
          )}
        </div>
      )}
    </section>
  );
}
