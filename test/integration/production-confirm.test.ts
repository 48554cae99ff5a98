/**
 * A connection labelled production is written to only with its name typed back (issue 19 item
 * 5): `apply:start` without or with a wrong `confirmName` is refused before anything reaches the
 * server; with the name it runs, and the run records the environment for the Runs screen.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { Channel } from '../../shared/ipc/channels';
import type { ResponseOf } from '../../shared/ipc/contract';
import { HR_HEADER, HR_MAPPING } from '../harness/plan-fixtures';
import { createScriptedDesktop } from '../harness/scripted-desktop';

let dir: string;
let engine: Engine;
let router: Router;
let server: SandboxHandle;

async function call<C extends Channel>(channel: C, request: unknown): Promise<ResponseOf<C>> {
  const result = await router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

async function onServer(userName: string): Promise<number> {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${server.url}/Users?filter=${filter}`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  return ((await res.json()) as { totalResults: number }).totalResults;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-prod-confirm-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: createMemorySecretStore(),
    desktop: createScriptedDesktop(),
    emit: () => undefined,
    sandbox: { enabled: false },
  });
  router = createRouter(engine, { validateResponses: true });
  server = await startSandbox({ port: 0, seed: 3 });
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it('refuses a production run until the connection name is typed, then records it', async () => {
  const saved = await call('connections:save', {
    settings: {
      name: 'Acme prod',
      baseUrl: server.url,
      auth: { kind: 'bearer' },
      environment: { label: 'production', colour: '#c62828' },
    },
    secret: server.token,
  });
  expect(saved.environment).toEqual({ label: 'production', colour: '#c62828' });
  const csvPath = join(dir, 'one.csv');
  await writeFile(csvPath, `${HR_HEADER}P1,Pat,Prod,pat-prod@example.com,Staff,Active,,\n`);
  const planJob = await call('plan:start', {
    connectionId: saved.id,
    csvPath,
    mapping: HR_MAPPING,
  });
  const planned = await engine.jobs.settled(planJob.jobId);
  const planId = planned?.outcome?.planId ?? '';

  for (const confirmName of [undefined, 'acme prod', 'Acme']) {
    const refused = await router.dispatch('apply:start', {
      planId,
      connectionId: saved.id,
      ...(confirmName !== undefined ? { confirmName } : {}),
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('invalid_request');
      expect(refused.error.message).toContain('production connection');
    }
  }
  expect(await onServer('pat-prod@example.com')).toBe(0);

  const started = await call('apply:start', {
    planId,
    connectionId: saved.id,
    confirmName: ' Acme prod ',
  });
  expect((await engine.jobs.settled(started.jobId))?.status).toBe('done');
  expect(await onServer('pat-prod@example.com')).toBe(1);
  const runs = await call('runs:list', {});
  expect(runs[0]?.target.environment).toEqual({ label: 'production', colour: '#c62828' });
});

it('resuming a run, and applying its undo plan, on production need the name typed too', async () => {
  const saved = (await call('connections:list', {})).find((c) => c.name === 'Acme prod');
  const connectionId = saved?.id ?? '';
  const csvPath = join(dir, 'two.csv');
  await writeFile(
    csvPath,
    `${HR_HEADER}Q1,Quin,Prod,quin-1@example.com,Staff,Active,,\nQ2,Quin,Prod,quin-2@example.com,Staff,Active,,\n`,
  );
  const planJob = await call('plan:start', { connectionId, csvPath, mapping: HR_MAPPING });
  const planId = (await engine.jobs.settled(planJob.jobId))?.outcome?.planId ?? '';
  const canary = await call('apply:start', {
    planId,
    connectionId,
    canary: 1,
    confirmName: 'Acme prod',
  });
  const stopped = await engine.jobs.settled(canary.jobId);
  expect(stopped?.outcome?.stoppedForCanary).toBe(true);
  const runId = stopped?.outcome?.runId ?? '';
  expect(await onServer('quin-2@example.com')).toBe(0);

  for (const confirmName of [undefined, 'Acme']) {
    const refused = await router.dispatch('runs:resume', {
      runId,
      connectionId,
      ...(confirmName !== undefined ? { confirmName } : {}),
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('production connection');
  }
  expect(await onServer('quin-2@example.com')).toBe(0);
  const resumed = await call('runs:resume', { runId, connectionId, confirmName: 'Acme prod' });
  expect((await engine.jobs.settled(resumed.jobId))?.status).toBe('done');
  expect(await onServer('quin-2@example.com')).toBe(1);

  // Undo: making the plan only reads; applying it writes, so it needs the name like any plan.
  const undo = await call('runs:undo', { runId, connectionId });
  const undoPlanId = (await engine.jobs.settled(undo.jobId))?.outcome?.planId ?? '';
  const refused = await router.dispatch('apply:start', { planId: undoPlanId, connectionId });
  expect(refused.ok).toBe(false);
  expect(await onServer('quin-1@example.com')).toBe(1);
  const undone = await call('apply:start', {
    planId: undoPlanId,
    connectionId,
    confirmName: 'Acme prod',
  });
  expect((await engine.jobs.settled(undone.jobId))?.status).toBe('done');
  expect(await onServer('quin-1@example.com')).toBe(0);
});
