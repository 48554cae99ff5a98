// Helpers for the first-start test: a throwaway copy of the app whose node_modules/electron is a
// real copy (so Electron's installer writes there, never into the checkout's), a stand-in Electron
// release archive, and a loopback mirror serving it the way Electron's release host does.
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Sources are linked, build config and package.json copied, electron + electron-vite copied. */
export function makeAppCopy(dir: string): void {
  for (const name of [
    'electron',
    'engine',
    'cli',
    'sandbox',
    'renderer',
    'shared',
    'resources',
    'scripts',
    'bin',
  ]) {
    symlinkSync(join(REPO, name), join(dir, name));
  }
  for (const name of ['package.json', 'electron.vite.config.ts', 'tsconfig.json']) {
    cpSync(join(REPO, name), join(dir, name));
  }
  for (const name of readdirSync(REPO)) {
    if (name.startsWith('tsconfig.')) cpSync(join(REPO, name), join(dir, name));
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  const copied = new Set(['electron', 'electron-vite', '.bin']);
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (!copied.has(name)) symlinkSync(join(REPO, 'node_modules', name), join(modules, name));
  }
  const skip = (src: string): boolean => !/\/electron\/(dist|path\.txt)/.test(src);
  cpSync(join(REPO, 'node_modules/electron'), join(modules, 'electron'), {
    recursive: true,
    filter: skip,
  });
  cpSync(join(REPO, 'node_modules/electron-vite'), join(modules, 'electron-vite'), {
    recursive: true,
  });
  symlinkSync('../electron-vite/bin/electron-vite.js', join(modules, '.bin/electron-vite'));
}

type Entry = { name: string; data: Buffer; mode: number };

/** A minimal ZIP (stored, no compression) with Unix modes, as Electron's release zips carry. */
function makeZip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** An electron-vVERSION-linux-x64.zip whose `electron` boots the main bundle under the stub. */
export function standInRelease(version: string): { file: string; zip: Buffer } {
  const script = [
    '#!/bin/sh',
    `exec "${process.execPath}" --import "${REPO}/test/smoke/register.mjs" "${REPO}/test/smoke/stand-in-electron.mjs" "$@"`,
    '',
  ].join('\n');
  const zip = makeZip([
    { name: 'electron', data: Buffer.from(script), mode: 0o755 },
    { name: 'version', data: Buffer.from(`v${version}`), mode: 0o644 },
    { name: 'LICENSE', data: Buffer.from('stand-in\n'), mode: 0o644 },
  ]);
  return { file: `electron-v${version}-linux-x64.zip`, zip };
}

type Mirror = { url: string; requests: string[]; close: () => Promise<void> };

/** Serves `/vVERSION/FILE` and a SHASUMS256.txt for it (`sum` overrides the listed checksum). */
export async function startMirror(
  version: string,
  release: { file: string; zip: Buffer },
  sum?: string,
): Promise<Mirror> {
  const requests: string[] = [];
  const digest = sum ?? createHash('sha256').update(release.zip).digest('hex');
  const files = new Map<string, Buffer>([
    [`/v${version}/${release.file}`, release.zip],
    [`/v${version}/SHASUMS256.txt`, Buffer.from(`${digest} *${release.file}\n`)],
  ]);
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}
