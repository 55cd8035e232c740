/** What every route module receives. */
import type { Api } from '../api.ts';
import type { Store } from '../store/store.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { ExecutorDefaults } from '../executor/config.ts';

export interface RouteContext {
  api: Api;
  store: Store;
  runner: JobRunner | null;
  /** The service's executor (`serve --executor`); local when absent. */
  executor?: ExecutorDefaults;
  /** The service's data folder (DATA_DIR), where relative executor work folders go. */
  dataDir: string;
}
