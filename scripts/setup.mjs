// Set-up shared by `npm start` and `npm test` on a fresh clone: Debian packages (when root),
// npm dependencies (when missing or older than the lockfile), and the environment that lets
// Dawn (Node) and Chromium find the software Vulkan driver. Plain Node, no dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages: what each is for. */
const DEBIAN = {
  chromium: { file: '/usr/bin/chromium', why: 'e2e tests and the SwiftShader Vulkan driver (WebGPU without a GPU)' },
  libvulkan1: { file: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', why: 'Vulkan loader for Dawn (WebGPU in Node)' },
  'fonts-dejavu-core': { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', why: 'fonts for screenshots' },
  cp2k: { file: '/usr/bin/cp2k', why: 'real DFT labels (CP2K)', alt: ['/usr/bin/cp2k.psmp', '/usr/bin/cp2k.ssmp', '/usr/bin/cp2k.popt'] },
  'slurm-wlm': { file: '/usr/sbin/slurmctld', why: 'Slurm executor tests (a one-node slurmctld + slurmd started by test/backend/slurm.test.ts)' },
  munge: { file: '/usr/sbin/munged', why: 'authentication of the test Slurm cluster' },
};

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Install missing Debian packages when root on Debian; otherwise say exactly what to install. */
export function ensureSystemPackages(names = Object.keys(DEBIAN)) {
  const missing = names.filter((n) => {
    const d = DEBIAN[n];
    return ![d.file, ...(d.alt ?? [])].some((f) => existsSync(f));
  });
  if (missing.length === 0) return true;
  const isDebian = existsSync('/etc/debian_version');
  if (isRoot() && isDebian) {
    log(`installing Debian packages: ${missing.join(' ')} (${missing.map((n) => DEBIAN[n].why).join('; ')})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const opts = { stdio: ['ignore', 'inherit', 'inherit'], env };
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=900', 'update', '-qq'], opts);
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=900', 'install', '-y', '-qq', '--no-install-recommends', ...missing], opts);
    return true;
  }
  log(`missing system packages: ${missing.join(' ')}`);
  for (const n of missing) log(`  ${n}: ${DEBIAN[n].why}`);
  log(`install them with: sudo apt-get install ${missing.join(' ')}   (Debian/Ubuntu)`);
  return false;
}

/** Run `npm ci` (or `npm install` without a lockfile) when node_modules is missing or stale. */
export function ensureNodeModules() {
  const lock = resolve(ROOT, 'package-lock.json');
  const marker = resolve(ROOT, 'node_modules/.package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  const cmd = existsSync(lock) ? 'ci' : 'install';
  log(`npm ${cmd} (node_modules ${existsSync(marker) ? 'older than package-lock.json' : 'missing'})`);
  const r = spawnSync('npm', [cmd, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${cmd} failed with exit code ${r.status}`);
}

/** Environment for child processes: point Vulkan at SwiftShader when no ICD is chosen. */
export function gpuEnv(base = process.env) {
  const env = { ...base };
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(swiftshader)) env.VK_ICD_FILENAMES = swiftshader;
  // Chromium's own libvulkan works for Dawn when the system has none.
  if (!existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1') && existsSync('/usr/lib/chromium/libvulkan.so.1')) {
    env.LD_LIBRARY_PATH = ['/usr/lib/chromium', env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  env.XDG_RUNTIME_DIR ??= '/tmp';
  return env;
}
