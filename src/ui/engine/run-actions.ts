/**
 * What the run controls do: start/pause/resume/step/stop MD and BHMC in the worker, change the
 * temperature of a running MD, show a BHMC minimum. Worker callbacks fill the engine store,
 * feed the viewer (the studio store's snapshot) and store runs and frames (frame-sink.ts).
 */
import * as Comlink from 'comlink';
import { makeFrame } from '../../core/atoms.ts';
import type { BhmcRunListener, MdRunListener, RunEnd, SavedFrame, SimSnapshot } from '../../worker/api.ts';
import { useStudio } from '../store.ts';
import { emptyHistory, useEngine, type RunPhase } from './engine-store.ts';
import { simWorker } from './sim-client.ts';
import { storeFrames, storeRun } from './frame-sink.ts';
import { frameKeeper, type FrameKeeper } from './frame-keeper.ts';
import { activeEnsembleId } from '../backend/backend-store.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function setMd(p: Partial<ReturnType<typeof useEngine.getState>['md']>): void {
  const st = useEngine.getState();
  st.set({ md: { ...st.md, ...p } });
}

function setBhmc(p: Partial<ReturnType<typeof useEngine.getState>['bhmc']>): void {
  const st = useEngine.getState();
  st.set({ bhmc: { ...st.bhmc, ...p } });
}

function endPhase(how: RunEnd): { phase: RunPhase; error: string | null } {
  return how.kind === 'error' ? { phase: 'error', error: how.message } : { phase: how.kind, error: null };
}

/** Show a run's end once its last frames are in IndexedDB (the counter is then final), or the named error if they never land. */
function endAfterFrames(frames: FrameKeeper<SavedFrame>, how: RunEnd, show: (p: { phase: RunPhase; error: string | null }) => void): void {
  frames.settled().then(
    () => show(endPhase(how)),
    (e: unknown) => show({ phase: 'error', error: how.kind === 'error' ? `${how.message}; ${message(e)}` : message(e) }),
  );
}


/** Start MD of the structure on screen with the form's parameters. */
export async function startMd(): Promise<void> {
  const studio = useStudio.getState();
  const eng = useEngine.getState();
  const f = studio.frame;
  if (!f) return;
  const form = eng.mdForm;
  mdRequest++;
  setMd({ phase: 'starting', error: null, runId: null, frames: 0, history: emptyHistory(), last: null });
  eng.set({ choice: null, choiceFor: 'md', stepsPerSecond: 0 });
  studio.set({ snapshot: null });
  const frames = frameKeeper<SavedFrame>(storeFrames, (n) => setMd({ frames: useEngine.getState().md.frames + n }), (m) => setMd({ error: m }));
  const listener: MdRunListener = {
    onRun(run, choice) {
      useEngine.getState().set({ choice, choiceFor: 'md' });
      setMd({ runId: run.id, phase: 'running' });
      storeRun(run).catch((e: unknown) => setMd({ error: `could not store the run: ${message(e)}` }));
    },
    onSnapshot(s: SimSnapshot) {
      const e = useEngine.getState();
      e.set({ stepsPerSecond: s.stepsPerSecond });
      setMd({ last: s });
      useStudio.getState().set({ snapshot: s });
    },
    onFrames(batch) {
      const h = useEngine.getState().md.history;
      const next = {
        timeFs: [...h.timeFs], potential: [...h.potential], total: [...h.total], temperature: [...h.temperature], maxDeviF: [...h.maxDeviF],
      };
      for (const fr of batch) {
        next.timeFs.push(fr.timeFs);
        next.potential.push(fr.potentialEnergy);
        next.total.push(fr.potentialEnergy + fr.kineticEnergy);
        next.temperature.push(fr.temperatureK);
        next.maxDeviF.push(fr.maxDeviF);
      }
      setMd({ history: next });
      frames.keep(batch);
    },
    onEnd(how) {
      endAfterFrames(frames, how, setMd);
    },
  };
  try {
    await simWorker().startMd(
      { symbols: f.symbols, positions: f.positions, cell: f.cell ?? undefined, pbc: f.pbc, title: studio.title },
      {
        params: {
          ensemble: form.ensemble, temperatureK: form.temperatureK, dtFs: form.dtFs, frictionPerFs: form.frictionPerFs, tauTFs: form.tauTFs,
          pressureBar: form.pressureBar, seed: form.seed, trustLo: studio.trustLo, trustHi: studio.trustHi,
        },
        steps: form.steps,
        saveEvery: form.saveEvery,
        engine: eng.preference,
        cpuTabulate: eng.cpuTabulate,
        ensembleId: activeEnsembleId(),
      },
      Comlink.proxy(listener),
    );
  } catch (e) {
    setMd({ phase: 'error', error: message(e) });
  }
}

/**
 * Counts the MD pause/resume requests (and run starts): a pause's answer marks the run as held
 * only if nothing was asked since, so a late answer to an earlier pause cannot mark a later one
 * as held before the worker has stopped for it.
 */
let mdRequest = 0;

export function pauseOrResume(): void {
  const md = useEngine.getState().md;
  const bh = useEngine.getState().bhmc;
  if (md.phase === 'running') {
    // 'paused' at once (Step enabled); `held` once the worker has stopped and shown the state it holds.
    const mine = ++mdRequest;
    setMd({ phase: 'paused', held: false });
    simWorker().pause().then(
      () => { if (mine === mdRequest && useEngine.getState().md.phase === 'paused') setMd({ held: true }); },
      (e: unknown) => setMd({ error: message(e) }),
    );
  }
  else if (md.phase === 'paused') { mdRequest++; void simWorker().resume(); setMd({ phase: 'running', held: false }); }
  else if (bh.phase === 'running') { void simWorker().pause(); setBhmc({ phase: 'paused' }); }
  else if (bh.phase === 'paused') { void simWorker().resume(); setBhmc({ phase: 'running' }); }
}

export function stepOnce(): void {
  simWorker().step().catch((e: unknown) => setMd({ error: message(e) }));
}

export function stopRun(): void {
  void simWorker().stop();
}

/** New target temperature (K) for the form and, at once, for a running thermostat. */
export function changeTemperature(t: number): void {
  const st = useEngine.getState();
  st.set({ mdForm: { ...st.mdForm, temperatureK: t } });
  if (!(t > 0)) return;
  if ((st.md.phase === 'running' || st.md.phase === 'paused') && st.mdForm.ensemble !== 'nve') {
    simWorker().setTemperature(t).catch((e: unknown) => setMd({ error: message(e) }));
  }
}

/** Start basin hopping with the form's parameters. */
export async function startBhmc(): Promise<void> {
  const eng = useEngine.getState();
  const studio = useStudio.getState();
  const form = eng.bhmcForm;
  setBhmc({ phase: 'starting', error: null, runId: null, frames: 0, trials: [], minima: [], distinctMinima: 0, shown: null });
  eng.set({ choice: null, choiceFor: 'bhmc', stepsPerSecond: 0 });
  const frames = frameKeeper<SavedFrame>(storeFrames, (n) => setBhmc({ frames: useEngine.getState().bhmc.frames + n }), (m) => setBhmc({ error: m }));
  const listener: BhmcRunListener = {
    onRun(run, choice) {
      useEngine.getState().set({ choice, choiceFor: 'bhmc' });
      setBhmc({ runId: run.id, phase: 'running' });
      storeRun(run).catch((e: unknown) => setBhmc({ error: `could not store the run: ${message(e)}` }));
    },
    onTrial(t, minima, distinctMinima) {
      setBhmc({ trials: [...useEngine.getState().bhmc.trials, t], minima, distinctMinima });
    },
    onFrames(batch) {
      frames.keep(batch);
    },
    onEnd(how) {
      endAfterFrames(frames, how, setBhmc);
    },
  };
  try {
    await simWorker().startBhmc(
      { params: { ...form }, engine: eng.preference, cpuTabulate: eng.cpuTabulate, trustLo: studio.trustLo, trustHi: studio.trustHi, ensembleId: activeEnsembleId() },
      Comlink.proxy(listener),
    );
  } catch (e) {
    setBhmc({ phase: 'error', error: message(e) });
  }
}

/** Show BHMC minimum `id` in the viewer. */
export function showMinimum(id: number): void {
  const m = useEngine.getState().bhmc.minima.find((x) => x.id === id);
  if (!m) return;
  setBhmc({ shown: id });
  useStudio.getState().setFrame(makeFrame(m.symbols, m.positions), `BHMC minimum #${m.id} (${m.energy.toFixed(3)} eV)`);
}

/** Follow the worker's engine status (adapter, kernel checks) in the engine store. */
export function watchEngine(): void {
  const onStatus = (s: Parameters<Parameters<ReturnType<typeof simWorker>['subscribeEngine']>[0]>[0]) => useEngine.getState().set({ status: s });
  void simWorker().subscribeEngine(Comlink.proxy(onStatus));
}
