/**
 * Basin-hopping Monte Carlo (Wales & Doye, J. Phys. Chem. A 101, 5111 (1997)) as the paper
 * runs it (docs/paper-workflow.md §1):
 *   1. random start cluster (grown atom by atom, every new atom at lo…hi Å from a random earlier
 *      atom and ≥ min Å from all; the paper's values 1.8–3.0 Å, 1.5 Å) → local relaxation → E_i, X_i;
 *   2. trial: displace every coordinate by U(−step, +step) (the paper's 0.8 Å) → relaxation → E_j;
 *   3. Metropolis at kT: accept if exp(−(E_j − E_i)/kT) > U(0,1); a rejected trial restarts
 *      from the last accepted minimum.
 * Every relaxation trajectory is kept (training data), with the accepted chain and the distinct
 * minima (energy within energyTolerance and sorted pair distances within distanceTolerance =
 * the same minimum). A trial whose cluster fell apart (an atom or fragment with no path of
 * bonds shorter than evaporationDistance to the rest), collapsed (two atoms closer than
 * collapseDistance) or whose energy/forces went non-finite is rejected with the reason recorded.
 *
 * State machine (ask–tell, one calculator evaluation per step, pausable, works with async
 * calculators):
 *   const st = bhmcInit(params);
 *   for (let f = bhmcPending(st); f; f = bhmcPending(st)) bhmcStep(st, calc.compute(f));
 * bhmcStep advances the state IN PLACE (the record grows large) and returns it.
 * `runBhmc(calc, params)` is that loop with a progress callback.
 *
 * Units: Å, eV (kT in eV; kT(T) of units.ts converts from K). The defaults of the lengths
 * (start distances, step, evaporation, collapse, fingerprint tolerance), of fmax and of the energy
 * tolerance follow the potential's natural units (`BhmcScale`, `bhmcScale`): σ and ε for
 * Lennard-Jones (so lj:epsilon=1,sigma=1 runs in reduced units), otherwise the nearest-neighbour
 * distance of the element's reference crystal with energies in eV (Cu: the paper's values).
 */
import { randomCluster } from './build/random-cluster.ts';
import { cloneFrame, type Frame } from './atoms.ts';
import type { AsyncCalculator, CalcResult, Calculator } from './potentials/calculator.ts';
import { relaxInit, relaxPending, relaxResult, relaxStep, type EvaluatedFrame, type OptimizerName, type RelaxOptions, type RelaxResult, type RelaxState } from './optimize/relax.ts';
import type { LbfgsParams } from './optimize/lbfgs.ts';
import { MinimaIndex } from './bhmc-minima.ts';
import { Rng } from './random.ts';
import { element as elementData } from './elements.ts';
import { LennardJones } from './potentials/lj.ts';

export interface StartDistances {
  /** Smallest allowed distance between any two atoms of the start, Å (paper 1.5). */
  min: number;
  /** Each new atom is placed lo…hi Å from a random earlier atom (paper 1.8–3.0). */
  lo: number;
  hi: number;
}

export interface BhmcParams {
  /** Number of atoms of the random start (ignored when `start` is given). */
  natoms: number;
  /** Element symbol of the random start, default 'Cu'. */
  element?: string;
  /** Number of basin-hopping trials. */
  steps: number;
  /** Seed of the random numbers (start, perturbations, Metropolis). */
  seed: number;
  /** Metropolis temperature as k_B·T, eV (≥ 0; 0 accepts only downhill moves). */
  kT: number;
  /** Half-width of the uniform displacement of every coordinate, Å (default 0.8). */
  stepSize?: number;
  /** Relaxation convergence, eV/Å (default 0.05). */
  fmax?: number;
  /** Largest number of optimizer steps per relaxation (default 1000). */
  maxRelaxSteps?: number;
  /** Optimizer of the relaxations (default 'fire'). */
  optimizer?: OptimizerName;
  /** Start from this structure instead of a random cluster. */
  start?: Frame;
  /** Distances of the random start, Å (default {min 1.5, lo 1.8, hi 3.0}). */
  startDistances?: StartDistances;
  /** Bond length that still connects a fragment, Å (default 1.5·startDistances.hi). */
  evaporationDistance?: number;
  /**
   * Relaxed structures with two atoms closer than this are rejected as collapsed, Å (default
   * startDistances.min). Tabulated EAM files continue F(ρ) linearly beyond ρ_max, and with a
   * falling F this makes fused atom pairs (Cu_u3: pairs at 0.67 Å, −15 eV below the icosahedron)
   * an unphysical sink that a 0.8 Å kick can reach.
   */
  collapseDistance?: number;
  /**
   * Two minima are the same within this energy, eV (default 0.01)… Relaxations stopped at
   * fmax = 0.05 eV/Å leave the same basin's energy scattered by ~1e-3 eV (Cu13), so a 1e-4 eV
   * tolerance only makes sense with fmax ≲ 1e-3 eV/Å; the pair-distance fingerprint is what
   * tells structures apart (distinct Cu13 minima differ by ≥ 0.1 Å, repeats by ≤ 0.02 Å).
   */
  energyTolerance?: number;
  /** …and this largest difference of sorted pair distances, Å (default 0.05). */
  distanceTolerance?: number;
  /** Keep every relaxation trajectory (default true; false relaxes without recording the path). */
  keepTrajectories?: boolean;
  /**
   * L-BFGS settings of the relaxations (optimizer 'lbfgs'). Default BHMC_LBFGS: memory 10, H₀ scaled
   * by the newest pair, energy-rise check — fewer evaluations per hop than the ASE-like defaults.
   */
  lbfgs?: Omit<LbfgsParams, 'fixed'>;
  /**
   * Adapt the step size towards an acceptance ratio (opt-in, default off = the fixed stepSize, as
   * the paper runs it). Every `interval` trials the step is divided by `factor` when the
   * acceptance ratio of all trials so far is above `target`, else multiplied by it — the rule of
   * scipy.optimize.basinhopping's adaptive step (interval 50, target 0.5, factor 0.9; `true`
   * selects these).
   */
  adaptiveStep?: boolean | AdaptiveStep;
  /** The units the defaults follow (default: the element's nearest-neighbour distance, eV). */
  scale?: BhmcScale;
}

export interface AdaptiveStep {
  /** Trials between adjustments (integer ≥ 1). */
  interval: number;
  /** Acceptance ratio aimed at, in (0, 1). */
  target: number;
  /** Multiplier of the step in (0, 1). */
  factor: number;
}

export const ADAPTIVE_STEP_DEFAULTS: AdaptiveStep = { interval: 50, target: 0.5, factor: 0.9 };

/** L-BFGS settings of BHMC relaxations unless BhmcParams.lbfgs is given. */
export const BHMC_LBFGS: Omit<LbfgsParams, 'fixed'> = { memory: 10, scaleInitialHessian: true, energyCheck: true };

/**
 * The natural units of a potential that the BHMC defaults follow: σ and ε for Lennard-Jones, the
 * nearest-neighbour distance of the element's reference crystal (Å) and eV for EAM, DP and others.
 */
export interface BhmcScale {
  kind: 'lj' | 'nearest-neighbour';
  /** σ (LJ) or the nearest-neighbour distance (Å). */
  length: number;
  /** ε (LJ) or 1 eV. */
  energy: number;
  /** What the scale is, for printing (e.g. "σ = 1, ε = 1"). */
  describe: string;
}

/** Nearest-neighbour distance of an element's reference crystal, Å (fcc a/√2, bcc a√3/2, hcp a, diamond a√3/4). */
export function nearestNeighbourDistance(symbol: string): number {
  const e = elementData(symbol);
  if (e.a === undefined || e.lattice === undefined) throw new Error(`element ${symbol} has no reference crystal: give the BHMC lengths (start distances, step, evaporation) explicitly`);
  switch (e.lattice) {
    case 'fcc': return e.a / Math.SQRT2;
    case 'bcc': return (e.a * Math.sqrt(3)) / 2;
    case 'hcp': return e.a;
    case 'diamond': return (e.a * Math.sqrt(3)) / 4;
  }
}

/** The scale of a calculator for clusters of `element`: σ/ε for LJ, the element's nearest-neighbour distance otherwise. */
export function bhmcScale(calc: Calculator | AsyncCalculator | null, element: string): BhmcScale {
  if (calc instanceof LennardJones) return { kind: 'lj', length: calc.sigma, energy: calc.epsilon, describe: `σ = ${calc.sigma}, ε = ${calc.epsilon}` };
  const d = nearestNeighbourDistance(element);
  return { kind: 'nearest-neighbour', length: d, energy: 1, describe: `the ${element} ${elementData(element).lattice} nearest-neighbour distance ${d.toPrecision(4)} Å` };
}

/** The paper's settings for Cu: lengths in Å at the Cu nearest-neighbour distance, fmax eV/Å, energies eV. */
const CU_PAPER = { min: 1.5, lo: 1.8, hi: 3.0, step: 0.8, fmax: 0.05, energyTolerance: 0.01, distanceTolerance: 0.05 };
/**
 * Lennard-Jones settings in σ and ε: LJ's wall is much harder than EAM's, so the start keeps atoms
 * ≥ 0.9σ apart; fmax 1e-3 ε/σ relaxes LJ13 to < 1e-6 ε of its minimum.
 */
const LJ = { min: 0.9, lo: 1.0, hi: 1.5, step: 0.4, fmax: 1e-3, energyTolerance: 0.01, distanceTolerance: 0.02 };

/** The defaults that follow the potential (lengths in the scale's unit, fmax energy/length). */
export function bhmcDefaults(scale: BhmcScale): {
  startDistances: StartDistances; stepSize: number; fmax: number; energyTolerance: number; distanceTolerance: number;
} {
  // f = 1 exactly for Cu, so Cu keeps the paper's numbers.
  const [base, f] = scale.kind === 'lj' ? [LJ, scale.length] : [CU_PAPER, scale.length / nearestNeighbourDistance('Cu')];
  const e = scale.energy;
  return {
    startDistances: { min: base.min * f, lo: base.lo * f, hi: base.hi * f },
    stepSize: base.step * f,
    fmax: (base.fmax * e) / f,
    energyTolerance: base.energyTolerance * e,
    distanceTolerance: base.distanceTolerance * f,
  };
}

/** One finished relaxation: the start (trial 0) or a trial. */
export interface BhmcTrajectory {
  trial: number;
  frames: EvaluatedFrame[];
  converged: boolean;
  /** The trial's outcome (BhmcTrial.reason), e.g. 'downhill' or 'rejected (collapsed: …)'. */
  outcome: string;
}

export interface BhmcTrial {
  /** 0 = the start relaxation, 1… = trials. */
  trial: number;
  /** Relaxed energy, eV (NaN if the relaxation failed). */
  energy: number;
  accepted: boolean;
  /** Why: 'start', 'downhill', 'metropolis', 'rejected (metropolis)', 'rejected (evaporated: …)', … */
  reason: string;
  relaxSteps: number;
  converged: boolean;
  /** Energy of the current (last accepted) minimum after the decision, eV. */
  currentEnergy: number;
  /** Discovery index (BhmcMinimum.id) of the relaxed structure, −1 for a rejected broken one. */
  minimum: number;
}

export interface BhmcMinimum {
  /** Discovery index (what BhmcTrial.minimum refers to). */
  id: number;
  energy: number;
  frame: EvaluatedFrame;
  /** Sorted pair distances, Å (of the lowest-energy visit, whose energy and frame are kept). */
  fingerprint: Float64Array;
  /** How often a relaxation ended here. */
  visits: number;
  /** Trial that found it first. */
  firstTrial: number;
  /** Whether the kept visit's relaxation reached fmax (false: stopped at maxRelaxSteps). */
  converged: boolean;
}

export interface BhmcState {
  params: Required<Omit<BhmcParams, 'start' | 'adaptiveStep'>> & { adaptiveStep: AdaptiveStep | null };
  /** The current step size (= params.stepSize unless adaptive), length unit of the scale. */
  stepSize: number;
  /** Accepted trials so far (adaptive step). */
  accepted: number;
  /** Distinct-minimum lookup (energy grid, see bhmc-minima.ts). */
  index: MinimaIndex<BhmcMinimum>;
  rng: Rng;
  phase: 'start' | 'trial' | 'done';
  /** Trials finished so far. */
  trial: number;
  relax: RelaxState;
  current: EvaluatedFrame | null;
  currentEnergy: number;
  trajectories: BhmcTrajectory[];
  /** Accepted minima in order (the start first). */
  chain: EvaluatedFrame[];
  minima: BhmcMinimum[];
  trials: BhmcTrial[];
  /** Calculator evaluations so far. */
  evaluations: number;
  /** Random starts tried (a random start that falls apart is regrown, up to 20 times). */
  startAttempts: number;
  /** The start was given by the caller (never regrown). */
  givenStart: boolean;
}

/** The BHMC random start: `randomCluster` grown at [lo, hi] Å from earlier atoms, ≥ min Å apart. */
function startCluster(rng: Rng, n: number, symbol: string, d: StartDistances): Frame {
  if (!(d.min > 0 && d.lo >= d.min && d.hi > d.lo)) throw new Error(`start distances need 0 < min ≤ lo < hi, got ${JSON.stringify(d)}`);
  return randomCluster(symbol, n, { dmin: d.min, placeMin: d.lo, dmax: d.hi, rng });
}

/** Sorted pair distances, Å (the structural fingerprint of a minimum). */
export function pairDistanceFingerprint(frame: Frame): Float64Array {
  const n = frame.symbols.length, x = frame.positions;
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    out[k++] = Math.hypot(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2]);
  }
  return out.sort();
}

/**
 * Number of atoms not connected to atom 0 through bonds shorter than `bond` Å (0 = one piece).
 * O(N²), fine for the cluster sizes basin hopping handles.
 */
export function detachedAtoms(frame: Frame, bond: number): number {
  const n = frame.symbols.length, x = frame.positions, b2 = bond * bond;
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length) {
    const i = stack.pop()!;
    for (let j = 0; j < n; j++) {
      if (seen[j]) continue;
      const dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1], dz = x[3 * j + 2] - x[3 * i + 2];
      if (dx * dx + dy * dy + dz * dz < b2) { seen[j] = 1; count++; stack.push(j); }
    }
  }
  return n - count;
}

/** The closest pair of atoms (indices and distance, Å); O(N²). */
export function closestPair(frame: Frame): { i: number; j: number; r: number } {
  const n = frame.symbols.length, x = frame.positions;
  let best = { i: -1, j: -1, r: Infinity };
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const r = Math.hypot(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2]);
    if (r < best.r) best = { i, j, r };
  }
  return best;
}

/** The parameters with every default filled in (defaults follow `p.scale`, see bhmcDefaults). */
export function resolveBhmcParams(p: BhmcParams): BhmcState['params'] {
  const element = p.element ?? 'Cu';
  const scale = p.scale ?? bhmcScale(null, element);
  const d = bhmcDefaults(scale);
  const sd = p.startDistances ?? d.startDistances;
  const out: BhmcState['params'] = {
    natoms: p.start ? p.start.symbols.length : p.natoms,
    element,
    steps: p.steps,
    seed: p.seed,
    kT: p.kT,
    scale,
    stepSize: p.stepSize ?? d.stepSize,
    fmax: p.fmax ?? d.fmax,
    maxRelaxSteps: p.maxRelaxSteps ?? 1000,
    optimizer: p.optimizer ?? 'fire',
    startDistances: sd,
    evaporationDistance: p.evaporationDistance ?? 1.5 * sd.hi,
    collapseDistance: p.collapseDistance ?? sd.min,
    energyTolerance: p.energyTolerance ?? d.energyTolerance,
    distanceTolerance: p.distanceTolerance ?? d.distanceTolerance,
    keepTrajectories: p.keepTrajectories ?? true,
    lbfgs: p.lbfgs ?? BHMC_LBFGS,
    adaptiveStep: p.adaptiveStep === true ? { ...ADAPTIVE_STEP_DEFAULTS } : p.adaptiveStep ? { ...p.adaptiveStep } : null,
  };
  const a = out.adaptiveStep;
  if (a && !(Number.isInteger(a.interval) && a.interval >= 1 && a.target > 0 && a.target < 1 && a.factor > 0 && a.factor < 1)) {
    throw new Error(`BHMC adaptive step needs an integer interval ≥ 1, 0 < target < 1 and 0 < factor < 1, got ${JSON.stringify(a)}`);
  }
  if (!Number.isInteger(out.steps) || out.steps < 0) throw new Error(`BHMC steps must be a non-negative integer, got ${out.steps}`);
  if (!(out.kT >= 0) || !Number.isFinite(out.kT)) throw new Error(`BHMC kT must be a non-negative energy in eV, got ${out.kT}`);
  if (!(out.stepSize > 0)) throw new Error(`BHMC step size must be positive (Å), got ${out.stepSize}`);
  if (!(out.evaporationDistance > 0)) throw new Error(`evaporation distance must be positive (Å), got ${out.evaporationDistance}`);
  return out;
}

function relaxOpts(p: BhmcState['params']): RelaxOptions {
  return { optimizer: p.optimizer, fmax: p.fmax, maxSteps: p.maxRelaxSteps, lbfgs: p.lbfgs, record: p.keepTrajectories };
}

/** Set up basin hopping; the first pending structure is the (random or given) start. */
export function bhmcInit(params: BhmcParams): BhmcState {
  const p = resolveBhmcParams(params);
  const rng = new Rng(p.seed);
  const start = params.start ? cloneFrame(params.start) : startCluster(rng, p.natoms, p.element, p.startDistances);
  return {
    params: p, stepSize: p.stepSize, accepted: 0, index: new MinimaIndex<BhmcMinimum>(p.energyTolerance, p.distanceTolerance),
    rng, phase: 'start', trial: 0, relax: relaxInit(start, relaxOpts(p)),
    current: null, currentEnergy: NaN, trajectories: [], chain: [], minima: [], trials: [],
    evaluations: 0, startAttempts: 1, givenStart: params.start !== undefined,
  };
}

/** The structure whose energy and forces the next bhmcStep needs; null when finished. */
export function bhmcPending(state: BhmcState): Frame | null {
  return state.phase === 'done' ? null : relaxPending(state.relax);
}

/** The lowest minimum found so far (null before the start is relaxed). */
export function bhmcBest(state: BhmcState): BhmcMinimum | null {
  return state.index.best();
}

/**
 * The discovery index of the minimum `frame` relaxed into (a new one is added). The lookup goes
 * through the energy grid (bhmc-minima.ts): its cost does not grow with the number of minima.
 */
function registerMinimum(state: BhmcState, frame: EvaluatedFrame, energy: number, converged: boolean): number {
  const fp = pairDistanceFingerprint(frame);
  const m = state.index.find(energy, fp);
  if (m) {
    m.visits++;
    if (energy < m.energy) { // keep the best-relaxed visit
      state.index.update(m, energy, fp);
      m.frame = frame;
      m.converged = converged;
    }
    return m.id;
  }
  const added: BhmcMinimum = { id: state.minima.length, energy, frame, fingerprint: fp, visits: 1, firstTrial: state.trial, converged };
  state.minima.push(added);
  state.index.add(added);
  return added.id;
}

/** Why a relaxed structure cannot be used, or null if it can. */
function failure(state: BhmcState, r: RelaxResult): string | null {
  if (r.error) return `exploded: ${r.error}`;
  const close = closestPair(r.final);
  if (close.r < state.params.collapseDistance) {
    return `collapsed: atoms ${close.i} and ${close.j} at ${close.r.toFixed(3)} Å (< ${state.params.collapseDistance} Å)`;
  }
  const lost = detachedAtoms(r.final, state.params.evaporationDistance);
  if (lost > 0) return `evaporated: ${lost} atom(s) detached (no bond path < ${state.params.evaporationDistance} Å)`;
  return null;
}

function newTrial(state: BhmcState): void {
  const f = cloneFrame(state.current!);
  delete f.info;
  const s = state.stepSize;
  for (let k = 0; k < f.positions.length; k++) f.positions[k] += s * (2 * state.rng.uniform() - 1);
  state.relax = relaxInit(f, relaxOpts(state.params));
  state.phase = 'trial';
}

function finishRelaxation(state: BhmcState): void {
  const r = relaxResult(state.relax);
  const bad = failure(state, r);
  const traj: BhmcTrajectory = { trial: state.trial + (state.phase === 'trial' ? 1 : 0), frames: r.frames, converged: r.converged, outcome: '' };
  if (state.params.keepTrajectories) state.trajectories.push(traj);
  if (state.phase === 'start') {
    if (bad) {
      traj.outcome = `discarded start (${bad})`;
      if (state.givenStart) throw new Error(`BHMC: the given start structure is unusable after relaxation (${bad})`);
      if (state.startAttempts >= 20) throw new Error(`BHMC: 20 random starts fell apart during relaxation (last: ${bad})`);
      state.startAttempts++;
      const start = startCluster(state.rng, state.params.natoms, state.params.element, state.params.startDistances);
      state.relax = relaxInit(start, relaxOpts(state.params));
      return;
    }
    const minimum = registerMinimum(state, r.final, r.energy, r.converged);
    state.current = r.final;
    state.currentEnergy = r.energy;
    state.chain.push(r.final);
    traj.outcome = 'start';
    state.trials.push({ trial: 0, energy: r.energy, accepted: true, reason: 'start', relaxSteps: r.steps, converged: r.converged, currentEnergy: r.energy, minimum });
  } else {
    state.trial++;
    const u = state.rng.uniform(); // drawn every trial: the stream does not depend on outcomes
    let accepted = false;
    let reason: string;
    let minimum = -1;
    if (bad) {
      reason = `rejected (${bad})`;
    } else {
      minimum = registerMinimum(state, r.final, r.energy, r.converged);
      const dE = r.energy - state.currentEnergy;
      if (dE <= 0) { accepted = true; reason = 'downhill'; }
      else if (state.params.kT > 0 && Math.exp(-dE / state.params.kT) > u) { accepted = true; reason = 'metropolis'; }
      else reason = 'rejected (metropolis)';
    }
    traj.outcome = reason;
    if (accepted) state.accepted++;
    const a = state.params.adaptiveStep;
    if (a && state.trial % a.interval === 0) {
      state.stepSize = state.accepted / state.trial > a.target ? state.stepSize / a.factor : state.stepSize * a.factor;
    }
    if (accepted) {
      state.current = r.final;
      state.currentEnergy = r.energy;
      state.chain.push(r.final);
    }
    state.trials.push({
      trial: state.trial, energy: bad ? NaN : r.energy, accepted, reason, relaxSteps: r.steps,
      converged: r.converged, currentEnergy: state.currentEnergy, minimum,
    });
  }
  if (state.trial >= state.params.steps) state.phase = 'done';
  else newTrial(state);
}

/** Give the calculator result for bhmcPending(state); advances the state in place and returns it. */
export function bhmcStep(state: BhmcState, result: CalcResult): BhmcState {
  if (state.phase === 'done') return state;
  state.evaluations++;
  state.relax = relaxStep(state.relax, result);
  if (state.relax.done) finishRelaxation(state);
  return state;
}

export interface BhmcResult {
  /** Lowest minimum found. */
  best: BhmcMinimum;
  minima: BhmcMinimum[];
  chain: EvaluatedFrame[];
  trajectories: BhmcTrajectory[];
  trials: BhmcTrial[];
  evaluations: number;
}

/** Summary of a (finished or paused) run; throws before the start is relaxed. */
export function bhmcResult(state: BhmcState): BhmcResult {
  const best = bhmcBest(state);
  if (!best) throw new Error('BHMC has no relaxed minimum yet');
  const minima = [...state.minima].sort((a, b) => a.energy - b.energy);
  return { best, minima, chain: state.chain, trajectories: state.trajectories, trials: state.trials, evaluations: state.evaluations };
}

/**
 * Run basin hopping to the end with a synchronous calculator. `onTrial` is called after the
 * start and after every trial (progress reporting); returning true stops early.
 */
export function runBhmc(calc: Calculator, params: BhmcParams, onTrial?: (t: BhmcTrial, s: BhmcState) => boolean | void): BhmcResult {
  const st = bhmcInit(params);
  let seen = 0;
  for (let f = bhmcPending(st); f; f = bhmcPending(st)) {
    bhmcStep(st, calc.compute(f));
    while (seen < st.trials.length) {
      if (onTrial?.(st.trials[seen], st) === true) st.phase = 'done';
      seen++;
    }
  }
  return bhmcResult(st);
}

/** runBhmc with an asynchronous (GPU) calculator; same parameters, callback and result. */
export async function runBhmcAsync(calc: AsyncCalculator, params: BhmcParams, onTrial?: (t: BhmcTrial, s: BhmcState) => boolean | void): Promise<BhmcResult> {
  const st = bhmcInit(params);
  let seen = 0;
  for (let f = bhmcPending(st); f; f = bhmcPending(st)) {
    bhmcStep(st, await calc.compute(f));
    while (seen < st.trials.length) {
      if (onTrial?.(st.trials[seen], st) === true) st.phase = 'done';
      seen++;
    }
  }
  return bhmcResult(st);
}
