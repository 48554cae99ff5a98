/**
 * A plan file is never trusted as written (issue #13, must-have 3). Each way of editing a plan
 * after it was made — its header's target, its summary's safeguard verdict, one row's operations,
 * a removed row, a cut file, a plan swapped between a run's start and its resume — is refused
 * with one sentence saying what changed, before any request reaches the server (the server
 * records every request it receives) and with the server unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import type { OpenConnection } from '../../engine/connections/open-connection';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { connectTo, HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { startDeviantServer, type DeviantServer } from '../servers/deviant-server';

const ENT = URN.enterpriseUser;
let dir: string;
let server: DeviantServer;
let other: DeviantServer;
let conn: OpenConnection;
let otherConn: OpenConnection;

function person(n: number): ScimResource {
  return {
    schemas: [URN.user, ENT],
    userName: `p${n}@example.com`,
    name: { givenName: `P${n}`, familyName: 'Q' },
    title: 'Clerk',
    active: true,
    [ENT]: { employeeNumber: `E${n}` },
  };
}

/** Every user as `userName → {title, active, version}`: what "unchanged" is checked against. */
function snapshot(s: DeviantServer): string {
  return JSON.stringify(
    s.sandbox
      .list('User')
      .map((u: ScimResource) => [u['userName'], u['title'], u['active'], u.meta?.version]),
  );
}

/** Three updates and a deactivation (E4 terminated), planned against `server`. */
async function makePlan(): Promise<string> {
  return planCsv(
    conn,
    dir,
    HR_HEADER +
      'E1,P1,Q,p1@example.com,Lead,Active,,\n' +
      'E2,P2,Q,p2@example.com,Lead,Active,,\n' +
      'E3,P3,Q,p3@example.com,Lead,Active,,\n' +
      'E4,P4,Q,p4@example.com,Clerk,Terminated,,\n',
  );
}

/** Applies against `target` and expects a refusal naming `what`, with nothing sent and nothing changed. */
async function expectRefused(
  planFile: string,
  what: RegExp,
  target: { conn: OpenConnection; server: DeviantServer } = { conn, server },
  extra: { runId?: string } = {},
): Promise<void> {
  const requests = target.server.requests.length;
  const state = snapshot(target.server);
  const attempt = applyPlan({
    conn: target.conn,
    dataDir: join(dir, 'data'),
    ...(extra.runId ? { runId: extra.runId } : { planFile }),
    target: { baseUrl: target.server.url },
  });
  await expect(attempt).rejects.toThrow(what);
  expect(target.server.requests.slice(requests), 'requests after the refusal').toEqual([]);
  expect(snapshot(target.server)).toBe(state);
}

/** Rewrites the plan's seal (the integrity line) for its current content, as a careful forger would. */
async function reseal(file: string): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  const integrity = JSON.parse(lines.pop() ?? '{}') as Record<string, unknown>;
  const summary = lines.pop() ?? '';
  const [header = '', ...rows] = lines;
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const sealed = {
    ...integrity,
    rows: rows.length,
    header: sha(`${header}\n`),
    rowsDigest: sha(rows.map((r) => `${r}\n`).join('')),
    summary: sha(`${summary}\n`),
    madeWith: JSON.parse(header) as unknown,
  };
  await writeFile(file, [header, ...rows, summary, JSON.stringify(sealed)].join('\n') + '\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-tamper-'));
  server = await startDeviantServer({ seed: false });
  other = await startDeviantServer({ seed: false });
  conn = await connectTo(server);
  otherConn = await connectTo(other);
  for (let n = 1; n <= 4; n++) {
    await conn.client.create('/Users', person(n));
    await otherConn.client.create('/Users', person(n));
  }
});

afterAll(async () => {
  await conn.close();
  await otherConn.close();
  await server.close();
  await other.close();
  await rm(dir, { recursive: true, force: true });
});

let planFile: string;
let text: string;
beforeEach(async () => {
  planFile = await makePlan();
  text = await readFile(planFile, 'utf8');
});

describe('a plan edited after it was made is refused before any request', () => {
  it('its header target (pointed at another server)', async () => {
    await writeFile(
      planFile,
      text.replace(`"baseUrl":"${server.url}"`, `"baseUrl":"${other.url}"`),
    );
    await expectRefused(
      planFile,
      /was changed after it was made: its header's source\.baseUrl is ".*", but it was made with ".*"/,
      { conn: otherConn, server: other },
    );
  });

  it('its summary verdict (a blocked plan edited to pass)', async () => {
    const strict = await planCsv(
      conn,
      dir,
      HR_HEADER + 'E4,P4,Q,p4@example.com,Clerk,Terminated,,\n',
      { safeguards: { deactivate: { maxCount: 0, maxPercent: 100 } } },
    );
    const blocked = await readFile(strict, 'utf8');
    await writeFile(strict, blocked.replace('"blocked":true', '"blocked":false'));
    await expectRefused(
      strict,
      /its summary says the safeguards pass, but its rows say the safeguards block it \(type 1 to run it\) — The plan deactivates 1 account, more than the limit of 0/,
    );
  });

  it("one row's operations (a title change turned into a deactivation)", async () => {
    await writeFile(
      planFile,
      text.replace(
        '{"op":"replace","path":"title","value":"Lead"}',
        '{"op":"replace","path":"active","value":false}',
      ),
    );
    await expectRefused(
      planFile,
      /row 0 \(p1@example\.com\): its operations change active, which its changes do not show/,
    );
  });

  it('a removed row', async () => {
    await writeFile(planFile, text.replace(/\{"seq":1,[^\n]*\n/, ''));
    await expectRefused(planFile, /it has 3 rows but was made with 4 \(rows were removed/);
  });

  it('a file cut short', async () => {
    await writeFile(planFile, text.slice(0, text.indexOf('{"seq":2')));
    await expectRefused(
      planFile,
      /it has no summary line \(it was not finished, or it was cut short\)/,
    );
  });

  it('a deactivation relabelled as an update, even with the seal recomputed', async () => {
    await writeFile(planFile, text.replace('"action":"deactivate"', '"action":"update"'));
    await reseal(planFile);
    await expectRefused(planFile, /its changes make it "deactivate"/);
  });

  it('a plan swapped between the start of a run and its resume', async () => {
    const dataDir = join(dir, 'data');
    const first = await applyPlan({ conn, dataDir, planFile, target: {}, canary: 1 });
    expect(first.stoppedForCanary).toBe(true);
    // The rest of the plan edited consistently (changes and operations) and resealed: every
    // check of the file passes, but it is not the plan the run started with.
    await writeFile(planFile, (await readFile(planFile, 'utf8')).replaceAll('"Lead"', '"Chief"'));
    await reseal(planFile);
    await expectRefused(
      planFile,
      /it is not the plan run .* started with \(its checksum differs\)/,
      {
        conn,
        server,
      },
      { runId: first.run.id },
    );
  });
});

describe('the untouched plan', () => {
  it('runs, so the refusals above are about the edits', async () => {
    const done = await applyPlan({ conn, dataDir: join(dir, 'data'), planFile, target: {} });
    expect(done.failed).toBe(0);
    const users = new Map(server.sandbox.list('User').map((u: ScimResource) => [u['userName'], u]));
    expect(users.get('p1@example.com')?.['title']).toBe('Lead');
    expect(users.get('p4@example.com')?.['active']).toBe(false);
  });
});
