/**
 * Canary evidence (issue 19 item 6): after `--canary N` the engine lists the accounts the run
 * changed, each read back from the server with one GET — so the values shown are the server's,
 * not the plan's — capped at a limit with the total beside it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { canaryEvidence } from '../../engine/use-cases/canary';
import { connectTo, HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

let dir: string;
let server: SandboxHandle;
let conn: OpenConnection;

function byName(userName: string): ScimResource | undefined {
  return server.store.list('User').find((u) => u['userName'] === userName);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-canary-'));
  server = await startSandbox({ port: 0, seed: 0 });
  conn = await connectTo(server);
  await conn.client.create('/Users', {
    schemas: [URN.user, URN.enterpriseUser],
    userName: 'ada@example.com',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    title: 'Engineer',
    active: true,
    [URN.enterpriseUser]: { employeeNumber: 'E1' },
  });
});
afterEach(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const CSV =
  HR_HEADER +
  'E1,Ada,Lovelace,ada@example.com,Chief Engineer,Active,,\n' +
  'E2,Grace,Hopper,grace@example.com,Admiral,Active,,\n' +
  'E3,Alan,Turing,alan@example.com,Researcher,Active,,\n';

describe('canary evidence', () => {
  it('lists the accounts the canary changed with the state the server holds now', async () => {
    const planFile = await planCsv(conn, dir, CSV);
    const run = await applyPlan({ conn, dataDir: dir, planFile, target: {}, canary: 2 });
    expect(run.stoppedForCanary).toBe(true);
    // Someone edits Ada on the server after the canary: the evidence shows the server's value.
    const ada = byName('ada@example.com');
    await conn.client.patch('/Users', ada?.id ?? '', [
      { op: 'replace', path: 'title', value: 'Edited after' },
    ]);

    const evidence = await canaryEvidence({ conn, dataDir: dir, runId: run.run.id });
    expect(evidence.total).toBe(2);
    expect(evidence.accounts.map((a) => [a.display, a.kind, a.outcome])).toEqual([
      ['ada@example.com', 'update', 'ok'],
      ['grace@example.com', 'create', 'ok'],
    ]);
    const [first, second] = evidence.accounts;
    expect(first?.id).toBe(ada?.id);
    expect(first?.after).toEqual({
      state: 'present',
      active: true,
      attributes: [{ path: 'title', planned: 'Chief Engineer', now: 'Edited after' }],
    });
    const grace = byName('grace@example.com');
    expect(second?.id).toBe(grace?.id);
    expect(second?.after.state).toBe('present');
    const attrs = second?.after.state === 'present' ? second.after.attributes : [];
    expect(attrs).toContainEqual({ path: 'title', planned: 'Admiral', now: grace?.['title'] });
    expect(attrs).toContainEqual({ path: 'name.givenName', planned: 'Grace', now: 'Grace' });
    expect(attrs.map((x) => x.path)).not.toContain('active');
    // Alan is past the canary: not listed, not on the server.
    expect(byName('alan@example.com')).toBeUndefined();
  });

  it('caps the read-back and says an account is gone when the server no longer has it', async () => {
    const planFile = await planCsv(conn, dir, CSV);
    const run = await applyPlan({ conn, dataDir: dir, planFile, target: {}, canary: 3 });
    const grace = byName('grace@example.com');
    await conn.client.delete('/Users', grace?.id ?? '');

    const capped = await canaryEvidence({ conn, dataDir: dir, runId: run.run.id, limit: 2 });
    expect(capped.total).toBe(3);
    expect(capped.accounts).toHaveLength(2);
    expect(capped.accounts[1]?.after).toEqual({ state: 'gone' });
  });
});
