// The executor's driver (drive.ts) over the Slurm command layer: SlurmClient running stand-in
// scripts for squeue/sbatch/sacct/scontrol/scancel (test/backend/fake-slurm.ts). The scripts are
// not the thing under test; the driver's decisions are: an unanswering Slurm is waited for (no
// resubmission), a job that fails scancels its other Slurm jobs, and a result is read from the
// path recorded with the task. The real one-node cluster test is test/backend/slurm.test.ts.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import type { ExecutorTask } from '../../src/backend/store/tasks.ts';
import type { WorkerMessage } from '../../src/backend/jobs/messages.ts';
import { SlurmSettingsSchema } from '../../src/backend/executor/config.ts';
import { driveTasks } from '../../src/backend/executor/drive.ts';
import { SlurmClient } from '../../src/backend/executor/slurm-client.ts';
import { taskPaths } from '../../src/backend/executor/task-files.ts';
import { fakeBin } from './fake-slurm.ts';
import { tempDir } from './helpers.ts';

const POLL_S = 0.2;
const resultJson = (item: number): string => JSON.stringify({ kind: 'label', item, labeler: 'test', frames: [] });

/** A store with a label job of n tasks (folders WORK/task-k, none submitted yet). */
function jobWithTasks(n: number) {
  const dir = tempDir('ns-drive-');
  const store = Store.open(join(dir, 'db.sqlite'));
  const job = store.jobs.create('label', store.datasets.create('d').id, {}, []);
  store.tasks.createMany(job.id, Array.from({ length: n }, (_, k) => {
    const d = join(dir, 'work', `task-${k}`);
    mkdirSync(d, { recursive: true });
    return { item: k, frameIds: [], name: `ns-j${job.id}-t${k}`, dir: d, outputPath: taskPaths(d).result };
  }));
  const logs: Array<{ level: string; message: string }> = [];
  const post = (m: WorkerMessage): void => { if (m.type === 'log') logs.push(m); };
  const drive = (bin: string, maxAttempts = 3) => driveTasks({
    store, jobId: job.id, slurm: SlurmSettingsSchema.parse({ pollSeconds: POLL_S, maxAttempts }), signal: new AbortController().signal, post,
    client: new SlurmClient({ bin }),
    hooks: {
      write: (t: ExecutorTask) => writeFileSync(taskPaths(t.dir).script, '#!/bin/sh\n'),
      ingest: (t: ExecutorTask) => store.tasks.finish(t.id, 'done'),
      describe: (t: ExecutorTask) => `item ${t.item}`,
    },
  });
  const submitted = (item: number, slurmId: string): void => {
    const t = store.tasks.forJob(job.id)[item];
    store.tasks.markSubmitting(t.id);
    store.tasks.markSubmitted(t.id, slurmId);
  };
  return { dir, store, job, logs, drive, submitted, tasks: () => store.tasks.forJob(job.id) };
}

const lines = (p: string): string[] => (existsSync(p) ? readFileSync(p, 'utf8').trim().split('\n') : []);

describe('Slurm driver', () => {
  it('squeue cannot reach the controller: the driver asks again a poll later and resubmits nothing', async () => {
    const j = jobWithTasks(1);
    j.submitted(0, '17');
    const state = join(j.dir, 'state');
    const result = j.tasks()[0].outputPath;
    // Calls 1 and 2: controller unreachable. Call 3: the job has finished (its result is there) and is still listed.
    const bin = fakeBin({
      squeue: `n=$(( $(cat ${state}-n 2>/dev/null || echo 0) + 1 )); echo $n > ${state}-n; date +%s.%N >> ${state}-times
if [ $n -le 2 ]; then echo "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" >&2; exit 1; fi
echo '${resultJson(0)}' > ${result}.tmp && mv ${result}.tmp ${result}
echo "17|RUNNING|None"`,
      sbatch: `echo "$@" >> ${state}-sbatch; echo 99`,
      scancel: `echo "$@" >> ${state}-scancel`,
    });
    expect(await j.drive(bin)).toBe('done');
    expect(lines(`${state}-sbatch`)).toEqual([]);
    expect(lines(`${state}-scancel`)).toEqual([]);
    const times = lines(`${state}-times`).map(Number);
    expect(times).toHaveLength(3);
    for (let k = 1; k < times.length; k++) expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(POLL_S * 0.95);
    expect(j.logs.filter((l) => l.level === 'warn' && /Slurm is not answering .*Unable to contact slurm controller.*; asking again in 0\.2 s/.test(l.message))).toHaveLength(2);
    expect(j.tasks()[0]).toMatchObject({ state: 'done', attempts: 1, slurmId: '17' });
    j.store.close();
  });

  it('a job that fails (sbatch refuses a task) scancels its other Slurm jobs and marks them cancelled', async () => {
    const j = jobWithTasks(2);
    j.submitted(1, '18');
    const state = join(j.dir, 'state');
    const bin = fakeBin({
      squeue: 'echo "18|RUNNING|None"',
      sbatch: 'echo "sbatch: error: invalid partition specified: nope" >&2; exit 1',
      scancel: `echo "$@" >> ${state}-scancel`,
    });
    await expect(j.drive(bin)).rejects.toThrow(/sbatch .*failed \(exit 1\): sbatch: error: invalid partition specified: nope/);
    expect(lines(`${state}-scancel`)).toEqual(['18']);
    expect(j.tasks().map((t) => t.state)).toEqual(['failed', 'cancelled']);
    expect(j.logs.map((l) => l.message)).toContain('scancel 18');
    j.store.close();
  });

  it('reads a finished task\'s result from the output path recorded with it (a task made by an earlier layout)', async () => {
    const j = jobWithTasks(1);
    j.submitted(0, '17');
    const t = j.tasks()[0];
    const older = join(j.dir, 'older-layout', 'out.json');
    mkdirSync(join(j.dir, 'older-layout'));
    writeFileSync(older, resultJson(0));
    j.store.db.prepare('UPDATE executor_tasks SET output_path = ? WHERE id = ?').run(older, t.id);
    const state = join(j.dir, 'state');
    const bin = fakeBin({
      squeue: 'exit 0', // no longer listed
      sacct: 'exit 1', // no accounting: scontrol tells
      scontrol: 'echo "JobId=17 JobName=x JobState=COMPLETED Reason=None ExitCode=0:0"',
      sbatch: `echo "$@" >> ${state}-sbatch; echo 99`,
    });
    expect(await j.drive(bin)).toBe('done');
    expect(lines(`${state}-sbatch`)).toEqual([]);
    expect(j.tasks()[0]).toMatchObject({ state: 'done', attempts: 1 });
    j.store.close();
  });
});
