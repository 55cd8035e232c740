// Entry of an executor task's wrapper (run by a task's run.sh on a compute node): register the
// TypeScript loader (tsx), then run task-main.ts with the command line (MODE TASK_DIR).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./task-main.ts');
process.exitCode = await main(process.argv.slice(2));
