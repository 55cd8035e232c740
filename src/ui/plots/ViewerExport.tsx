/**
 * "PNG" over the 3-D viewer: downloads what the viewer shows (its WebGL canvas keeps the drawing
 * buffer, so the last frame can be read back) as `nanostudio-<title>.png`.
 */
import { useRef, useState } from 'react';
import { canvasToPng, download, fileStem } from './export.ts';

export function ViewerExport({ title }: { title: string }) {
  const me = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const canvas = me.current?.parentElement?.querySelector<HTMLCanvasElement>('canvas[data-testid="viewer-canvas"]');
    if (!canvas) { setError('no viewer canvas to save'); return; }
    setError(null);
    canvasToPng(canvas).then((b) => download(`nanostudio-${fileStem(title, 'view')}.png`, b), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div ref={me} className="viewer-export" style={{ position: 'absolute', top: 6, right: 6, zIndex: 2 }}>
      <button type="button" onClick={save} data-testid="viewer-png" title="Download the view as PNG">PNG</button>
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  );
}
