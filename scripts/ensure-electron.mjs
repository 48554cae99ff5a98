#!/usr/bin/env node
// Pre-step of `npm start` and `npm run dev`: makes sure Electron's binary is on disk.
// Electron ≥42 no longer downloads it at install time, and electron-vite 6 stops with
// "Electron uninstall" when node_modules/electron/path.txt is missing. This runs Electron's own
// installer (node_modules/electron/install.js, the `install-electron` bin), which honours
// ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR and the cache (electron_config_cache) and verifies the
// archive's SHA-256 checksum. If the download cannot happen it prints one sentence and exits 1.
// Deliberately not a postinstall: `npm ci` must keep working offline and in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The binary is there when path.txt names a file that exists under dist/ (what electron-vite reads). */
function installed(dir) {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

/** The last meaningful line of the installer's output, e.g. "TypeError: fetch failed". */
function cause(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

const dir = electronDir();
if (!dir) {
  process.stderr.write('Electron is not installed in node_modules; run "npm ci" first.\n');
  process.exit(1);
}
if (!installed(dir)) {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const mirror = process.env.ELECTRON_MIRROR;
  process.stderr.write(
    `Downloading Electron ${version} (about 100 MB, once)${mirror ? ` from ${mirror}` : ''}…\n`,
  );
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: Number(process.env.SCIM_PORTER_ELECTRON_TIMEOUT_MS ?? 600_000),
  });
  if (r.status !== 0 || !installed(dir)) {
    const why = cause(`${r.stderr ?? ''}\n${r.stdout ?? ''}`) || r.error?.message || 'no answer';
    process.stderr.write(
      `The desktop app needs Electron's binary (about 100 MB from Electron's release host ` +
        `github.com, or from a mirror named by ELECTRON_MIRROR) and it could not be downloaded ` +
        `(${why}); the command-line tool, scim-porter, works without it.\n`,
    );
    process.exit(1);
  }
}
