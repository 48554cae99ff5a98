/**
 * Crash safety of every pass (issue 14): the built CLI applies a run that creates users, creates
 * groups, adds and removes members in chunks and sets managers; it is SIGKILLed at an exact journal
 * transition (SCIM_PORTER_KILL_AT, journal.ts), then `runs resume` finishes it. The server must then
 * hold exactly what the CSV asked for — asserted on the server — with and without Bulk.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import {
  MAX_MEMBERS,
  expectExact,
  planPassScenario,
  seedPassScenario,
} from '../harness/pass-scenario';

const BIN = new URL('../../bin/scim-porter.mjs', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../out/main/cli.js', import.meta.url));

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

/** Journal transitions to die at (`type:op-id regex`), one run each. */
const KILL_POINTS = [
  'outcome:^s\\d+:create$',
  'intent:^grp:g:.*:create$',
  'outcome:^grp:g:.*:create$',
  'outcome:^grp:.*:add:1$',
  'outcome:^grp:.*:remove:0$',
];
/** With Bulk, managers are linked by the manager pass (one PATCH per report). */
const BULK_POINTS = ['intent:^s\\d+:manager$', 'outcome:^s\\d+:manager$'];
/**
 * Without Bulk, reports are created after their managers, level by level, with the manager in the
 * POST (manager-levels.ts): n1 is on level 1, n13 on level 3.
 */
const SINGLES_POINTS = ['intent:^s1:create$', 'outcome:^s13:create$'];

describe.skipIf(!BUILT)('every pass survives SIGKILL at a journal transition (built CLI)', () => {
  let dir = '';
  let server: SandboxHandle | undefined;
  let conn: OpenConnection | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-killpass-'));
  });
  afterEach(async () => {
    await conn?.close();
    await server?.close();
    conn = undefined;
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  for (const bulk of [false, true]) {
    for (const point of [...KILL_POINTS, ...(bulk ? BULK_POINTS : SINGLES_POINTS)]) {
      it(`${bulk ? 'Bulk' : 'no Bulk'}: killed at ${point}, resumed, the server is exact`, async () => {
        server = await startSandbox({ port: 0, seed: 0, features: { bulk } });
        seedPassScenario(server.store);
        conn = await openWithOptions(
          { id: 't', name: 't', bulk: 'auto' },
          { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
        );
        const planFile = await planPassScenario(conn, dir);
        const env = { SCIM_TOKEN: server.token, SCIM_PORTER_DATA_DIR: join(dir, 'data') };
        const first = await cli(
          ['apply', planFile, '--url', server.url, '--yes', '--max-members', String(MAX_MEMBERS)],
          { ...env, SCIM_PORTER_KILL_AT: point },
        );
        expect(first.signal, `${first.stderr}\n(the kill point was never reached)`).toBe('SIGKILL');
        const list = await cli(['runs', 'list', '--json'], env);
        const runId = (JSON.parse(list.stdout || '[]') as { id: string }[])[0]?.id ?? '';
        const resumed = await cli(['runs', 'resume', runId, '--url', server.url, '--yes'], env);
        expect(resumed.code, resumed.stderr).toBe(0);
        expectExact(server.store);
      }, 60_000);
    }
  }
});
