import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These tests run the built CLI exactly as a user would (`scim-porter` → bin → out/main/cli.js).
const BIN = new URL('../../bin/scim-porter.mjs', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../out/main/cli.js', import.meta.url));

type Run = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string> = {}, dataDir?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env['PATH'] ?? '',
        SCIM_PORTER_DATA_DIR: dataDir ?? '/nonexistent',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!BUILT)('scim-porter CLI (built bundle)', () => {
  let sandbox: ChildProcess;
  let url = '';
  let token = '';
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scim-porter-cli-'));
    sandbox = spawn(process.execPath, [BIN, 'sandbox', 'start', '--seed', '25'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: sandbox.stdout! });
      rl.once('line', (l) => {
        resolve(l);
      });
      sandbox.once('exit', (c) => {
        reject(new Error(`sandbox exited ${String(c)}`));
      });
    });
    ({ url, token } = JSON.parse(first) as { url: string; token: string });
  });
  afterAll(async () => {
    sandbox.kill('SIGTERM');
    await new Promise((r) => sandbox.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sandbox start prints one JSON line with a loopback URL and a token', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(token.length).toBeGreaterThanOrEqual(16);
  });

  it('--help works and unknown commands exit 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('sandbox start');
    const bad = await cli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown command');
  });

  it('discover --json prints the sandbox capabilities', async () => {
    const r = await cli(['discover', '--url', url, '--json'], { SCIM_TOKEN: token });
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as {
      baseUrl: string;
      serviceProviderConfig: { bulk: { supported: boolean }; pagination: { cursor: boolean } };
    };
    expect(d.baseUrl).toBe(url);
    expect(d.serviceProviderConfig.bulk.supported).toBe(true);
    expect(d.serviceProviderConfig.pagination.cursor).toBe(true);
  });

  it('discover tolerates a base URL without /v2 and with a trailing slash', async () => {
    const r = await cli(['discover', '--url', url.replace(/\/v2$/, '/'), '--json'], {
      SCIM_TOKEN: token,
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { baseUrl: string }).baseUrl).toBe(url);
  });

  it('get users --json streams every seeded user once; --filter narrows', async () => {
    const all = await cli(['get', 'users', '--url', url, '--json'], { SCIM_TOKEN: token });
    expect(all.code, all.stderr).toBe(0);
    const users = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; userName: string });
    expect(users).toHaveLength(25);
    expect(new Set(users.map((u) => u.id)).size).toBe(25);
    const one = await cli(
      ['get', 'users', '--url', url, '--json', '--filter', `userName eq "${users[3]!.userName}"`],
      {
        SCIM_TOKEN: token,
      },
    );
    expect(
      one.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual([users[3]!.id]);
  });

  it('export users --out writes a CSV of every user and a summary; jsonl keeps them all', async () => {
    const out = join(dataDir, 'users.csv');
    const r = await cli(['export', 'users', '--url', url, '--out', out], { SCIM_TOKEN: token });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Exported 25 user resources to .*users\.csv/);
    expect(r.stderr).toMatch(/duplicates dropped: 0/);
    const text = await readFile(out, 'utf8');
    const header = text.split('\r\n')[0]!;
    expect(header.split(',')[0]).toBe('id');
    expect(header.split(',')).toContain('userName');
    expect(text.split('\r\n').filter(Boolean).length).toBeGreaterThanOrEqual(26);
    const j = await cli(
      ['export', 'users', '--url', url, '--out', join(dataDir, 'u.jsonl'), '--json'],
      { SCIM_TOKEN: token },
    );
    expect(j.code, j.stderr).toBe(0);
    expect((JSON.parse(j.stdout) as { exported: number; format: string }).format).toBe('jsonl');
    const lines = (await readFile(join(dataDir, 'u.jsonl'), 'utf8')).trim().split('\n');
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(25);
  });

  it('mapping suggest → plan: an exported CSV re-imports as zero changes; --json gives the counts', async () => {
    const csv = join(dataDir, 'roundtrip.csv');
    const e = await cli(['export', 'users', '--url', url, '--out', csv], { SCIM_TOKEN: token });
    expect(e.code, e.stderr).toBe(0);
    const s = await cli(['mapping', 'suggest', csv]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('recognised as scim-porter-export');
    const mapping = join(dataDir, 'mapping.json');
    await writeFile(mapping, s.stdout);
    const planFile = join(dataDir, 'plan.jsonl');
    const p = await cli(
      ['plan', '--csv', csv, '--mapping', mapping, '--url', url, '--out', planFile, '--json'],
      { SCIM_TOKEN: token },
      dataDir,
    );
    expect(p.code, p.stderr).toBe(0);
    const summary = JSON.parse(p.stdout) as { counts: Record<string, number> };
    expect(summary.counts).toEqual({
      create: 0,
      update: 0,
      reactivate: 0,
      deactivate: 0,
      delete: 0,
      unchanged: 25,
      'not-found': 0,
      protected: 0,
      conflict: 0,
      invalid: 0,
    });
    expect(p.stderr).toMatch(
      /create 0 · update 0 · reactivate 0 · deactivate 0 · delete 0 · unchanged 25/,
    );
    expect(p.stderr).toContain('25 accounts are already as the file says (unchanged)');
    // Header, 25 rows, summary, integrity.
    const lines = (await readFile(planFile, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(28);

    // A sweep of everyone not listed (an empty list) is blocked by the safeguard: exit 3.
    const empty = join(dataDir, 'nobody.csv');
    await writeFile(empty, 'userName\n');
    const m2 = join(dataDir, 'm2.json');
    await writeFile(
      m2,
      JSON.stringify({
        version: 1,
        attributes: [{ target: 'userName', source: { column: 'userName' } }],
      }),
    );
    const sweep = await cli(
      [
        'plan',
        '--csv',
        empty,
        '--mapping',
        m2,
        '--url',
        url,
        '--out',
        join(dataDir, 'sweep.jsonl'),
        '--mode',
        'deactivate-unlisted',
      ],
      { SCIM_TOKEN: token },
      dataDir,
    );
    expect(sweep.code, sweep.stderr).toBe(3);
    expect(sweep.stderr).toMatch(/Blocked: .*--override-safeguards \d+/);
  });

  it('escape sequences from a file never reach the terminal raw (mapping suggest, plan)', async () => {
    const csv = join(dataDir, 'escapes.csv');
    await writeFile(
      csv,
      'userName,"\x1b]8;;http://evil.example\x07Name\x1b]8;;\x07"\n' +
        'ada@example.com,Ada\x1b[2J\nbob@example.com,Bob\n',
    );
    const s = await cli(['mapping', 'suggest', csv]);
    expect(s.code, s.stderr).toBe(0);
    await writeFile(join(dataDir, 'm-esc.json'), s.stdout);
    const p = await cli(
      [
        'plan',
        '--csv',
        csv,
        '--mapping',
        join(dataDir, 'm-esc.json'),
        '--url',
        url,
        '--out',
        join(dataDir, 'esc.jsonl'),
      ],
      { SCIM_TOKEN: token },
      dataDir,
    );
    expect(p.code, p.stderr).toBe(3);
    for (const text of [s.stdout, s.stderr, p.stdout, p.stderr]) {
      // eslint-disable-next-line no-control-regex -- the test is that none are printed
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    expect(s.stderr).toContain('\\u001b]8;;http://evil.example\\u0007Name');
    expect(p.stderr).toContain(
      'Row 1 (line 2) of escapes.csv has a control character (escape U+001B)',
    );
  });

  it('apply --yes runs a plan, runs list/show see it, runs undo plans the way back', async () => {
    const csv = join(dataDir, 'hires.csv');
    await writeFile(
      csv,
      'userName,name.givenName,title\nnew.hire1@example.com,New,Hire\nnew.hire2@example.com,Also,New\n',
    );
    const mapping = join(dataDir, 'hires.json');
    const s = await cli(['mapping', 'suggest', csv]);
    expect(s.code, s.stderr).toBe(0);
    await writeFile(mapping, s.stdout);
    const planFile = join(dataDir, 'hires.jsonl');
    const env = { SCIM_TOKEN: token };
    const p = await cli(
      ['plan', '--csv', csv, '--mapping', mapping, '--url', url, '--out', planFile],
      env,
      dataDir,
    );
    expect(p.code, p.stderr).toBe(0);
    const refused = await cli(['apply', planFile, '--url', url], env, dataDir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Pass --yes');
    const a = await cli(['apply', planFile, '--url', url, '--yes', '--json'], env, dataDir);
    expect(a.code, a.stderr).toBe(0);
    const result = JSON.parse(a.stdout) as { run: { id: string; status: string } };
    expect(result.run.status).toBe('completed');
    const list = await cli(['runs', 'list', '--json'], {}, dataDir);
    const runs = JSON.parse(list.stdout) as { id: string; status: string }[];
    expect(runs[0]).toMatchObject({ id: result.run.id, status: 'completed' });
    const got = await cli(
      ['get', 'users', '--url', url, '--filter', 'userName sw "new.hire"', '--json'],
      env,
    );
    expect(got.stdout.trim().split('\n')).toHaveLength(2);
    const undoPlan = join(dataDir, 'undo.jsonl');
    const u = await cli(
      ['runs', 'undo', result.run.id, '--url', url, '--out', undoPlan],
      env,
      dataDir,
    );
    expect(u.code, u.stderr).toBe(0);
    expect(u.stderr).toContain('2 accounts will be deleted (delete)');
    const back = await cli(['apply', undoPlan, '--url', url, '--yes'], env, dataDir);
    expect(back.code, back.stderr).toBe(0);
    const after = await cli(
      ['get', 'users', '--url', url, '--filter', 'userName sw "new.hire"', '--json'],
      env,
    );
    expect(after.stdout.trim()).toBe('');
  });

  it('a wrong token fails with exit 1, a sentence and a next step; a bad filter is caught before sending', async () => {
    const r = await cli(['get', 'users', '--url', url], { SCIM_TOKEN: 'wrong-token' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .+/m);
    expect(r.stderr).toMatch(/^Next step: .+/m);
    expect(r.stderr).not.toContain('wrong-token');
    const f = await cli(['get', 'users', '--url', url, '--filter', 'userName eq unquoted'], {
      SCIM_TOKEN: token,
    });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/filter/i);
  });

  it('an unreachable host and a malformed URL give one clear sentence each', async () => {
    const refused = await cli(['discover', '--url', 'http://127.0.0.1:1/scim/v2'], {
      SCIM_TOKEN: 'x',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: .*127\.0\.0\.1:1/m);
    const malformed = await cli(['discover', '--url', 'not a url'], { SCIM_TOKEN: 'x' });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^Error: .*URL/m);
  });

  it('connections add/list/test/remove round-trip through the data folder, secret from the environment', async () => {
    const add = await cli(['connections', 'add', 'Sandbox CLI', '--url', url], {}, dataDir);
    expect(add.code, add.stderr).toBe(0);
    const list = await cli(['connections', 'list', '--json'], {}, dataDir);
    const profiles = JSON.parse(list.stdout) as { name: string; baseUrl: string }[];
    expect(profiles.map((p) => p.name)).toEqual(['Sandbox CLI']);
    const noSecret = await cli(['connections', 'test', 'Sandbox CLI'], {}, dataDir);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('SCIM_TOKEN');
    const test = await cli(
      ['connections', 'test', 'sandbox cli', '--json'],
      { SCIM_TOKEN: token },
      dataDir,
    );
    expect(test.code, test.stderr).toBe(0);
    expect((JSON.parse(test.stdout) as { baseUrl: string }).baseUrl).toBe(url);
    const rm = await cli(['connections', 'remove', 'Sandbox CLI'], {}, dataDir);
    expect(rm.code).toBe(0);
    const after = await cli(['connections', 'list', '--json'], {}, dataDir);
    expect(JSON.parse(after.stdout)).toEqual([]);
  });
});
