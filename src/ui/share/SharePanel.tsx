/**
 * The studio's Share panel: a link that restores the structure on screen, the potential and the
 * settings in another browser, and a session file (JSON) to download and upload.
 */
import { useMemo, type ChangeEvent } from 'react';
import type { Frame } from '../../core/atoms.ts';
import { useStudio } from '../store.ts';
import { useEngine } from '../engine/engine-store.ts';
import { useBackend } from '../backend/backend-store.ts';
import { download, fileStem } from '../plots/export.ts';
import { shareToQuery, sessionFromJson, sessionToJson } from './studio-share.ts';
import { applyShare, currentShare, useShare } from './share-state.ts';
import { simWorker } from '../engine/sim-client.ts';

export function SharePanel() {
  const frame = useStudio((s) => s.frame);
  const title = useStudio((s) => s.title);
  const trust = useStudio((s) => `${s.trustLo}/${s.trustHi}/${s.colourMode}`);
  const models = useStudio((s) => s.models);
  const mdForm = useEngine((s) => s.mdForm);
  const preference = useEngine((s) => s.preference);
  const active = useBackend((s) => s.activeEnsemble);
  const { notice, error, set } = useShare();

  const link = useMemo(() => {
    const s = currentShare();
    // In the fragment: it never reaches a server (no URL length limits of HTTP servers, nothing logged).
    return s ? `${window.location.origin}${window.location.pathname}#${shareToQuery(s)}` : '';
    // The share reads the stores; these are what it depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [frame, title, trust, models, mdForm, preference, active]);

  const show = (f: Frame, t: string) => {
    void simWorker().stop();
    useStudio.getState().setFrame(f, t);
  };
  const save = () => {
    const s = currentShare();
    if (s) download(`${fileStem(s.structure.title, 'studio')}.nanostudio.json`, sessionToJson(s), 'application/json');
  };
  const load = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    file.text().then((text) => {
      const what = applyShare(sessionFromJson(text), show);
      const n = useShare.getState().notice;
      set({ error: null, notice: `restored from ${file.name}: ${what}${n ? ` · ${n}` : ''}` });
    }).catch((err: unknown) => set({ error: `${file.name}: ${err instanceof Error ? err.message : String(err)}`, notice: null }));
  };

  return (
    <section className="share-panel" data-testid="share-panel">
      <h3>Share</h3>
      <label className="small">link to this structure, potential and settings
        <input readOnly value={link} data-testid="share-link" onFocus={(e) => e.target.select()} style={{ width: '100%' }} />
      </label>
      <div className="row">
        <button type="button" disabled={!link} onClick={() => void navigator.clipboard?.writeText(link)} data-testid="share-copy">Copy link</button>
        <button type="button" disabled={!link} onClick={save} data-testid="session-download">Download session</button>
      </div>
      <label className="small">upload a session <input type="file" accept=".json,application/json" onChange={load} data-testid="session-upload" /></label>
      {notice && <p className="muted small" data-testid="share-notice">{notice}</p>}
      {error && <p className="error" role="alert" data-testid="share-error">{error}</p>}
    </section>
  );
}
