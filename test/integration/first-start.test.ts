// `npm start` on a fresh checkout: the pre-step fetches Electron through Electron's own installer
// (here from a loopback mirror serving a stand-in release of our making, with its SHASUMS256.txt),
// unpacks it, and electron-vite launches it; the stand-in boots the built main bundle under the
// electron stub and reports the window it opened. Runs in a throwaway copy of the app, so the
// checkout's node_modules/electron is never touched.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAppCopy, REPO, standInRelease, startMirror } from '../harness/first-start';

const electronPkg: unknown = JSON.parse(
  readFileSync(join(REPO, 'node_modules/electron/package.json'), 'utf8'),
);
const VERSION =
  typeof electronPkg === 'object' && electronPkg !== null && 'version' in electronPkg
    ? String(electronPkg.version)
    : '';
const LINUX_X64 = process.platform === 'linux' && process.arch === 'x64';

type Run = { code: number | null; stdout: string; stderr: string };

function npmStart(cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const SENTENCE =
  /The desktop app needs Electron's binary \(about 100 MB .*ELECTRON_MIRROR\).*the command-line tool, scim-porter, works without it\./;

describe.skipIf(!LINUX_X64)('first start: npm start fetches Electron first', () => {
  let work = '';
  let app = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'scim-porter-first-start-'));
    app = join(work, 'app');
    await import('node:fs/promises').then((fs) => fs.mkdir(app));
    makeAppCopy(app);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('downloads the release from the mirror, checks it, unpacks it and launches it', async () => {
    const release = standInRelease(VERSION);
    const mirror = await startMirror(VERSION, release);
    const cache = join(work, 'cache');
    const report = join(work, 'report.json');
    try {
      const r = await npmStart(app, {
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: cache,
        electron_use_remote_checksums: '1',
        STAND_IN_REPORT: report,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(mirror.requests).toEqual(
        expect.arrayContaining([`/v${VERSION}/${release.file}`, `/v${VERSION}/SHASUMS256.txt`]),
      );
      const electron = join(app, 'node_modules/electron');
      expect(readFileSync(join(electron, 'path.txt'), 'utf8')).toBe('electron');
      expect(existsSync(join(electron, 'dist/electron'))).toBe(true);
      expect(readdirSync(cache, { recursive: true }).some((f) => String(f).endsWith('.zip'))).toBe(
        true,
      );
      const opened = JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
      expect(opened).toMatchObject({
        main: join(app, 'out/main/index.js'),
        windows: 1,
        // The app's own page, served from out/renderer by its app:// handler.
        loaded: 'app://scim-porter/index.html',
        served: { status: 200, hasRoot: true },
        preload: join(app, 'out/preload/index.cjs'),
      });
      expect(existsSync(join(REPO, 'node_modules/electron/path.txt'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });

  it('refuses an archive whose checksum does not match, in one sentence', async () => {
    const fresh = join(work, 'app2');
    await import('node:fs/promises').then((fs) => fs.mkdir(fresh));
    makeAppCopy(fresh);
    const mirror = await startMirror(VERSION, standInRelease(VERSION), '0'.repeat(64));
    try {
      const r = await npmStart(fresh, {
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: join(work, 'cache2'),
        electron_use_remote_checksums: '1',
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(SENTENCE);
      expect(existsSync(join(fresh, 'node_modules/electron/path.txt'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });

  it('says what is needed when no mirror answers: one sentence, exit 1, no stack trace', async () => {
    const fresh = join(work, 'app3');
    await import('node:fs/promises').then((fs) => fs.mkdir(fresh));
    makeAppCopy(fresh);
    const closed = await startMirror(VERSION, standInRelease(VERSION));
    await closed.close(); // nothing listens on that port any more
    const r = await npmStart(fresh, {
      ELECTRON_MIRROR: closed.url,
      electron_config_cache: join(work, 'cache3'),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(SENTENCE);
    expect(r.stderr.split('\n').filter((l) => SENTENCE.test(l))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('Electron uninstall');
  });
});
