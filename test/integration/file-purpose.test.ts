/**
 * Issue 17 item 4: files the page can name are bound to the purpose the admin chose them for.
 * The router with the real engine in `chosen` mode (as in the app) and a scripted desktop: a CSV
 * opened for reading cannot be overwritten through mapping:save, export:start or
 * runs:save-report, and runs:save-failed reads only a source CSV opened in this session, not
 * whatever path the plan file names.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { Channel } from '../../shared/ipc/channels';
import type { ResponseOf } from '../../shared/ipc/contract';
import { createScriptedDesktop, type ScriptedDesktop } from '../harness/scripted-desktop';

const CSV =
  'email,first,last\nada@porter.example,Ada,Lovelace\ngrace@porter.example,Grace,Hopper\n';

type Session = { engine: Engine; router: Router; desktop: ScriptedDesktop };
let dir: string;
let hr: string;
let first: Session;

async function session(sandbox: boolean): Promise<Session> {
  const desktop = createScriptedDesktop();
  const engine = await createEngine({
    dataDir: dir,
    secrets: createMemorySecretStore(),
    desktop,
    fileAccess: 'chosen',
    sandbox: { enabled: sandbox },
  });
  return { engine, router: createRouter(engine, { validateResponses: true }), desktop };
}

async function call<C extends Channel>(s: Session, channel: C, request: unknown) {
  const result = await s.router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

async function refused(s: Session, channel: Channel, request: unknown): Promise<ErrorPayload> {
  const result = await s.router.dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} should have been refused`);
  return result.error;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-purpose-'));
  hr = join(dir, 'hr.csv');
  await writeFile(hr, CSV);
  first = await session(true);
}, 30_000);

afterAll(async () => {
  await first.engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('file grants are purpose-bound', () => {
  let runId = '';

  it('a CSV opened for reading cannot be written by mapping:save, export:start or runs:save-report', async () => {
    first.desktop.willOpen(hr);
    await call(first, 'dialog:open', { purpose: 'csv' });
    const inspection = await call(first, 'import:inspect', { path: hr });
    const spec = inspection.suggestion.spec;

    const mapping = await refused(first, 'mapping:save', { path: hr, spec });
    expect(mapping).toMatchObject({ code: 'invalid_request' });
    expect(mapping.message).toMatch(/only writes where you choose/);
    const exported = await refused(first, 'export:start', {
      connectionId: 'local-sandbox',
      resourceType: 'User',
      outPath: hr,
      format: 'csv',
    });
    expect(exported.code).toBe('invalid_request');

    const plan = await first.engine.jobs.settled(
      (
        await call(first, 'plan:start', {
          connectionId: 'local-sandbox',
          csvPath: hr,
          mapping: spec,
        })
      ).jobId,
    );
    expect(plan?.status, JSON.stringify(plan?.error)).toBe('done');
    const planId = plan?.outcome?.planId ?? '';
    const run = await first.engine.jobs.settled(
      (await call(first, 'apply:start', { planId, connectionId: 'local-sandbox' })).jobId,
    );
    expect(run?.status, JSON.stringify(run?.error)).toBe('done');
    runId = run?.outcome?.runId ?? '';
    expect((await refused(first, 'runs:save-report', { runId, path: hr })).code).toBe(
      'invalid_request',
    );
    expect(await readFile(hr, 'utf8')).toBe(CSV);

    // A save destination is for writing: it works there, and cannot then be read as input.
    const out = join(dir, 'report.csv');
    first.desktop.willSave(out);
    await call(first, 'dialog:save', { purpose: 'report', defaultName: 'report.csv' });
    expect(await call(first, 'runs:save-report', { runId, path: out })).toEqual({ path: out });
    expect((await refused(first, 'import:inspect', { path: out })).code).toBe('invalid_request');
  }, 60_000);

  it('runs:save-failed reads the source CSV only when the admin opened it in this session', async () => {
    // A later session (grants live in memory): the plan still names hr.csv, which nobody opened.
    const later = await session(false);
    try {
      const out = join(dir, 'failed.csv');
      later.desktop.willSave(out);
      await call(later, 'dialog:save', { purpose: 'failed-rows', defaultName: 'failed.csv' });
      const error = await refused(later, 'runs:save-failed', { runId, path: out });
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(
        /read from the CSV the plan was made from, hr\.csv, and SCIM Porter only reads files you open/,
      );

      later.desktop.willOpen(hr);
      await call(later, 'dialog:open', { purpose: 'csv' });
      expect(await call(later, 'runs:save-failed', { runId, path: out })).toEqual({
        path: out,
        rows: 0,
      });
    } finally {
      await later.engine.dispose();
    }
  }, 60_000);
});
