/** Run the real `nanostudio loop` command as a child process (bin/nanostudio.mjs), for the loop's end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TINY = resolve(ROOT, 'test/loop/fixtures/tiny-budget.yaml');

export interface LoopProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Start `nanostudio loop ARGS` (stdout and stderr collected); `onOutput` sees the output so far after every chunk. */
export function startLoop(args: string[], onOutput?: (out: string, p: LoopProcess) => void, env: Record<string, string> = {}): LoopProcess {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/nanostudio.mjs'), 'loop', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const p: LoopProcess = {
    child,
    output: () => out,
    exited: new Promise((ok) => child.on('exit', (code) => ok(code))),
  };
  const onData = (d: Buffer): void => {
    out += d.toString();
    onOutput?.(out, p);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return p;
}

/** kill -9 of the loop process; resolves when it is gone. */
export async function killHard(p: LoopProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` every few ms until it returns true (then kill -9 the loop), or the loop exits by itself (an error). */
export async function killWhen(p: LoopProcess, check: () => boolean): Promise<void> {
  let exited = false;
  void p.exited.then(() => { exited = true; });
  while (!exited) {
    if (check()) {
      await killHard(p);
      return;
    }
    await sleep(5);
  }
  throw new Error(`the loop exited (code ${p.child.exitCode}) before the moment to kill it:\n${p.output()}`);
}
