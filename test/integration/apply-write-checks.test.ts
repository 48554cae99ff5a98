/**
 * Writes are checked against what was asked (issue 15, write side): a 409 on create becomes the
 * minimal diff against the existing account (never a pathless replace of the whole body), and an
 * answer that lacks attributes the run sent is reported per row and keeps the run from being a
 * clean success. Asserted on the server and on the requests it received.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { parseMappingSpec } from '../../shared/mapping/spec';
import { URN } from '../../shared/scim/urns';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
} from '../servers/deviant-server';

const MAPPING = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'name.givenName', source: { column: 'First' } },
    { target: 'title', source: { column: 'Title' } },
    { target: 'emails[type eq "work"].value', source: { column: 'Email' } },
  ],
  match: { keys: [['userName']] },
});

let dir = '';
let server: DeviantServer | undefined;
let conn: OpenConnection | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-writecheck-'));
});
afterEach(async () => {
  await conn?.close();
  await server?.close();
  conn = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function setUp(options: DeviantOptions, csv: string): Promise<string> {
  server = await startDeviantServer({ noBulk: true, ...options });
  conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 5_000 },
  );
  const csvFile = join(dir, 'in.csv');
  await writeFile(csvFile, `Email,First,Title\n${csv}`);
  const planFile = join(dir, 'plan.jsonl');
  await buildPlan({
    csvFile,
    mapping: MAPPING,
    outFile: planFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
  });
  return planFile;
}

function run(planFile: string): ReturnType<typeof applyPlan> {
  if (!conn || !server) throw new Error('not set up');
  return applyPlan({ conn, dataDir: join(dir, 'data'), planFile, target: { baseUrl: server.url } });
}

describe('writes checked against what was asked', () => {
  it('a 409 on create sends only what differs, never a pathless replace', async () => {
    const planFile = await setUp({}, 'ann@example.com,Ann,Analyst\nbo@example.com,Bo,Clerk\n');
    // Ann appears after planning, with the same title and email but another first name.
    server?.sandbox.create('User', {
      schemas: [URN.user],
      userName: 'ann@example.com',
      name: { givenName: 'Anne' },
      title: 'Analyst',
      emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
    });
    const r = await run(planFile);
    expect(r.failed).toBe(0);
    expect(r.run.status).toBe('completed');
    const patches = (server?.requests ?? []).filter((q) => q.method === 'PATCH');
    expect(patches).toHaveLength(1);
    const ops = (patches[0]?.body as { Operations: { op: string; path?: string }[] }).Operations;
    expect(ops).toEqual([{ op: 'replace', path: 'name', value: { givenName: 'Ann' } }]);
    const ann = server?.sandbox.getUserByUserName('ann@example.com');
    expect((ann?.['name'] as { givenName?: string }).givenName).toBe('Ann');
    expect(ann?.['emails']).toHaveLength(1);
    expect(server?.sandbox.list('User')).toHaveLength(2);
  });

  it('a 409 on an account already as planned sends nothing more', async () => {
    const planFile = await setUp({}, 'ann@example.com,Ann,Analyst\n');
    server?.sandbox.create('User', {
      schemas: [URN.user],
      userName: 'ann@example.com',
      name: { givenName: 'Ann' },
      title: 'Analyst',
      emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
    });
    const r = await run(planFile);
    expect(r.run.status).toBe('completed');
    expect((server?.requests ?? []).filter((q) => q.method === 'PATCH')).toHaveLength(0);
  });

  it('attributes the server dropped are reported per row; the run is not a clean success', async () => {
    const planFile = await setUp(
      { dropOnWrite: ['title'] },
      'ann@example.com,Ann,Analyst\nbo@example.com,Bo,Clerk\n',
    );
    const r = await run(planFile);
    expect(r.failed).toBe(0);
    expect(r.differences).toBe(2);
    expect(r.run.status).toBe('completed with failures');
    // The server really lacks them.
    expect(server?.sandbox.getUserByUserName('ann@example.com')?.['title']).toBeUndefined();
    const report = await readFile(r.reportFile, 'utf8');
    expect(report).toMatch(
      /ann@example\.com,create,differs,[^,]*,The server's answer lacks or changed: title\./,
    );
    expect(report).toMatch(/bo@example\.com,create,differs/);
  });
});
