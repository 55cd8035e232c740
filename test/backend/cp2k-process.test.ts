// CP2K child processes of label jobs never outlive the service (issue 12): a fake "cp2k" (a shell
// script that logs its pid, sleeps as long as a control file says, then writes a CP2K-like output)
// runs under a real service process that is stopped with SIGTERM, killed with kill -9, restarted,
// and asked to cancel. Every time the old process group must be gone, its temp folder removed,
// and each frame labeled by exactly one completed run.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { TOKEN, tempDir } from './helpers.ts';
import { api, waitFor, waitFinished, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess } from './service-process.ts';

const started: ServiceProcess[] = [];
afterAll(async () => { for (const p of started) await killHard(p); });

const FAKE = `#!/bin/sh
echo "start $$ $(pwd)" >> "$FAKE_CP2K_LOG"
sleep "$(cat "$FAKE_CP2K_SECONDS_FILE")"
cat > label.out <<'OUT'
 ENERGY| Total FORCE_EVAL ( QS ) energy [a.u.]:              -96.000000000000000
 ATOMIC FORCES in [a.u.]
 # Atom   Kind   Element          X              Y              Z
      1      1      Cu          0.00000000     0.00000000     0.01000000
      2      1      Cu          0.00000000     0.00000000    -0.01000000
 SUM OF ATOMIC FORCES           0.00000000     0.00000000     0.00000000     0.00000000
OUT
echo "end $$" >> "$FAKE_CP2K_LOG"
`;

/** A process that runs (a zombie, or a pid that is gone, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('CP2K processes of label jobs (fake cp2k, real service process)', () => {
  it('kills the process group on SIGTERM, reaps it after kill -9, kills it on cancel; temp folders removed; one run per frame', async () => {
    const work = tempDir('ns-fakecp2k-');
    const exe = join(work, 'cp2k');
    writeFileSync(exe, FAKE);
    chmodSync(exe, 0o755);
    const log = join(work, 'runs.log');
    const secondsFile = join(work, 'seconds');
    const tmp = join(work, 'tmp');
    const dataDir = join(work, 'data');
    writeFileSync(secondsFile, '600');
    const env = { FAKE_CP2K_LOG: log, FAKE_CP2K_SECONDS_FILE: secondsFile, TMPDIR: tmp };
    const start = async (): Promise<ServiceProcess> => {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(tmp, { recursive: true });
      const p = await startServiceProcess(dataDir, TOKEN, [], { env });
      started.push(p);
      return p;
    };
    const runs = (): { kind: string; pid: number; dir?: string }[] => (existsSync(log) ? readFileSync(log, 'utf8') : '').trim().split('\n').filter(Boolean)
      .map((l) => { const [kind, pid, dir] = l.split(' '); return { kind, pid: Number(pid), dir }; });
    const starts = (): { pid: number; dir?: string }[] => runs().filter((r) => r.kind === 'start');
    const leftovers = (): string[] => readdirSync(tmp).filter((n) => n.startsWith('nanostudio-cp2k-'));

    let svc = await start();
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu2-fake-cp2k' });
    const { ids } = await api<{ ids: number[] }>(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: [
      { symbols: ['Cu', 'Cu'], positions: [[0, 0, 0], [0, 0, 2.2]] },
      { symbols: ['Cu', 'Cu'], positions: [[0, 0, 0], [0, 0, 2.3]] },
    ] });
    const calculator = { kind: 'cp2k', settings: { executable: exe, basis: 'DZVP-MOLOPT-SR-GTH', cutoff: 200, relCutoff: 40, vacuum: 5 } };
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator });

    // 1. SIGTERM while cp2k runs: the group is killed and its folder removed before the service exits.
    const first = (await waitFor(starts, (s) => s.length === 1, 60_000, 50))[0];
    expect(alive(first.pid)).toBe(true);
    expect(await stopService(svc), svc.output()).toBe(0);
    expect(alive(first.pid)).toBe(false);
    expect(existsSync(first.dir!)).toBe(false);

    // 2. kill -9 while cp2k runs: the next start reaps the recorded group and removes its folder.
    svc = await start();
    const second = (await waitFor(starts, (s) => s.length === 2, 60_000, 50))[1];
    expect(second.pid).not.toBe(first.pid);
    await killHard(svc);
    expect(alive(second.pid)).toBe(true); // a crash of the service does not stop its child by itself
    writeFileSync(secondsFile, '0.2');
    svc = await start();
    expect(alive(second.pid)).toBe(false);
    expect(existsSync(second.dir!)).toBe(false);
    const done = await waitFinished(svc.base, job.id);
    expect(done.state).toBe('succeeded');
    expect(done.logs.some((l) => /killed cp2k process group/.test(l.message))).toBe(true);
    const ends = runs().filter((r) => r.kind === 'end');
    expect(ends).toHaveLength(ids.length); // exactly one completed run per frame
    expect(starts()).toHaveLength(2 + ids.length);
    expect(leftovers()).toEqual([]);

    // 3. Cancel while cp2k runs: the group is killed, the folder removed.
    writeFileSync(secondsFile, '600');
    const again = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator, frameIds: [ids[0]] });
    const third = (await waitFor(starts, (s) => s.length === 5, 60_000, 50))[4];
    await api(svc.base, 'POST', `/jobs/${again.id}/cancel`);
    expect((await waitFinished(svc.base, again.id)).state).toBe('cancelled');
    expect(alive(third.pid)).toBe(false);
    await waitFor(leftovers, (l) => l.length === 0, 10_000, 50);
    expect(await stopService(svc), svc.output()).toBe(0);

    const s = Store.open(join(dataDir, 'nanostudio.sqlite'));
    for (const id of ids) expect(s.labels.forFrame(id).filter((l) => l.jobId === job.id)).toHaveLength(1);
    expect(s.labels.forJob(job.id).every((l) => l.status === 'ok')).toBe(true);
    s.close();
  });
});
