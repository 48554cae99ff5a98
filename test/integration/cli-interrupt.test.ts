/**
 * Ctrl+C on the real built CLI: SIGINT while requests are provably in flight (held by a gate
 * proxy, released only after the CLI says it is stopping). The requests in flight finish and are
 * journalled, the run record says `interrupted` with counts that match the server, partial output
 * files are removed, one line says how to resume, and a second Ctrl+C stops at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithOptions } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { startSandbox } from '../../sandbox';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { startGateProxy, type GateProxy } from '../harness/gate-proxy';

const BIN = new URL('../../bin/scim-porter.mjs', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../out/main/cli.js', import.meta.url));
const USERS = 1000;
const MAPPING = {
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'name.givenName', source: { column: 'First' } },
    { target: 'name.familyName', source: { column: 'Last' } },
  ],
} as const;

type Child = {
  proc: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  /** Resolves once stderr matches. */
  until: (re: RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function start(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; done: () => void }[] = [];
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) {
      if (w.re.test(err)) w.done();
      else waiters.push(w);
    }
  });
  const guard = setTimeout(() => proc.kill('SIGKILL'), 50_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.on('close', (code, signal) => {
      clearTimeout(guard);
      r({ code, signal });
    }),
  );
  return {
    proc,
    stderr: () => err,
    stdout: () => out,
    until: (re) =>
      re.test(err)
        ? Promise.resolve()
        : new Promise<void>((done) => {
            waiters.push({ re, done });
          }),
    exited,
  };
}

async function run(args: string[], env: Record<string, string>) {
  const c = start(args, env);
  const r = await c.exited;
  return { ...r, stdout: c.stdout(), stderr: c.stderr() };
}

function csv(n: number): string {
  const lines = ['Email,First,Last'];
  for (let i = 0; i < n; i++) lines.push(`user${i}@example.com,First${i},Last${i}`);
  return `${lines.join('\n')}\n`;
}

/** Holds every POST after the first `pass` (Bulk or single creates alike). */
function holdPostsAfter(proxy: GateProxy, pass: number): void {
  let posts = 0;
  proxy.shut((req) => req.method === 'POST' && ++posts > pass);
}

describe.skipIf(!BUILT)('Ctrl+C in the built CLI', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-interrupt-'));
    await writeFile(join(dir, 'people.csv'), csv(USERS));
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(MAPPING));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fixture(name: string) {
    const server = await startSandbox({ port: 0, seed: 0 });
    const proxy = await startGateProxy(server.url);
    const conn = await openWithOptions(
      { id: 't', name: 't', bulk: 'auto' },
      { baseUrl: proxy.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
    );
    const planFile = join(dir, `${name}.jsonl`);
    await buildPlan({
      csvFile: join(dir, 'people.csv'),
      mapping: parseMappingSpec(MAPPING),
      outFile: planFile,
      source: { kind: 'server', conn, workDir: join(dir, `${name}-snapshots`) },
    });
    await conn.close();
    const env = { SCIM_TOKEN: server.token, SCIM_PORTER_DATA_DIR: join(dir, `${name}-data`) };
    const stop = async (): Promise<void> => {
      proxy.release();
      await proxy.close();
      await server.close();
    };
    return { server, proxy, planFile, env, stop };
  }

  it('apply: in-flight requests finish, the run is interrupted with true counts, resume completes', async () => {
    const f = await fixture('apply');
    try {
      holdPostsAfter(f.proxy, 2);
      const c = start(['apply', f.planFile, '--url', f.proxy.url, '--yes'], f.env);
      await f.proxy.whenHeld(1);
      await c.until(/operations/); // a progress line: the run is under way
      c.proc.kill('SIGINT');
      await c.until(/Stopping safely/);
      f.proxy.release();
      const r = await c.exited;
      expect(r.code, c.stderr()).toBe(130);
      const id = /Interrupted\. Resume with: scim-porter runs resume (\S+)\n/.exec(c.stderr())?.[1];
      expect(id, c.stderr()).toBeDefined();
      expect(c.stderr()).not.toMatch(/^\s+at /m);

      const record = JSON.parse(
        await readFile(join(f.env.SCIM_PORTER_DATA_DIR, 'runs', id ?? '', 'run.json'), 'utf8'),
      ) as { status: string; counts: Record<string, { done: number; pending: number }> };
      expect(record.status).toBe('interrupted');
      const onServer = f.server.store.list('User').length;
      expect(onServer).toBeGreaterThan(0);
      expect(onServer).toBeLessThan(USERS);
      expect(record.counts['create']?.done).toBe(onServer);
      expect(record.counts['create']?.pending).toBe(USERS - onServer);

      const resumed = await run(['runs', 'resume', id ?? '', '--url', f.proxy.url, '--yes'], f.env);
      expect(resumed.code, resumed.stderr).toBe(0);
      const users = f.server.store.list('User');
      expect(new Set(users.map((u: ScimResource) => u['userName'])).size).toBe(USERS);
      expect(users).toHaveLength(USERS);
    } finally {
      await f.stop();
    }
  });

  it('apply: a second Ctrl+C stops at once, and the run is still resumable', async () => {
    const f = await fixture('twice');
    try {
      holdPostsAfter(f.proxy, 1);
      const c = start(['apply', f.planFile, '--url', f.proxy.url, '--yes'], f.env);
      await f.proxy.whenHeld(1);
      await c.until(/operations/);
      c.proc.kill('SIGINT');
      await c.until(/Stopping safely/);
      c.proc.kill('SIGINT');
      const r = await c.exited; // requests are still held: only the forced exit can end it
      expect(r.code).toBe(130);
      expect(c.stderr()).toMatch(/Stopped at once/);
      const list = await run(['runs', 'list', '--json'], f.env);
      const runs = JSON.parse(list.stdout) as { id: string; status: string }[];
      expect(runs.map((x) => x.status)).toEqual(['interrupted']);
      f.proxy.release();
      const resumed = await run(
        ['runs', 'resume', runs[0]?.id ?? '', '--url', f.proxy.url, '--yes'],
        f.env,
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(f.server.store.list('User')).toHaveLength(USERS);
    } finally {
      await f.stop();
    }
  });

  it('export: stops, removes the partial file, says so', async () => {
    const server = await startSandbox({ port: 0, seed: 600 });
    const proxy = await startGateProxy(server.url);
    try {
      let lists = 0;
      proxy.shut((req) => req.method === 'GET' && /\/Users\?/.test(req.url ?? '') && ++lists > 1);
      const out = join(dir, 'users.csv');
      const c = start(['export', 'users', '--url', proxy.url, '--out', out], {
        SCIM_TOKEN: server.token,
        SCIM_PORTER_DATA_DIR: join(dir, 'export-data'),
      });
      await proxy.whenHeld(1);
      c.proc.kill('SIGINT');
      await c.until(/Stopping safely/);
      proxy.release(); // the request in flight finishes; nothing after it starts
      const r = await c.exited;
      expect(r.code, c.stderr()).toBe(130);
      expect(c.stderr()).toMatch(/Interrupted\. Nothing was written/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    } finally {
      proxy.release();
      await proxy.close();
      await server.close();
    }
  });

  it('plan: stops, leaves no plan and no snapshot behind', async () => {
    const server = await startSandbox({ port: 0, seed: 600 });
    const proxy = await startGateProxy(server.url);
    const data = join(dir, 'plan-data');
    try {
      let lists = 0;
      proxy.shut((req) => req.method === 'GET' && /\/Users\?/.test(req.url ?? '') && ++lists > 1);
      const out = join(dir, 'plan-out.jsonl');
      const c = start(
        [
          'plan',
          '--csv',
          join(dir, 'people.csv'),
          '--mapping',
          join(dir, 'mapping.json'),
          '--url',
          proxy.url,
          '--out',
          out,
        ],
        { SCIM_TOKEN: server.token, SCIM_PORTER_DATA_DIR: data },
      );
      await proxy.whenHeld(1);
      c.proc.kill('SIGINT');
      await c.until(/Stopping safely/);
      proxy.release(); // the request in flight finishes; nothing after it starts
      const r = await c.exited;
      expect(r.code, c.stderr()).toBe(130);
      expect(c.stderr()).toMatch(/Interrupted\. Nothing was written/);
      expect(readdirSync(dir).filter((n) => n.startsWith('plan-out'))).toEqual([]);
      const snapshots = join(data, 'snapshots');
      expect(existsSync(snapshots) ? readdirSync(snapshots) : []).toEqual([]);
    } finally {
      proxy.release();
      await proxy.close();
      await server.close();
    }
  });

  it('sandbox start says "data saved" only when it saved data', async () => {
    const memory = start(['sandbox', 'start'], {});
    await memory.until(/listening/);
    memory.proc.kill('SIGINT');
    expect((await memory.exited).code).toBe(0);
    expect(memory.stderr()).toMatch(/in memory only/);
    expect(memory.stderr()).not.toMatch(/data saved/);

    const kept = join(dir, 'sandbox-data');
    const disk = start(['sandbox', 'start', '--data', kept, '--seed', '3'], {});
    await disk.until(/listening/);
    disk.proc.kill('SIGTERM');
    expect((await disk.exited).code).toBe(0);
    expect(disk.stderr()).toContain(`data saved in ${kept}`);
    expect(readdirSync(kept).length).toBeGreaterThan(0);
  });

  it('a canary that leaves rows pending exits 3, as documented', async () => {
    const f = await fixture('canary');
    try {
      const r = await run(
        ['apply', f.planFile, '--url', f.proxy.url, '--yes', '--canary', '5'],
        f.env,
      );
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/Canary done/);
      expect(f.server.store.list('User').length).toBeLessThan(USERS);
    } finally {
      await f.stop();
    }
  });
});
