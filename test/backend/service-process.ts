/** Run the real `nanostudio serve` as a child process on 127.0.0.1 with an ephemeral port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
}

export interface ServiceProcessOptions {
  /** Extra environment of the service (e.g. NANOSTUDIO_HOME, TMPDIR, PATH). */
  env?: Record<string, string>;
  /** Working directory (default the repository). */
  cwd?: string;
}

/**
 * Start the service on a data folder (null: no --data-dir, the service chooses); resolves once it
 * prints its URL, rejects with its output if it exits first.
 */
export function startServiceProcess(dataDir: string | null, token: string, extra: string[] = [], opts: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const args = [resolve(ROOT, 'bin/nanostudio.mjs'), 'serve', '--port', '0', '--host', '127.0.0.1', ...(dataDir === null ? [] : ['--data-dir', dataDir]), ...extra];
  const child = spawn(process.execPath, args,
    { cwd: opts.cwd ?? ROOT, env: { ...process.env, NANOSTUDIO_TOKEN: token, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((ok, fail) => {
    // A service that did not start in time is killed: it must not run on, orphaned, after the test failed.
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`service did not start in 60 s:\n${out}`)); }, 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, base: m[1], output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', (code) => { clearTimeout(timer); fail(new Error(`service exited with ${code}:\n${out}`)); });
  });
}

/** SIGKILL the service (a crash) and wait until it is gone. */
export function killHard(p: ServiceProcess): Promise<void> {
  return new Promise((ok) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return ok();
    p.child.once('exit', () => ok());
    p.child.kill('SIGKILL');
  });
}

/** SIGTERM and wait; resolves to the exit code (null if it had to be killed after 15 s). */
export function stopService(p: ServiceProcess): Promise<number | null> {
  return new Promise((ok) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return ok(p.child.exitCode);
    const hard = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
    p.child.once('exit', (code) => { clearTimeout(hard); ok(code); });
    p.child.kill('SIGTERM');
  });
}
