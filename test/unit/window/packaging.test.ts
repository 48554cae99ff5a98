import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const file = (path: string): URL => new URL(path, root);

type Target = string | { target: string; arch?: string[] };
type BuilderConfig = {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  win: { target: Target[]; icon: string };
  mac: { target: Target[]; icon: string; hardenedRuntime: boolean };
  linux: { target: Target[]; icon: string; executableName: string; maintainer: string };
};
type PackageJson = {
  name: string;
  productName: string;
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  build: BuilderConfig;
};

const pkg = JSON.parse(readFileSync(file('package.json'), 'utf8')) as PackageJson;
const build = pkg.build;
const targetNames = (targets: Target[]): string[] =>
  targets.map((t) => (typeof t === 'string' ? t : t.target));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('electron-builder configuration (package.json "build")', () => {
  it('names the app', () => {
    expect(build.appId).toBe('io.scimporter.app');
    expect(build.productName).toBe('SCIM Porter');
    expect(build.productName).toBe(pkg.productName);
  });

  it('builds NSIS on Windows, dmg on macOS, AppImage and deb on Linux', () => {
    expect(targetNames(build.win.target)).toEqual(['nsis']);
    expect(targetNames(build.mac.target)).toEqual(['dmg']);
    expect(targetNames(build.linux.target)).toEqual(['AppImage', 'deb']);
  });

  it('packs the built app, whose entry point is package.json "main"', () => {
    expect(build.files).toContain('out/**');
    expect(pkg.main).toBe('./out/main/index.js');
    // The sandboxed preload and the page are loaded relative to out/main at run time.
    expect(
      build.files.every((f) => f.startsWith('out/') || f.startsWith('!') || f === 'package.json'),
    ).toBe(true);
  });

  it('needs no resources/ at run time: the mapping presets are compiled into the bundle', () => {
    const presets = readFileSync(file('shared/mapping/presets.ts'), 'utf8');
    expect(presets).toMatch(
      /from '\.\.\/\.\.\/resources\/presets\/[\w-]+\.json' with \{ type: 'json' \}/,
    );
  });

  it('points every platform at an icon that exists, in the size electron-builder needs', () => {
    expect(build.directories.buildResources).toBe('resources');
    for (const icon of [build.win.icon, build.mac.icon, build.linux.icon]) {
      expect(existsSync(file(icon)), icon).toBe(true);
    }
    // Linux (and the fallback for every platform): a PNG of at least 512x512.
    expect(pngSize(readFileSync(file(build.linux.icon)))).toEqual({ width: 512, height: 512 });
    // Windows: an ICO whose largest image is 256x256.
    const ico = readFileSync(file(build.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, k) => ico[6 + 16 * k] || 256);
    expect(widths).toContain(256);
    // macOS: an ICNS with 512 and 1024 px images.
    const icns = readFileSync(file(build.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      types.push(icns.subarray(at, at + 4).toString('ascii'));
    }
    expect(types).toEqual(expect.arrayContaining(['ic09', 'ic10']));
  });

  it('has a Linux executable name and a deb maintainer (fpm refuses a deb without one)', () => {
    expect(build.linux.executableName).toMatch(/^[a-z0-9-]+$/);
    expect(build.linux.maintainer.length).toBeGreaterThan(0);
  });

  it('turns off the Electron fuses that let a packaged app run as plain Node', () => {
    expect(build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      // The page is served over app:// (app-protocol.ts), so file:// needs no extra powers.
      grantFileProtocolExtraPrivileges: false,
    });
    expect(build.mac.hardenedRuntime).toBe(true);
  });

  it('skips the native-module rebuild, because no runtime dependency is native', () => {
    expect(build.npmRebuild).toBe(false);
    for (const dep of Object.keys(pkg.dependencies)) {
      const dir = file(`node_modules/${dep}/`);
      const meta = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        gypfile?: boolean;
      };
      expect(meta.gypfile, dep).not.toBe(true);
      expect(existsSync(new URL('binding.gyp', dir)), dep).toBe(false);
    }
  });

  it('has dist scripts for each platform', () => {
    expect(pkg.scripts['dist']).toBe('electron-vite build && electron-builder');
    expect(pkg.scripts['dist:win']).toMatch(/electron-builder --win$/);
    expect(pkg.scripts['dist:mac']).toMatch(/electron-builder --mac$/);
    expect(pkg.scripts['dist:linux']).toMatch(/electron-builder --linux$/);
  });
});
