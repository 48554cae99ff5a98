/**
 * Every plan kind end to end through the app's IPC router (the same router and engine the window
 * uses, responses validated against the contract): `plan:start` → `plan:info` counts and the
 * sentences of the preview → `apply:start` → the server — plus undo, and an HR file whose
 * terminated employees are active on the server, blocked until the count is typed back.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { Channel } from '../../shared/ipc/channels';
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { PlanInfo } from '../../shared/ipc/schemas/plan';
import type { JobFinished } from '../../shared/ipc/schemas/jobs';
import { describePlan } from '../../shared/plan/plan-words';
import {
  accounts,
  expectCounts,
  PROTECT,
  SCENARIOS,
  seedKinds,
  terminations,
  TERMINATIONS_MAPPING,
  UNDO,
} from '../harness/kind-scenarios';
import { HR_HEADER, HR_MAPPING } from '../harness/plan-fixtures';

function HR_HEADER_ROW(id: string, first: string, title: string): string {
  return `${HR_HEADER}${id},${first},Q,${first.toLowerCase()}@example.com,${title},Active,,\n`;
}
import { createScriptedDesktop } from '../harness/scripted-desktop';

let dir: string;
let engine: Engine;
let router: Router;
let server: SandboxHandle;
let connectionId: string;

async function call<C extends Channel>(
  channel: C,
  request: Partial<ParsedRequestOf<C>> | Record<string, unknown>,
): Promise<ResponseOf<C>> {
  const result = await router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

async function refused(channel: Channel, request: unknown): Promise<ErrorPayload> {
  const result = await router.dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} should have failed`);
  return result.error;
}

async function finished(jobId: string): Promise<JobFinished> {
  const f = await engine.jobs.settled(jobId);
  if (!f) throw new Error(`no job ${jobId}`);
  expect(f.status, JSON.stringify(f.error)).toBe('done');
  return f;
}

async function connect(target: SandboxHandle, name: string): Promise<string> {
  const saved = await call('connections:save', {
    settings: { name, baseUrl: target.url, auth: { kind: 'bearer' } },
    secret: target.token,
  });
  return saved.id;
}

async function plan(
  name: string,
  csv: string,
  extra: Record<string, unknown> = {},
  mapping: unknown = HR_MAPPING,
  connection = connectionId,
): Promise<PlanInfo> {
  const csvPath = join(dir, `${name}.csv`);
  await writeFile(csvPath, csv);
  const job = await finished(
    (await call('plan:start', { connectionId: connection, csvPath, mapping, ...extra })).jobId,
  );
  return call('plan:info', { planId: job.outcome?.planId ?? '' });
}

function words(info: PlanInfo): string[] {
  const s = info.summary;
  return describePlan({
    mode: info.mode,
    counts: info.counts,
    memberships: s.memberships,
    protect: s.protect,
    safeguards: s.safeguards,
  }).map((l) => l.text);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-kinds-ipc-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: createMemorySecretStore(),
    desktop: createScriptedDesktop(),
    emit: () => undefined,
    sandbox: { enabled: false },
  });
  router = createRouter(engine, { validateResponses: true });
  server = await startSandbox({ port: 0, seed: 0 });
  seedKinds(server);
  connectionId = await connect(server, 'Kinds');
  await writeFile(join(dir, 'protect.txt'), `${PROTECT.join('\n')}\n`);
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('every kind through the IPC router', () => {
  let lastRun = '';
  for (const [i, s] of SCENARIOS.entries()) {
    it(s.name, async () => {
      const info = await plan(`s${i}`, s.csv, {
        mode: s.mode,
        ...(s.protect ? { protectPath: join(dir, 'protect.txt') } : {}),
      });
      expectCounts(info.counts, s.counts, s.name);
      expectCounts(info.summary.counts, s.counts, `${s.name} (summary)`);
      expect(info.edited).toBeUndefined();
      const said = words(info);
      for (const w of s.words) expect(said).toContain(w);
      const filtered = await call('plan:window', {
        planId: info.planId,
        offset: 0,
        limit: 50,
        actions: Object.keys(s.counts),
      });
      expect(filtered.total).toBe(Object.values(s.counts).reduce((a, b) => a + b, 0));
      const run = await finished(
        (await call('apply:start', { planId: info.planId, connectionId })).jobId,
      );
      expect(run.outcome).toMatchObject({ failed: 0, unknown: 0 });
      lastRun = run.outcome?.runId ?? '';
      s.after(server);
    });
  }

  it('undo: the deactivations of the last run come back as reactivations', async () => {
    const undo = await finished((await call('runs:undo', { runId: lastRun, connectionId })).jobId);
    const info = await call('plan:info', { planId: undo.outcome?.planId ?? '' });
    expectCounts(info.counts, UNDO.counts, 'undo');
    for (const w of UNDO.words) expect(words(info)).toContain(w);
    await finished((await call('apply:start', { planId: info.planId, connectionId })).jobId);
    UNDO.after(server);
  });
});

describe('an edited plan', () => {
  it('is shown as changed in the preview and refused by apply, with the server unchanged', async () => {
    const info = await plan('edited', HR_HEADER_ROW('E1', 'Ada', 'Chief'));
    expect(info.counts.update).toBe(1);
    const text = await readFile(info.file, 'utf8');
    await writeFile(info.file, text.replace('"value":"Chief"', '"value":"CEO"'));
    const reopened = await call('plan:open', { path: info.file });
    expect(reopened.edited).toBe(
      'The plan was changed after it was made: its rows no longer match their checksum. It cannot be run.',
    );
    const before = JSON.stringify(server.store.list('User'));
    const job = await engine.jobs.settled(
      (await call('apply:start', { planId: reopened.planId, connectionId })).jobId,
    );
    expect(job?.status).toBe('failed');
    expect(job?.error?.message).toMatch(
      /was changed after it was made: row 0 \(ada@example.com\): its operations set title to "CEO", but its changes show "Chief"/,
    );
    expect(JSON.stringify(server.store.list('User'))).toBe(before);
  });
});

describe('an HR file whose terminated employees are active on the server', () => {
  it('counts them as deactivations and blocks above the threshold until the count is typed back', async () => {
    const hr = await startSandbox({ port: 0, seed: 0 });
    try {
      const names = Array.from({ length: 30 }, (_, i) => `hr${i}@example.com`);
      for (const userName of names) {
        hr.store.create('User', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName,
          active: true,
        });
      }
      const hrId = await connect(hr, 'HR target');
      const info = await plan('terminations', terminations(names), {}, TERMINATIONS_MAPPING, hrId);
      expect(info.counts).toMatchObject({ deactivate: 12, update: 0, unchanged: 18 });
      expect(info.summary.safeguards).toMatchObject({ blocked: true, overrideCount: 12 });
      expect(words(info)).toContain('12 people will lose access (deactivate)');

      const error = await refused('apply:start', { planId: info.planId, connectionId: hrId });
      expect(error.message).toContain('The plan deactivates 12 of 30 accounts in scope');
      await refused('apply:start', {
        planId: info.planId,
        connectionId: hrId,
        overrideSafeguards: 11,
      });
      expect([...accounts(hr).values()].every((a) => a.active === true)).toBe(true);

      await finished(
        (
          await call('apply:start', {
            planId: info.planId,
            connectionId: hrId,
            overrideSafeguards: 12,
          })
        ).jobId,
      );
      const after = accounts(hr);
      names.forEach((n, i) => {
        expect(after.get(n)?.active, n).toBe(i >= 12);
      });
    } finally {
      await hr.close();
    }
  });
});
