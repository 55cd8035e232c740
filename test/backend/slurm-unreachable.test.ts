// SlurmClient when the controller does not answer: squeue exits 1 for "Invalid job id" (the job is
// gone) and also when it cannot reach slurmctld (nothing is known). Only the first may be read as
// "finished"; the second must raise SlurmUnreachableError so that the driver resubmits nothing.
// The Slurm commands are stand-in scripts here: what is under test is our reading of their output.
import { describe, expect, it } from 'vitest';
import { SlurmClient, SlurmUnreachableError } from '../../src/backend/executor/slurm-client.ts';
import { fakeBin } from './fake-slurm.ts';

describe('SlurmClient: an unreachable controller is not "the jobs are gone"', () => {
  it('squeue exit 1 with "Invalid job id" means no listed jobs', async () => {
    const c = new SlurmClient({ bin: fakeBin({ squeue: 'echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1' }) });
    expect((await c.queued(['17'])).size).toBe(0);
  });

  it('squeue exit 1 for a lost controller raises SlurmUnreachableError (queued and idsByName)', async () => {
    const c = new SlurmClient({ bin: fakeBin({ squeue: 'echo "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" >&2; exit 1' }) });
    await expect(c.queued(['17'])).rejects.toBeInstanceOf(SlurmUnreachableError);
    await expect(c.idsByName('ns-job-1-t0')).rejects.toBeInstanceOf(SlurmUnreachableError);
  });

  it('finalState: a purged job is UNKNOWN (final), an scontrol that cannot connect is SlurmUnreachableError', async () => {
    const purged = new SlurmClient({ bin: fakeBin({ sacct: 'exit 1', scontrol: 'echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1' }) });
    expect(await purged.finalState('17')).toEqual({ state: 'UNKNOWN', final: true });
    const down = new SlurmClient({ bin: fakeBin({ sacct: 'exit 1', scontrol: 'echo "slurm_load_jobs error: Unable to contact slurm controller" >&2; exit 1' }) });
    await expect(down.finalState('17')).rejects.toBeInstanceOf(SlurmUnreachableError);
  });
});
