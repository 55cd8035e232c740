/**
 * The ensemble the studio uses: the model files loaded into the simulation worker (the bundled
 * demo, files the user gave, or a backend ensemble after "use for exploration"), named, so the
 * analyses evaluate the same models the runs explore with. Kept in the studio store (`ensemble`).
 */

/** A model file: name and bytes (.dp / .yaml / .json). */
export interface ModelFile { name: string; bytes: Uint8Array }

export interface EnsembleInUse {
  /** Identity of this set of files: the same key means the same models (a cache key for the analysis worker). */
  key: string;
  /** Shown to the user, e.g. "Cu demo ensemble" or "backend ensemble 3 'studio iteration 0'". */
  name: string;
  /** The model files' names, in ensemble order (model 0 first). */
  modelNames: string[];
  /** The files' bytes (fetched on demand for the bundled demo). */
  files(): Promise<ModelFile[]>;
}

export const DEMO_MODEL_NAMES = [0, 1, 2, 3].map((k) => `cu_eam_demo_${k}.dp`);

/** The bundled demo ensemble, served under `baseUrl` (the studio's models/ folder). */
export function demoEnsemble(baseUrl: string): EnsembleInUse {
  return {
    key: 'demo', name: 'Cu demo ensemble', modelNames: DEMO_MODEL_NAMES,
    files: () => Promise.all(DEMO_MODEL_NAMES.map(async (name) => {
      const url = new URL(name, new URL(baseUrl, self.location.href)).href;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`cannot fetch the demo model ${url}: HTTP ${res.status}`);
      return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
    })),
  };
}

let loaded = 0;

/** Files in hand (the user's, or downloaded from the backend); `key` when the files have a stable identity (e.g. `backend:3`). */
export function filesEnsemble(name: string, files: ModelFile[], key?: string): EnsembleInUse {
  return { key: key ?? `files:${++loaded}`, name, modelNames: files.map((f) => f.name), files: async () => files };
}

/** How a backend ensemble is named and keyed in the studio (the same in the analyses and after "use for exploration"). */
export function backendEnsembleName(e: { id: number; name: string }): string {
  return `backend ensemble ${e.id} '${e.name}'`;
}
export const backendEnsembleKey = (id: number): string => `backend:${id}`;
