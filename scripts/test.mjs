// `npm test`: set-up, then every test: type check, unit tests (vitest project `unit`), WGSL
// kernel tests through Dawn on a Vulkan adapter (project `gpu`), the production build, and the
// Playwright e2e tests in Chromium with WebGPU. Ends with one summary line
// "N passed, N failed" over all stages; exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ROOT, ensureNodeModules, ensureSystemPackages, gpuEnv } from './setup.mjs';

const args = new Set(process.argv.slice(2));
const only = (name) => ![...args].some((a) => a.startsWith('--only=')) || args.has(`--only=${name}`);

ensureSystemPackages();
ensureNodeModules();
const env = gpuEnv();
const out = resolve(ROOT, 'test-results');
mkdirSync(out, { recursive: true });

const stages = [];
// Every failed test with the start of its message, printed just before the summary so that the
// tail of a CI log names what failed.
const failures = [];
function run(name, cmd, argv, countFrom) {
  if (!only(name)) return;
  process.stderr.write(`\n=== ${name}: ${cmd} ${argv.join(' ')}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', env });
  // Stages without a test report (type check, build) add no passes, only a failure if they fail.
  const counts = countFrom ? countFrom() : { passed: 0, failed: 0 };
  // A crashed runner with no report still counts as a failure.
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;
  stages.push({ name, status: r.status, ...counts, seconds: (Date.now() - t0) / 1000 });
}

function vitestCounts(file) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 0 };
    const j = JSON.parse(readFileSync(file, 'utf8'));
    for (const f of j.testResults ?? []) {
      const rel = relative(ROOT, f.name ?? '');
      const failedHere = (f.assertionResults ?? []).filter((a) => a.status !== 'passed');
      for (const a of failedHere) failures.push({ where: `${rel} > ${a.fullName ?? a.title}`, message: (a.failureMessages ?? []).join('\n') || a.status });
      // A file that failed to load has no assertion results, only a message.
      if (f.status === 'failed' && failedHere.length === 0) failures.push({ where: rel, message: f.message ?? 'failed' });
    }
    return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + (j.numTodoTests ?? 0) + (j.numPendingTests ?? 0) };
  };
}

function playwrightCounts(file) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 0 };
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const walk = (suite, path) => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) {
        if (t.status === 'expected' || t.status === 'flaky') continue;
        const last = (t.results ?? []).at(-1);
        failures.push({ where: `${spec.file}:${spec.line} > ${[...path, spec.title].join(' > ')}`, message: last?.error?.message ?? t.status });
      }
      for (const child of suite.suites ?? []) walk(child, [...path, child.title].filter(Boolean));
    };
    for (const suite of report.suites ?? []) walk(suite, []);
    const s = report.stats ?? {};
    return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: (s.unexpected ?? 0) + (s.skipped ?? 0) };
  };
}

const vitest = resolve(ROOT, 'node_modules/.bin/vitest');
for (const project of ['unit', 'gpu']) {
  const json = resolve(out, `vitest-${project}.json`);
  rmSync(json, { force: true });
  run(project, vitest, ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], vitestCounts(json));
}
run('typecheck', resolve(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json']);
run('build', resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn']);
const pwJson = resolve(out, 'playwright.json');
rmSync(pwJson, { force: true });
if (only('e2e')) {
  env.PLAYWRIGHT_JSON_OUTPUT_NAME = pwJson;
  run('e2e', resolve(ROOT, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json'], playwrightCounts(pwJson));
}

const passed = stages.reduce((s, x) => s + x.passed, 0);
const failed = stages.reduce((s, x) => s + x.failed, 0);
if (failures.length > 0) {
  process.stderr.write(`\nfailed tests (${failures.length}):\n`);
  for (const f of failures) {
    const lines = f.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() !== '' && !/node_modules|node:internal|new Promise/.test(l)).slice(0, 6);
    process.stderr.write(`  ✗ ${f.where}\n${lines.map((l) => `      ${l}`).join('\n')}\n`);
  }
}
process.stderr.write('\nstage        passed  failed  seconds\n');
for (const s of stages) process.stderr.write(`${s.name.padEnd(12)} ${String(s.passed).padStart(6)}  ${String(s.failed).padStart(6)}  ${s.seconds.toFixed(0).padStart(7)}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || stages.some((s) => s.status !== 0) ? 1 : 0;
