/**
 * Iteration summaries (contract 2) → the dashboard's rows and plot columns: exploration totals over
 * every system of an iteration and their good/decent/poor fractions; RMSE energy eV/atom, force eV/Å.
 */
import type { IterationSummary } from './client.ts';

export interface IterationRow {
  id: number;
  number: number;
  status: string;
  explored: number;
  /** Fractions of the explored frames (0–1); null when nothing was explored. */
  good: number | null;
  decent: number | null;
  poor: number | null;
  selected: number;
  labeled: number;
  failed: number;
  datasetSize: number;
  ensembleId: number | null;
  trainE: number | null;
  trainF: number | null;
  valE: number | null;
  valF: number | null;
}

export function iterationRow(it: IterationSummary): IterationRow {
  let explored = 0, good = 0, decent = 0, poor = 0;
  for (const e of it.exploration) {
    explored += e.frames;
    good += e.accurate;
    decent += e.candidate;
    poor += e.failed;
  }
  const frac = (n: number): number | null => (explored > 0 ? n / explored : null);
  return {
    id: it.id, number: it.number, status: it.status, explored,
    good: frac(good), decent: frac(decent), poor: frac(poor),
    selected: it.framesSelected, labeled: it.framesLabeled, failed: it.framesFailed, datasetSize: it.datasetSize,
    ensembleId: it.ensembleId,
    trainE: it.rmse.train?.energyPerAtom ?? null, trainF: it.rmse.train?.force ?? null,
    valE: it.rmse.validation?.energyPerAtom ?? null, valF: it.rmse.validation?.force ?? null,
  };
}

/** Columns [iteration number, good %, decent %, poor %]. */
export function fractionColumns(rows: IterationRow[]): (number | null)[][] {
  const pct = (x: number | null): number | null => (x === null ? null : 100 * x);
  return [rows.map((r) => r.number), rows.map((r) => pct(r.good)), rows.map((r) => pct(r.decent)), rows.map((r) => pct(r.poor))];
}

/** Columns [iteration number, train, validation] of energy (eV/atom) or force (eV/Å) RMSE. */
export function rmseColumns(rows: IterationRow[], q: 'E' | 'F'): (number | null)[][] {
  return q === 'E'
    ? [rows.map((r) => r.number), rows.map((r) => r.trainE), rows.map((r) => r.valE)]
    : [rows.map((r) => r.number), rows.map((r) => r.trainF), rows.map((r) => r.valF)];
}
