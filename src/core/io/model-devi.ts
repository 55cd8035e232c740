/**
 * `model_devi.out` as DeePMD-kit's LAMMPS pair style writes it during MD exploration
 * (`pair_style deepmd m1 m2 … out_file model_devi.out`), the file DP-GEN reads (column 4 = max_devi_f):
 *
 *   #       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f
 *            100       1.234560e-02 …
 *
 * Header: "#", "step" right-aligned in 11, each name right-aligned in 19. Rows: step as %12d, then each
 * value as " " + %18.6e. Units: max/min/avg_devi_f eV/Å, max/min/avg_devi_v eV/atom (docs/dp-se.md §8).
 * Pure (no I/O): callers write the text; `formatModelDeviHeader` + `formatModelDeviLine` allow appending
 * row by row so a long run loses nothing already computed.
 */
import { formatE } from '../potentials/dp/model-devi-out.ts';

/** The seven columns in file order (after the step). */
export const MODEL_DEVI_COLUMNS = ['max_devi_v', 'min_devi_v', 'avg_devi_v', 'max_devi_f', 'min_devi_f', 'avg_devi_f'] as const;
export type ModelDeviColumn = (typeof MODEL_DEVI_COLUMNS)[number];

/** One row: MD step (integer) and the deviations (eV/Å for *_f, eV/atom for *_v). A full `ModelDeviation` fits. */
export type ModelDeviRow = { step: number } & Record<ModelDeviColumn, number>;

/** The header line (no trailing newline). */
export function formatModelDeviHeader(): string {
  return '#' + 'step'.padStart(11) + MODEL_DEVI_COLUMNS.map((c) => c.padStart(19)).join('');
}

/** One data line (no trailing newline). Throws on a non-integer step. */
export function formatModelDeviLine(row: ModelDeviRow): string {
  if (!Number.isInteger(row.step)) throw new Error(`model_devi.out: step must be an integer, got ${row.step}`);
  return String(row.step).padStart(12) + MODEL_DEVI_COLUMNS.map((c) => ' ' + formatE(row[c], 18)).join('');
}

/** The whole file text: header then one line per row, each ending in a newline. */
export function formatModelDevi(rows: readonly ModelDeviRow[]): string {
  return [formatModelDeviHeader(), ...rows.map(formatModelDeviLine)].join('\n') + '\n';
}

/**
 * Reads a model_devi.out (this layout, DeePMD's `dp model-devi` layout with a trailing devi_e column, or
 * any whitespace-separated variant): '#' lines are comments, the first 7 numbers of a row are
 * step and the six columns above. Errors name the line and what is wrong.
 */
export function parseModelDevi(text: string, name = 'model_devi.out'): ModelDeviRow[] {
  const rows: ModelDeviRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    if (parts.length < 7) throw new Error(`${name} line ${i + 1}: expected 7 columns (step and six deviations), found ${parts.length}`);
    const nums = parts.slice(0, 7).map(Number);
    const bad = nums.findIndex((x) => Number.isNaN(x));
    if (bad >= 0) throw new Error(`${name} line ${i + 1}: column ${bad + 1} "${parts[bad]}" is not a number`);
    if (!Number.isInteger(nums[0])) throw new Error(`${name} line ${i + 1}: step "${parts[0]}" is not an integer`);
    const row = { step: nums[0] } as ModelDeviRow;
    MODEL_DEVI_COLUMNS.forEach((c, k) => (row[c] = nums[k + 1]));
    rows.push(row);
  });
  return rows;
}
