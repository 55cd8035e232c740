/** What every route module receives. */
import type { Api } from '../api.ts';
import type { Store } from '../store/store.ts';
import type { JobRunner } from '../jobs/runner.ts';

export interface RouteContext {
  api: Api;
  store: Store;
  runner: JobRunner | null;
}
