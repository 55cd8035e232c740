/** Backend URL and token (kept in localStorage), the connection status, and the data set. */
import { useState } from 'react';
import { chooseDataset, connect, createDataset } from './actions.ts';
import { useBackendFields, type ConnectionStatus } from './backend-store.ts';

function statusText(s: ConnectionStatus, url: string): string {
  switch (s.kind) {
    case 'idle': return 'not connected';
    case 'connecting': return `connecting to ${url}…`;
    case 'connected': return `connected to ${url} (service ${s.version})`;
    case 'unreachable': return `unreachable: ${s.message}`;
    case 'unauthorized': return s.message;
  }
}

/** The connection status line (data-testid backend-status), always visible. */
export function BackendStatus({ testId = 'backend-status' }: { testId?: string }) {
  const { url, status } = useBackendFields('url', 'status');
  return <span className={`backend-status status-${status.kind}`} data-testid={testId} data-state={status.kind} role="status">{statusText(status, url)}</span>;
}

export function ConnectionSection() {
  const { url, token, status, datasets, datasetId, set } = useBackendFields('url', 'token', 'status', 'datasets', 'datasetId', 'set');
  const [name, setName] = useState('studio');
  return (
    <div className="backend-connection">
      <h3>Backend</h3>
      <div className="backend-bar"><BackendStatus /></div>
      <label>URL <input type="text" value={url} onChange={(e) => set({ url: e.target.value })} data-testid="backend-url" /></label>
      <label>Token <input type="password" value={token} placeholder="printed by nanostudio serve" onChange={(e) => set({ token: e.target.value })} data-testid="backend-token" /></label>
      <div className="row">
        <button type="button" onClick={() => void connect()} disabled={status.kind === 'connecting'} data-testid="backend-connect">Connect</button>
      </div>
      {status.kind === 'connected' && (
        <>
          <label>Data set
            <select value={datasetId ?? ''} onChange={(e) => void chooseDataset(Number(e.target.value))} data-testid="dataset-select">
              {datasetId === null && <option value="">— none yet —</option>}
              {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.labeledCount}/{d.frameCount} labeled)</option>)}
            </select>
          </label>
          <div className="row">
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} aria-label="new data set name" data-testid="dataset-name" />
            <button type="button" onClick={() => void createDataset(name)} disabled={!name.trim()} data-testid="dataset-create">New data set</button>
          </div>
        </>
      )}
    </div>
  );
}
