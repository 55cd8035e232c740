/**
 * DeePMD-kit's `model_devi.out` text (deepmd/infer/model_devi.py::write_model_devi_out, as written
 * by `dp model-devi`): a `#` header with the columns
 *   step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f devi_e
 * then one row per frame, formats %12d and %19.6e, no delimiter. (LAMMPS writes the first 7.)
 */
import type { ModelDeviation } from './deviation.ts';

/** numpy's "%19.6e": mantissa with 6 decimals, exponent with at least 2 digits, right-aligned in 19. */
export function formatE(x: number, width = 19, digits = 6): string {
  let s: string;
  if (!Number.isFinite(x)) s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  else {
    const [m, e] = x.toExponential(digits).split('e');
    const ev = Number(e);
    s = `${m}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  return s.padStart(width);
}

/** Header lines (without trailing newline). `title` is DeePMD's optional first header line (e.g. the system). */
export function modelDeviHeader(title = ''): string {
  // np.savetxt prefixes every header line with "# ".
  let h = `# ${title}\n# ` + 'step'.padStart(10);
  for (const item of ['v', 'f']) h += `max_devi_${item}`.padStart(19) + `min_devi_${item}`.padStart(19) + `avg_devi_${item}`.padStart(19);
  h += 'devi_e'.padStart(19);
  return h;
}

/** One data row. */
export function modelDeviRow(step: number, d: ModelDeviation): string {
  return (
    String(Math.trunc(step)).padStart(12) +
    [d.max_devi_v, d.min_devi_v, d.avg_devi_v, d.max_devi_f, d.min_devi_f, d.avg_devi_f, d.devi_e].map((x) => formatE(x)).join('')
  );
}

/** The complete file text for a list of (step, deviation). */
export function formatModelDeviOut(rows: { step: number; deviation: ModelDeviation }[], title = ''): string {
  return [modelDeviHeader(title), ...rows.map((r) => modelDeviRow(r.step, r.deviation))].join('\n') + '\n';
}
