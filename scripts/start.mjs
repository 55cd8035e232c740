// `npm start`: set-up, build the studio, serve it and (when available) the backend service,
// print the URLs, and keep running until Ctrl-C. Embedded defaults: studio on 127.0.0.1:4173,
// backend on 127.0.0.1:8787 with its data in .nanostudio/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, ensureNodeModules, ensureSystemPackages, gpuEnv } from './setup.mjs';

const STUDIO_PORT = Number(process.env.NANOSTUDIO_PORT ?? 4173);
const BACKEND_PORT = Number(process.env.NANOSTUDIO_BACKEND_PORT ?? 8787);
const HOST = process.env.NANOSTUDIO_HOST ?? '127.0.0.1';

ensureSystemPackages(['libvulkan1']); // the studio itself needs no more; tests install the rest
ensureNodeModules();
const env = gpuEnv();

process.stderr.write('[start] building the studio (vite build)\n');
const b = spawnSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env });
if (b.status !== 0) {
  process.stderr.write('[start] build failed\n');
  process.exit(1);
}

const children = [];
function launch(name, cmd, argv) {
  const c = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
  c.on('exit', (code, sig) => {
    process.stderr.write(`[start] ${name} exited (${sig ?? code})\n`);
    shutdown(code ?? 1);
  });
  children.push(c);
}
function shutdown(code) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const hasBackend = existsSync(resolve(ROOT, 'src/cli/commands/serve.ts'));
if (hasBackend) {
  launch('backend', process.execPath, [resolve(ROOT, 'bin/nanostudio.mjs'), 'serve', '--host', HOST, '--port', String(BACKEND_PORT),
    '--cors-origin', `http://${HOST}:${STUDIO_PORT}`]);
}
launch('studio', process.execPath, [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--host', HOST, '--port', String(STUDIO_PORT), '--strictPort']);
setTimeout(() => {
  process.stderr.write(`\n  nanostudio is running:\n    studio   http://${HOST}:${STUDIO_PORT}/\n`);
  if (hasBackend) process.stderr.write(`    backend  http://${HOST}:${BACKEND_PORT}/  (API description: /openapi.json)\n`);
  process.stderr.write('  Press Ctrl-C to stop.\n\n');
}, 1500);
