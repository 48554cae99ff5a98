#!/usr/bin/env node
// `npm test`: the whole suite, as CI runs it. Typecheck, lint, build, unit + integration (vitest),
// the built-main smoke boot, the packaging dry run, and the Chromium end-to-end tests
// (Playwright). Prints one "N passed, N failed" line at the end and exits non-zero if anything
// failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const steps = [];
let passed = 0;
let failed = 0;

function run(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  steps.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const skipStatic = process.argv.includes('--no-static');
if (!skipStatic) {
  if (!run('typecheck', 'npm', ['run', '--silent', 'typecheck'])) failed++;
  if (!run('lint', 'npm', ['run', '--silent', 'lint'])) failed++;
}
if (!run('build', 'npx', ['electron-vite', 'build'])) failed++;

rmSync('.vitest-results.json', { force: true });
const vitestOk = run('unit + integration', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=.vitest-results.json',
]);
const v = readJson('.vitest-results.json');
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  if (!vitestOk && v.numFailedTests === 0) failed++;
} else if (!vitestOk) failed++;

if (run('smoke (built main under a stand-in electron)', 'npm', ['run', '--silent', 'test:smoke']))
  passed++;
else failed++;

if (
  run('packaging dry run (electron-builder, stand-in Electron)', 'npm', [
    'run',
    '--silent',
    'test:package',
  ])
)
  passed++;
else failed++;

if (existsSync('playwright.config.ts')) {
  rmSync('.pw-results.json', { force: true });
  const pwOk = run('e2e (Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: '.pw-results.json',
  });
  const p = readJson('.pw-results.json');
  if (p?.stats) {
    passed += p.stats.expected;
    failed += p.stats.unexpected;
    if (!pwOk && p.stats.unexpected === 0) failed++;
  } else if (!pwOk) failed++;
}

console.log('\n=== summary');
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
