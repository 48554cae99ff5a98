/**
 * The engine in its own process, as the app runs it: a real child process (forked with Node, the
 * way main forks a utilityProcess) serving the real router and engine, with main's ports (dialogs,
 * secrets, the taskbar) in this process. Then what an engine-process crash does to the requests
 * and jobs in flight, and that quitting stops the process and its sandbox.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngineHost, type EngineHost } from '../../engine/host/engine-host';
import type { SecretStore } from '../../engine/ports';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { JobFinished } from '../../shared/ipc/schemas/jobs';
import type { Channel } from '../../shared/ipc/channels';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { Result } from '../../shared/util/result';
import { forkSourceEngine } from '../harness/engine-process';
import { createScriptedDesktop, type ScriptedDesktop } from '../harness/scripted-desktop';

const HR = 'email,first,last\nada@porter.example,Ada,Lovelace\ngrace@porter.example,Grace,Hopper\n';

type Running = {
  host: EngineHost;
  desktop: ScriptedDesktop;
  secrets: SecretStore;
  events: { event: string; payload: unknown }[];
  dataDir: string;
  token: string;
};

async function startHost(): Promise<Running> {
  const dataDir = await mkdtemp(join(tmpdir(), 'scim-porter-host-'));
  const desktop = createScriptedDesktop();
  const secrets = createMemorySecretStore({}, { backend: 'test keychain', secure: true });
  const events: Running['events'] = [];
  const token = randomBytes(24).toString('hex');
  const host = startEngineHost({
    spawn: () => forkSourceEngine(),
    start: {
      dataDir,
      fileAccess: 'chosen',
      sandbox: { enabled: true, token },
      validateResponses: true,
    },
    ports: { desktop, secrets },
    emit: (event, payload) => events.push({ event, payload }),
  });
  await host.ready();
  return { host, desktop, secrets, events, dataDir, token };
}

/** One request through the engine process, typed by the contract; a failure fails the test. */
async function call<C extends Channel>(
  r: Running,
  channel: C,
  request: unknown,
): Promise<ResponseOf<C>> {
  const result = await r.host.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

function error(result: Result<unknown>): ErrorPayload {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function finishedJob(r: Running, jobId: string): Promise<JobFinished> {
  await vi.waitFor(
    () => {
      expect(
        r.events.some(
          (e) => (e.payload as { jobId?: string }).jobId === jobId && e.event === 'job:finished',
        ),
      ).toBe(true);
    },
    { timeout: 30_000, interval: 20 },
  );
  return r.events.find(
    (e) => e.event === 'job:finished' && (e.payload as { jobId?: string }).jobId === jobId,
  )?.payload as JobFinished;
}

/** Chooses `path` in the (scripted) open dialog, which grants it to the engine process. */
async function choose(r: Running, path: string): Promise<void> {
  r.desktop.willOpen(path);
  expect(await call(r, 'dialog:open', { purpose: 'csv' })).toEqual({ path });
}

describe('engine host with a real engine process', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startHost();
  }, 60_000);
  afterAll(async () => {
    await r.host.dispose();
    await rm(r.dataDir, { recursive: true, force: true });
  });

  it('runs the router in another process, with the secret store and dialogs of main', async () => {
    const pid = r.host.pid() ?? 0;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(isAlive(pid)).toBe(true);

    const info = await call(r, 'app:info', {});
    expect(info.secretStorage).toEqual({ backend: 'test keychain', secure: true });

    const saved = await call(r, 'connections:save', {
      settings: { name: 'Okta', baseUrl: 'https://okta.example/scim/v2', auth: { kind: 'bearer' } },
      secret: 's3cret-token',
    });
    expect(saved.hasSecret).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('s3cret-token');
    expect(await r.secrets.get(`connection:${saved.id}`)).toBe('s3cret-token');
  });

  it('reads only files chosen in a dialog or dropped, and exports through a job', async () => {
    const chosen = join(r.dataDir, 'chosen.csv');
    const dropped = join(r.dataDir, 'dropped.csv');
    await writeFile(chosen, HR);
    await writeFile(dropped, HR);
    const rows = async (path: string) =>
      (await call(r, 'import:inspect', { path })).diagnostics.rows;
    expect(error(await r.host.dispatch('import:inspect', { path: dropped })).code).toBe(
      'invalid_request',
    );
    await choose(r, chosen);
    expect(await rows(chosen)).toBe(2);
    r.host.grant(dropped);
    expect(await rows(dropped)).toBe(2);

    const out = join(r.dataDir, 'users.jsonl');
    r.desktop.willSave(out);
    const saveAs = { purpose: 'export-jsonl', defaultName: 'u.jsonl' };
    expect(await call(r, 'dialog:save', saveAs)).toEqual({ path: out });
    const { jobId } = await call(r, 'export:start', {
      connectionId: 'local-sandbox',
      resourceType: 'User',
      outPath: out,
      format: 'jsonl',
    });
    const finished = await finishedJob(r, jobId);
    expect(finished.status, JSON.stringify(finished.error)).toBe('done');
    // What the sandbox holds is what the file holds.
    const sandbox = (await call(r, 'connections:list', {})).find((c) => c.kind === 'sandbox');
    const listed = await fetch(`${sandbox?.baseUrl ?? ''}/Users?count=0`, {
      headers: { authorization: `Bearer ${r.token}` },
    });
    const { totalResults } = (await listed.json()) as { totalResults: number };
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines.length).toBe(totalResults);
    expect(finished.outcome?.exported).toBe(totalResults);
    // The engine's taskbar progress and notification were shown by "main".
    expect(r.desktop.progress.at(-1)).toBeNull();
    expect(r.desktop.notifications.map((n) => n.title)).toContain('Export finished');
  }, 60_000);
});

describe('when the engine process dies', () => {
  let r: Running;
  let held: Server;
  let heldUrl: string;
  const arrived: string[] = [];
  beforeAll(async () => {
    r = await startHost();
    // A SCIM server that never answers: a plan against it stays in flight.
    held = createServer((req) => {
      arrived.push(req.url ?? '');
    });
    await new Promise<void>((done) => held.listen(0, '127.0.0.1', done));
    heldUrl = `http://127.0.0.1:${(held.address() as AddressInfo).port}/scim/v2`;
  }, 60_000);
  afterAll(async () => {
    held.closeAllConnections();
    await new Promise<void>((done) => {
      held.close(() => {
        done();
      });
    });
    await r.host.dispose();
    await rm(r.dataDir, { recursive: true, force: true });
  });

  it('answers what was in flight with a clear error, ends its jobs, and starts a new one', async () => {
    const csv = join(r.dataDir, 'hr.csv');
    await writeFile(csv, HR);
    await choose(r, csv);
    const { suggestion } = await call(r, 'import:inspect', { path: csv });
    const conn = await call(r, 'connections:save', {
      settings: { name: 'Held', baseUrl: heldUrl, auth: { kind: 'bearer' } },
      secret: 'held-token',
    });
    const { jobId } = await call(r, 'plan:start', {
      connectionId: conn.id,
      csvPath: csv,
      mapping: suggestion.spec,
    });
    await vi.waitFor(() => {
      expect(arrived.length).toBeGreaterThan(0);
    });
    // A dialog the admin has not answered yet: the engine process is waiting on main.
    let dialogShown = false;
    r.desktop.openFile = () => {
      dialogShown = true;
      return new Promise(() => undefined);
    };
    const pending = r.host.dispatch('dialog:open', { purpose: 'csv' });
    await vi.waitFor(() => {
      expect(dialogShown).toBe(true);
    });

    const first = r.host.pid() ?? 0;
    process.kill(first, 'SIGKILL');
    const crash = error(await pending);
    expect(crash.code).toBe('internal');
    expect(crash.message).toBe("SCIM Porter's engine stopped unexpectedly before it answered.");
    expect(crash.raw).toBe('channel: dialog:open; signal SIGKILL');
    const plan = await finishedJob(r, jobId);
    expect(plan).toMatchObject({ kind: 'plan', status: 'failed' });
    expect(plan.error?.message).toBe(
      "SCIM Porter's engine stopped unexpectedly while this job ran.",
    );
    expect(r.events.some((e) => e.event === 'app:notice')).toBe(true);

    const info = await r.host.dispatch('app:info', {});
    expect(info.ok).toBe(true);
    const second = r.host.pid() ?? 0;
    expect(second).not.toBe(first);
    expect(isAlive(second)).toBe(true);
    // The new engine process has the same data: the saved connection and the Local sandbox.
    const names = (await call(r, 'connections:list', {})).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Local sandbox', 'Held']));
    // Files chosen before the crash must be chosen again (grants lived in the old process).
    expect(error(await r.host.dispatch('import:inspect', { path: csv })).code).toBe(
      'invalid_request',
    );
  }, 60_000);
});

describe('quitting', () => {
  it('stops the engine process and its sandbox', async () => {
    const r = await startHost();
    const pid = r.host.pid() ?? 0;
    const sandbox = (await call(r, 'connections:list', {})).find((c) => c.kind === 'sandbox');
    const url = `${sandbox?.baseUrl ?? ''}/ServiceProviderConfig`;
    const auth = { headers: { authorization: `Bearer ${r.token}` } };
    expect((await fetch(url, auth)).status).toBe(200);
    await r.host.dispose();
    expect(isAlive(pid)).toBe(false);
    await expect(fetch(url, auth)).rejects.toThrow();
    expect(error(await r.host.dispatch('app:info', {})).code).toBe('cancelled');
    await rm(r.dataDir, { recursive: true, force: true });
  }, 60_000);
});
