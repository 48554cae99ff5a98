// Packaging dry run that works without the Electron binary: runs electron-builder's real
// "dir" target for Linux with package.json's "build" config, but points `electronDist` at a
// stand-in Electron folder (one shell script), then checks what went into app.asar.
// This proves the config is accepted and that the files/dependency selection is right; it
// cannot prove that Electron starts, nor the installers (AppImage, deb, NSIS, dmg) or fuses.
// Run after `electron-vite build`:  node test/smoke/package-dir.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'scim-porter-package-'));

try {
  // A stand-in for an unpacked Electron for Linux.
  const fake = join(work, 'electron-dist');
  mkdirSync(join(fake, 'resources'), { recursive: true });
  writeFileSync(join(fake, 'electron'), '#!/bin/sh\necho "stand-in electron"\n');
  chmodSync(join(fake, 'electron'), 0o755);
  for (const f of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) {
    writeFileSync(join(fake, f), '');
  }

  // The real config, minus the fuses (they patch the real binary, which is not here).
  const config = { ...pkg.build };
  delete config.electronFuses;
  const configFile = join(work, 'builder.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      electronDist: fake,
      directories: { ...config.directories, output: join(work, 'dist') },
    }),
  );

  const cli = require.resolve('electron-builder/cli.js');
  const run = spawnSync(process.execPath, [cli, '--linux', 'dir', '--config', configFile], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`electron-builder exited with ${run.status}`);
  }

  const appDir = join(work, 'dist', 'linux-unpacked');
  const executable = join(appDir, pkg.build.linux.executableName);
  assert.equal(readFileSync(executable, 'utf8').includes('stand-in'), true, 'executable missing');

  const { extractFile, listPackage } = require('@electron/asar');
  const asar = join(appDir, 'resources', 'app.asar');
  const packed = JSON.parse(extractFile(asar, 'package.json').toString('utf8'));
  assert.equal(packed.main, pkg.main, 'packed package.json main');
  assert.equal(packed.desktopName, pkg.build.extraMetadata.desktopName, 'packed desktopName');
  assert.equal(packed.build, undefined, 'the build config was packed');
  const files = new Set(listPackage(asar, {}).map((f) => f.replaceAll('\\', '/')));
  for (const f of [
    '/package.json',
    `/${pkg.main.replace(/^\.\//, '')}`,
    // The engine process main forks as a utilityProcess (utilityProcess.fork reads app.asar).
    '/out/main/engine.js',
    '/out/preload/index.cjs',
    '/out/renderer/index.html',
  ]) {
    assert.ok(files.has(f), `app.asar lacks ${f}`);
  }
  // Runtime dependencies the main bundle imports are packed; build tools are not.
  for (const dep of Object.keys(pkg.dependencies)) {
    assert.ok(files.has(`/node_modules/${dep}/package.json`), `app.asar lacks ${dep}`);
  }
  for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite']) {
    assert.ok(!files.has(`/node_modules/${dev}/package.json`), `app.asar packs ${dev}`);
  }
  assert.ok(
    ![...files].some((f) => f.startsWith('/out/') && f.endsWith('.map')),
    'source maps packed',
  );
  assert.ok(
    ![...files].some((f) => /^\/(test|electron|engine|cli|sandbox|shared|renderer)\//.test(f)),
    'sources packed',
  );

  process.stdout.write(`package dry run ok: ${files.size} entries in app.asar\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
