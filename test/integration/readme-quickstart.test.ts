// The README's quick start, run exactly as written: the block for the second terminal (the
// sandbox) in the background, then the first terminal's block with bash, against it. `npm link`
// is not run (it would rebuild out/ under the other tests); the PATH gets what it makes instead:
// a `scim-porter` link to the package's bin, checked against package.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const BUILT = existsSync(join(ROOT, 'out/main/cli.js'));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- quickstart:${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!m?.[1]) throw new Error(`README has no quickstart:${name} block`);
  return m[1];
}

function binTarget(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (typeof pkg === 'object' && pkg !== null && 'bin' in pkg) {
    const bin = pkg.bin;
    if (typeof bin === 'object' && bin !== null && 'scim-porter' in bin) {
      return String(bin['scim-porter']);
    }
  }
  throw new Error('package.json has no scim-porter bin');
}

describe.skipIf(!BUILT)('README quick start, exactly as written', () => {
  let work = '';
  let env: Record<string, string> = {};
  let sandbox: ChildProcess | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'scim-porter-quickstart-'));
    const bin = join(work, 'bin');
    spawnSync('mkdir', ['-p', bin, join(work, 'checkout')]);
    symlinkSync(join(ROOT, binTarget()), join(bin, 'scim-porter')); // what `npm link` makes
    symlinkSync(join(ROOT, 'examples'), join(work, 'checkout', 'examples'));
    env = {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      HOME: work,
      SCIM_PORTER_DATA_DIR: join(work, 'data'),
    };
  });
  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) {
      sandbox.kill('SIGINT');
      await new Promise((r) => sandbox?.once('exit', r));
    }
    await rm(work, { recursive: true, force: true });
  });

  it('imports the sample HR CSV into the sandbox', async () => {
    const second = block('terminal-1').trim();
    expect(second.split('\n')).toHaveLength(1);
    sandbox = spawn('bash', ['-c', `exec ${second}`], { env, cwd: join(work, 'checkout') });
    let serr = '';
    await new Promise<void>((resolve, reject) => {
      sandbox?.stderr?.on('data', (d: Buffer) => {
        serr += d.toString();
        if (serr.includes('listening')) resolve();
      });
      sandbox?.once('exit', (c) => {
        reject(new Error(`the sandbox exited (${String(c)}): ${serr}`));
      });
    });

    const first = block('terminal-2');
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', first], {
      env,
      cwd: join(work, 'checkout'),
      encoding: 'utf8',
      timeout: 45_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toContain('10 accounts will be created');
    expect(r.stderr).toMatch(/Run \S+: completed\./);
    const names = [...r.stdout.matchAll(/(\S+@example\.com)/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(10);
    expect(r.stdout).toMatch(/margaret\.hamilton@example\.com.*false/);

    sandbox.kill('SIGINT');
    await new Promise((res) => sandbox?.once('exit', res));
    expect(serr).toContain('in memory only');
  }, 60_000);
});
