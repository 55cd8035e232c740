/**
 * Pictures and numbers out of the studio: a plot's data as CSV (one column per series, the
 * series' labels with units as the header), a canvas (a plot or the 3-D viewer) as PNG, and a
 * download helper. Pure string building is separate from the DOM so it can be tested in Node.
 */

/** CSV text of column data: header from `labels`, one row per x; empty cells for null/undefined. */
export function columnsToCsv(labels: string[], columns: ArrayLike<number | null | undefined>[]): string {
  if (labels.length !== columns.length) throw new Error(`CSV: ${labels.length} labels for ${columns.length} columns`);
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [labels.map(quote).join(',')];
  const n = Math.max(0, ...columns.map((c) => c.length));
  for (let i = 0; i < n; i++) {
    rows.push(columns.map((c) => {
      const v = c[i];
      return v === null || v === undefined || Number.isNaN(v) ? '' : String(v);
    }).join(','));
  }
  return rows.join('\n') + '\n';
}

/** Longest file-name stem made from a title, characters. */
export const MAX_STEM = 60;

/**
 * A file-name stem from a title (structure, session): letters, digits, `.`, `_` and `-` kept,
 * every other run of characters one `-`, no dots or dashes at either end (no hidden or
 * dot-only names), at most MAX_STEM characters; `fallback` when nothing is left.
 */
export function fileStem(title: string, fallback: string): string {
  const stem = title.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, MAX_STEM).replace(/^[-.]+|[-.]+$/g, '');
  return stem || fallback;
}

/** Offer `data` as a file download named `filename`. */
export function download(filename: string, data: Blob | string, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** PNG of a canvas (needs preserveDrawingBuffer for WebGL canvases, which the viewer sets). */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolveBlob, reject) => {
    canvas.toBlob((b) => (b ? resolveBlob(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png');
  });
}
