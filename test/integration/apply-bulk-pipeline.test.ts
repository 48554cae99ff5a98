/**
 * Several Bulk requests in flight (issue 18 part 2): the row pass keeps as many Bulk requests open
 * as the connection has slots, and stays exact when some of them fail while others are in flight —
 * answers lost after the server applied them, 503s after the write. Every case asserts the server
 * afterwards (each planned user exactly once, with its planned attributes) and the journal.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import type { ScimRequest, ScimResponse } from '../../engine/scim/transport/types';
import { parseMappingSpec } from '../../shared/mapping/spec';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
  type RecordedRequest,
} from '../servers/deviant-server';

const MAPPING = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'title', source: { column: 'Title' } },
  ],
  match: { keys: [['userName']] },
});
const BULK_MAX = 10;

let dir = '';
let server: DeviantServer | undefined;
let conn: OpenConnection | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-bulk-pipeline-'));
});
afterEach(async () => {
  await conn?.close();
  await server?.close();
  conn = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function setUp(
  options: DeviantOptions,
  n: number,
): Promise<{ conn: OpenConnection; planFile: string }> {
  server = await startDeviantServer({
    ...options,
    features: { bulk: true, bulkMaxOperations: BULK_MAX },
  });
  const c = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    {
      baseUrl: server.url,
      auth: { kind: 'bearer', token: server.token },
      timeoutMs: 5_000,
      maxConcurrency: 8,
    },
  );
  conn = c;
  const lines = ['Email,Title'];
  for (let i = 0; i < n; i++) lines.push(`user${i}@example.com,Title ${i}`);
  const csvFile = join(dir, 'in.csv');
  await writeFile(csvFile, `${lines.join('\n')}\n`);
  const planFile = join(dir, 'plan.jsonl');
  await buildPlan({
    csvFile,
    mapping: MAPPING,
    outFile: planFile,
    source: { kind: 'server', conn: c, workDir: join(dir, 'snapshots') },
  });
  return { conn: c, planFile };
}

function expectEachOnce(n: number): void {
  const users = server?.sandbox.list('User') ?? [];
  const names = users.map((u) => u['userName']);
  expect(names).toHaveLength(n);
  expect(new Set(names).size).toBe(n);
  for (const u of users) {
    const i = /^user(\d+)@/.exec(String(u['userName']))?.[1];
    expect(u['title']).toBe(`Title ${i ?? '?'}`);
  }
}

function bulkRequests(): RecordedRequest[] {
  return (server?.requests ?? []).filter((r) => r.method === 'POST' && r.path.endsWith('/Bulk'));
}

/** Every n-th Bulk request the server sees (counted from 1), for dropConnection's `match`. */
function nthBulk(...which: number[]): (req: RecordedRequest) => boolean {
  let seen = 0;
  return (req) => {
    if (req.method !== 'POST' || !req.path.endsWith('/Bulk')) return false;
    seen += 1;
    return which.includes(seen);
  };
}

async function journalOf(runId: string): Promise<string> {
  return readFile(join(dir, 'runs', runId, 'journal.jsonl'), 'utf8');
}

describe('Bulk requests in flight together', () => {
  it('keeps more Bulk requests open at once than the old four-batch pipeline', async () => {
    const { conn: c, planFile } = await setUp({}, 200);
    // A gate above the transport: no Bulk request is answered until six are open at once. A row
    // pass that keeps fewer in flight never opens the gate, and the test times out.
    const send = c.http.request.bind(c.http);
    const held: (() => void)[] = [];
    let open = 0;
    let most = 0;
    c.http.request = async <T>(req: ScimRequest): Promise<ScimResponse<T>> => {
      if (req.path !== '/Bulk') return send<T>(req);
      open += 1;
      most = Math.max(most, open);
      if (held.length < 5 && most < 6) await new Promise<void>((go) => held.push(go));
      else for (const go of held.splice(0)) go();
      try {
        return await send<T>(req);
      } finally {
        open -= 1;
      }
    };
    const r = await applyPlan({ conn: c, dataDir: dir, planFile, target: {}, concurrency: 8 });
    expect(r.failed + r.unknown).toBe(0);
    expect(most).toBeGreaterThanOrEqual(6);
    expect(bulkRequests()).toHaveLength(200 / BULK_MAX);
    expectEachOnce(200);
  }, 20_000);

  it('settles the ops of Bulk requests whose answers were lost while others were in flight (no duplicates)', async () => {
    const { conn: c, planFile } = await setUp(
      { dropConnection: { when: 'after-apply', match: nthBulk(3, 4, 9), times: 3 } },
      150,
    );
    const first = await applyPlan({ conn: c, dataDir: dir, planFile, target: {} });
    // Thirty creates were applied but their answers lost: journalled unknown, then found by
    // userName instead of being created again.
    expect((await journalOf(first.run.id)).match(/"status":"unknown"/g)).toHaveLength(3 * BULK_MAX);
    expect(first.failed + first.unknown).toBe(0);
    expect(first.run.counts['create']?.done).toBe(150);
    expectEachOnce(150);
    const resumed = await applyPlan({ conn: c, dataDir: dir, runId: first.run.id, target: {} });
    expect(resumed.failed + resumed.unknown).toBe(0);
    expectEachOnce(150);
  }, 60_000);

  it('is exact when Bulk requests are answered 503 after the server applied them', async () => {
    const { conn: c, planFile } = await setUp({ fail503: { every: 4, after: true } }, 120);
    const first = await applyPlan({ conn: c, dataDir: dir, planFile, target: {} });
    const resumed =
      first.failed + first.unknown > 0
        ? await applyPlan({ conn: c, dataDir: dir, runId: first.run.id, target: {} })
        : first;
    expect(resumed.failed + resumed.unknown).toBe(0);
    expectEachOnce(120);
  }, 60_000);
});
