/**
 * Crash safety, the way it happens: the built CLI applies a plan of thousands of operations and is
 * killed with SIGKILL at several points (journal transitions through the `SCIM_PORTER_KILL_AT`
 * seam, so every kill lands however fast the machine is); `runs resume` continues after each; the
 * server must then hold exactly what was planned — every user once, with the planned attributes
 * and memberships.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';

const BIN = new URL('../../bin/scim-porter.mjs', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../out/main/cli.js', import.meta.url));
const USERS = 1500;
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Where each run dies, in run order: after the outcomes of an early batch (the batches in flight
 * behind it are lost), before the requests of a late one, then in the group pass and in the
 * membership pass. Each run resumes what the one before left.
 */
const KILLS = [
  'outcome:^s100:create$',
  'intent:^s1200:create$',
  'intent:^grp:g:.*:create$',
  'outcome:^grp:.*:add:0$',
];

describe.skipIf(!BUILT)('apply survives SIGKILL at any point (built CLI)', () => {
  let dir = '';
  let server: SandboxHandle;
  let conn: OpenConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-kill-'));
    server = await startSandbox({ port: 0, seed: 0 });
    conn = await openWithOptions(
      { id: 't', name: 't', bulk: 'auto' },
      { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
    );
  });
  afterAll(async () => {
    await conn.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`applies ${USERS} users with memberships exactly once across repeated kills`, async () => {
    const lines = ['Id,First,Last,Email,Title,Groups'];
    for (let i = 0; i < USERS; i++) {
      lines.push(`E${i},First${i},Last${i},user${i}@example.com,Title ${i % 7},Team ${i % 5}`);
    }
    const csvFile = join(dir, 'people.csv');
    await writeFile(csvFile, `${lines.join('\n')}\n`);
    const planFile = join(dir, 'plan.jsonl');
    await buildPlan({
      csvFile,
      mapping: parseMappingSpec({
        version: 1,
        attributes: [
          { target: 'userName', source: { column: 'Email' } },
          { target: 'name.givenName', source: { column: 'First' } },
          { target: 'name.familyName', source: { column: 'Last' } },
          { target: 'title', source: { column: 'Title' } },
          { target: `${ENT}:employeeNumber`, source: { column: 'Id' } },
        ],
        groups: { column: 'Groups', mode: 'add' },
      }),
      outFile: planFile,
      source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
    });

    const env = {
      SCIM_TOKEN: server.token,
      SCIM_PORTER_DATA_DIR: join(dir, 'data'),
    };
    let runId: string | undefined;
    for (const point of KILLS) {
      const args = runId
        ? ['runs', 'resume', runId, '--url', server.url, '--yes']
        : [
            'apply',
            planFile,
            '--url',
            server.url,
            '--yes',
            '--concurrency',
            '4',
            '--batch-size',
            '50',
          ];
      const r = await cli(args, { ...env, SCIM_PORTER_KILL_AT: point });
      expect(r.signal, `${r.stderr}\n(${point} was never reached)`).toBe('SIGKILL');
      if (runId === undefined) {
        // Killed mid-run: part of the rows reached the server.
        expect(server.store.list('User').length).toBeGreaterThan(0);
        expect(server.store.list('User').length).toBeLessThan(USERS);
        const list = await cli(['runs', 'list', '--json'], env);
        runId = (JSON.parse(list.stdout || '[]') as { id: string }[])[0]?.id;
      }
    }
    const last = await cli(['runs', 'resume', runId ?? '', '--url', server.url, '--yes'], env);
    expect(last.code, last.stderr).toBe(0);

    const users = server.store.list('User');
    expect(users).toHaveLength(USERS);
    const names = new Set(users.map((u: ScimResource) => u['userName']));
    expect(names.size).toBe(USERS);
    for (const i of [0, 1, 777, USERS - 1]) {
      const u = server.store.getUserByUserName(`user${i}@example.com`);
      expect(u?.['title']).toBe(`Title ${i % 7}`);
      expect((u?.[ENT] as { employeeNumber?: string }).employeeNumber).toBe(`E${i}`);
    }
    const groups = server.store.list('Group');
    expect(groups.map((g: ScimResource) => g['displayName']).sort()).toEqual([
      'Team 0',
      'Team 1',
      'Team 2',
      'Team 3',
      'Team 4',
    ]);
    for (const g of groups) {
      const members = (g['members'] as { value: string }[] | undefined) ?? [];
      expect(new Set(members.map((m) => m.value)).size).toBe(USERS / 5);
      expect(members).toHaveLength(USERS / 5);
    }
  }, 240_000);
});
