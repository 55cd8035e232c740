// Robustness of the real service process (issue 12): where its data lives (NANOSTUDIO_HOME, printed),
// one service per data folder, and the label job's ok/failed counts after a crash and resume.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';
import { api, waitFor, waitFinished, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess, type ServiceProcessOptions } from './service-process.ts';

const started: ServiceProcess[] = [];
afterAll(async () => { for (const p of started) await killHard(p); });

async function start(dataDir: string | null, opts: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const p = await startServiceProcess(dataDir, TOKEN, [], opts);
  started.push(p);
  return p;
}

/** Run `nanostudio serve` expecting it to refuse to start: its exit code and output. */
function serveRefused(dataDir: string): Promise<{ code: number | null; out: string }> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, [join(root, 'bin/nanostudio.mjs'), 'serve', '--port', '0', '--data-dir', dataDir],
    { cwd: root, env: { ...process.env, NANOSTUDIO_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const hang = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((ok) => child.on('close', (code) => { clearTimeout(hang); ok({ code, out }); }));
}

describe('nanostudio serve: data folder', () => {
  it('uses NANOSTUDIO_HOME as its data folder (not the current directory) and prints it', async () => {
    const home = realpathSync(tempDir('ns-home-'));
    const cwd = realpathSync(tempDir('ns-cwd-'));
    const svc = await start(null, { cwd, env: { NANOSTUDIO_HOME: home } });
    expect(svc.output()).toContain(`data folder: ${home} (from NANOSTUDIO_HOME)`);
    await api(svc.base, 'POST', '/datasets', { name: 'home' });
    expect(await stopService(svc)).toBe(0);
    expect(existsSync(join(home, 'nanostudio.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, '.nanostudio'))).toBe(false);
    const s = Store.open(join(home, 'nanostudio.sqlite'));
    expect(s.datasets.list().map((d) => d.name)).toEqual(['home']);
    s.close();
  });

  it('refuses a second service on the same data folder, naming the folder and the pid; a stale lock (kill -9) is taken over', async () => {
    const dir = realpathSync(tempDir());
    const first = await start(dir);
    const pid = first.child.pid!;
    const second = await serveRefused(dir);
    expect(second.code).not.toBe(0);
    expect(second.out).toContain(dir);
    expect(second.out).toMatch(new RegExp(`pid ${pid}\\b`));
    expect(second.out).not.toMatch(/listening on/);
    await killHard(first); // leaves its lock file behind
    const third = await start(dir);
    expect(third.output()).toMatch(/listening on/);
    expect(await stopService(third), third.output()).toBe(0);
  });
});

describe('nanostudio serve: label job counts after a crash', () => {
  it('counts the failed frames of the first attempt after kill -9 and resume', async () => {
    const dir = tempDir();
    const n = 3000;
    const bad = [2, 5, 9]; // overlapping atoms: failed labels, all within the first attempt
    const frames = cuFrames(n, 0.1, 31);
    for (const i of bad) frames[i].positions[1] = [...frames[i].positions[0]];
    let svc = await start(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-fail-resume' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.progress.done >= 20, 60_000, 5);
    await killHard(svc);
    const s0 = Store.open(join(dir, 'nanostudio.sqlite'));
    const firstAttempt = s0.labels.forJob(job.id);
    s0.close();
    expect(firstAttempt.filter((l) => l.status === 'failed')).toHaveLength(bad.length);
    expect(firstAttempt.length).toBeLessThan(n);

    svc = await start(dir);
    const done = await waitFinished(svc.base, job.id);
    expect(done.state).toBe('succeeded');
    const summary = done.logs.map((l) => l.message).filter((m) => /^labeled \d+ frames/.test(m));
    expect(summary.at(-1)).toBe(`labeled ${n} frames: ${n - bad.length} ok, ${bad.length} failed (see labels for reasons)`);
    const ds2 = await api<{ labeledCount: number }>(svc.base, 'GET', `/datasets/${ds.id}`);
    expect(ds2.labeledCount).toBe(n - bad.length);
    expect(await stopService(svc)).toBe(0);
  });
});
