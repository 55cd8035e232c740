/** Send the selected frames to label (EAM or CP2K) and follow the label job live; failed frames with their reason. */
import { recordExploration, sendToLabel } from './actions.ts';
import { useBackendFields, type LabelerKind } from './backend-store.ts';
import type { FrameSource } from './frame-source.ts';

export function LabelSection({ frames }: { frames?: FrameSource }) {
  const { labeler, label, busy, datasetId, set } = useBackendFields('labeler', 'label', 'busy', 'datasetId', 'set');
  const pct = label && label.total > 0 ? Math.round((100 * label.done) / label.total) : 0;
  return (
    <div className="backend-label">
      <h3>Label</h3>
      <label>Labeler
        <select value={labeler} onChange={(e) => set({ labeler: e.target.value as LabelerKind })} data-testid="labeler">
          <option value="eam">EAM (Cu_u3, seconds)</option>
          <option value="cp2k">CP2K (DFT, paper settings; slow)</option>
        </select>
      </label>
      <div className="row">
        <button type="button" onClick={() => void sendToLabel(frames)} disabled={busy !== null || datasetId === null} data-testid="send-to-label">Send selected to label</button>
        <button type="button" onClick={() => void recordExploration(frames)} disabled={busy !== null || datasetId === null} data-testid="record-exploration" title="Record the runs' good/decent/poor counts in the current iteration without sending frames">Record exploration</button>
      </div>
      {label && (
        <div className="job" data-testid="job-progress" data-state={label.state}>
          <div>label job {label.jobId} ({label.calculator}): {label.state} — {label.done}/{label.total} frames, {label.ok} labeled, {label.failed.length} failed</div>
          <progress max={100} value={pct} />
          {label.error && <p className="error" role="alert">job {label.jobId} {label.state === 'failed' ? 'failed' : 'error'}: {label.error}</p>}
          {label.failed.length > 0 && (
            <ul className="failed-frames" data-testid="failed-frames">
              {label.failed.map((f) => <li key={f.frameId}>frame {f.frameId} ({f.origin}): {f.reason}</li>)}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
