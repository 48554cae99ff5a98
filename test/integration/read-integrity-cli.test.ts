/**
 * Issue 15 / issue 12 item 7 through the CLI: `discover` says the paging that will really be used,
 * `export` against a server that ignores startIndex exits 3 saying how many may be missing, and
 * `plan` stops with the cause and the way out. Apply refuses to act on a GET by id that answers
 * another user.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { applyPlan } from '../../engine/apply/apply-run';
import { serializeMappingSpec } from '../../shared/mapping/spec';
import { URN } from '../../shared/scim/urns';
import { connectTo, HR_HEADER, HR_MAPPING, planCsv } from '../harness/plan-fixtures';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
} from '../servers/deviant-server';

let dir = '';
let server: DeviantServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-integrity-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(users: number, options: DeviantOptions): Promise<DeviantServer> {
  const s = await startDeviantServer({
    seed: false,
    ...options,
    features: { maxPageSize: 10, defaultPageSize: 10, ...options.features },
  });
  for (let n = 1; n <= users; n++) {
    s.sandbox.create('User', {
      schemas: [URN.user, URN.enterpriseUser],
      userName: `p${n}@example.com`,
      active: true,
      [URN.enterpriseUser]: { employeeNumber: `E${n}` },
    });
  }
  server = s;
  return s;
}

async function cli(s: DeviantServer, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: () => undefined,
    env: { SCIM_TOKEN: s.token },
    cwd: dir,
  };
  const code = await runCli(['--data-dir', join(dir, 'data'), ...argv], io);
  return { code, text: [...out, ...err].join('\n') };
}

const ignoresStartIndex: DeviantOptions = {
  ignoreStartIndex: true,
  features: { cursorPaging: false },
};

describe('the CLI against a server that ignores startIndex', () => {
  it('discover never says index paging will be used', async () => {
    const s = await start(25, ignoresStartIndex);
    const { code, text } = await cli(s, 'discover', '--url', s.url);
    expect(code).toBe(0);
    expect(text).toMatch(/exports: one page of 10 only: startIndex was seen ignored/);
    expect(text).not.toMatch(/exports: index paging/);
    expect(text).toMatch(/does not honour startIndex/);
  });

  it('export exits 3 and says how many may be missing', async () => {
    const s = await start(25, ignoresStartIndex);
    const out = join(dir, 'users.csv');
    const { code, text } = await cli(s, 'export', 'users', '--url', s.url, '--out', out);
    expect(code).toBe(3);
    expect(text).toMatch(/possibly missing: 15/);
    expect(text).toMatch(/does not honour startIndex.*15 may be missing/);
  });

  it('plan stops with one sentence naming the cause and --lookup per-row as the way out', async () => {
    const s = await start(25, ignoresStartIndex);
    const csv = join(dir, 'hr.csv');
    await writeFile(csv, HR_HEADER + 'E1,P1,Q,p1@example.com,,,,\n');
    const mapping = join(dir, 'mapping.json');
    await writeFile(mapping, serializeMappingSpec(HR_MAPPING));
    const args = ['plan', '--csv', csv, '--mapping', mapping, '--url', s.url];
    const { code, text } = await cli(s, ...args, '--out', join(dir, 'plan.jsonl'));
    expect(code).toBe(1);
    expect(text).toMatch(/does not honour startIndex/);
    expect(text).toMatch(/--lookup per-row/);
    expect(text).not.toMatch(/changed while it was read/);
  });
});

describe('apply against a server whose GET by id answers another user', () => {
  it('deactivates nobody wrongly', async () => {
    let lying = false;
    const s = await start(6, { getByIdAnswersOther: () => lying });
    const conn = await connectTo(s);
    try {
      const planFile = await planCsv(conn, dir, HR_HEADER + 'E3,P3,Q,p3@example.com,,,,\n', {
        mode: 'deactivate-listed',
      });
      lying = true;
      const outcome = await applyPlan({
        conn,
        dataDir: join(dir, 'apply'),
        planFile,
        target: { baseUrl: s.url },
      }).catch((e: unknown) => e);
      // The prior-state read before the deactivation answered p4 for p3: the run stops there.
      expect(outcome).toMatchObject({
        code: 'read_mismatch',
        message: expect.stringMatching(/answered another resource/) as unknown,
      });
      expect(s.requests.filter((r) => r.method === 'PATCH' || r.method === 'PUT')).toHaveLength(0);
      for (let n = 1; n <= 6; n++) {
        expect(s.sandbox.getUserByUserName(`p${n}@example.com`)?.['active']).toBe(true);
      }
    } finally {
      await conn.close();
    }
  });
});
