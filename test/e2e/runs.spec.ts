import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWithOptions } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { NodeHost } from '../harness/node-host';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const BIN = join(import.meta.dirname, '../../bin/scim-porter.mjs');
const NEW_USERS = 600;

type User = { id: string; userName: string };

function sandboxOf(host: NodeHost): { url: string; token: string } {
  const sandbox = host.engine.sandbox();
  if (!sandbox) throw new Error('the sandbox is not running');
  return sandbox;
}

/** Every user as the sandbox holds it, read straight from the server. */
async function users(host: NodeHost): Promise<User[]> {
  const { url, token } = sandboxOf(host);
  const res = await fetch(`${url}/Users?count=1000&attributes=userName`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json' },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { totalResults: number; Resources: User[] };
  expect(body.Resources).toHaveLength(body.totalResults);
  return body.Resources;
}

/** A plan creating NEW_USERS accounts on the host's sandbox, made the way the CLI makes one. */
async function makePlan(host: NodeHost): Promise<string> {
  const { url, token } = sandboxOf(host);
  const lines = ['Email,First,Last'];
  for (let i = 0; i < NEW_USERS; i++) lines.push(`new${i}@runs.example.com,New${i},Hire`);
  const csvFile = join(host.dataDir, 'new-hires.csv');
  await writeFile(csvFile, `${lines.join('\n')}\n`);
  const conn = await openWithOptions(
    { id: 't', name: 'Local sandbox', bulk: 'auto' },
    { baseUrl: url, auth: { kind: 'bearer', token }, timeoutMs: 10_000 },
  );
  try {
    const planFile = join(host.dataDir, 'new-hires.plan.jsonl');
    await buildPlan({
      csvFile,
      mapping: parseMappingSpec({
        version: 1,
        attributes: [
          { target: 'userName', source: { column: 'Email' } },
          { target: 'name.givenName', source: { column: 'First' } },
          { target: 'name.familyName', source: { column: 'Last' } },
        ],
      }),
      outFile: planFile,
      source: { kind: 'server', conn, workDir: join(host.dataDir, 'snapshots') },
    });
    return planFile;
  } finally {
    await conn.close();
  }
}

/**
 * Applies the plan with the built CLI (throttled so it takes a while) in the app's data folder and
 * SIGKILLs it as soon as its journal records the first outcome: a genuinely interrupted run whose
 * lock names a dead process.
 */
async function applyAndKill(host: NodeHost, planFile: string): Promise<string> {
  const { url, token } = sandboxOf(host);
  const child = spawn(
    process.execPath,
    [BIN, 'apply', planFile, '--url', url, '--yes', '--max-rps', '2', '--concurrency', '1'],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        SCIM_TOKEN: token,
        SCIM_PORTER_DATA_DIR: host.dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child.on('close', (_code, signal) => {
      resolve(signal);
    });
  });
  const runsDir = join(host.dataDir, 'runs');
  const deadline = Date.now() + 30_000;
  let runId: string | undefined;
  while (Date.now() < deadline && child.exitCode === null) {
    runId = (await readdir(runsDir).catch(() => []))[0];
    if (runId !== undefined) {
      const journal = await readFile(join(runsDir, runId, 'journal.jsonl'), 'utf8').catch(() => '');
      if (journal.includes('"t":"outcome"')) {
        child.kill('SIGKILL');
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const signal = await exited;
  expect(signal, `the CLI finished before it could be killed: ${stderr}`).toBe('SIGKILL');
  if (runId === undefined) throw new Error('no run was created');
  return runId;
}

test('with no runs yet, the Runs screen says what a run is', async ({ app }) => {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Runs' }).click();
  await expect(app.getByText('No runs yet')).toBeVisible();
  await expect(app.getByRole('table', { name: 'Runs' })).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Refresh' })).toBeEnabled();
});

test('an interrupted run is resumed and then undone from the Runs screen', async ({
  app,
  host,
}) => {
  const before = await users(host);
  expect(before).toHaveLength(50);
  const planFile = await makePlan(host);
  const runId = await applyAndKill(host, planFile);
  const partial = await users(host);
  expect(partial.length).toBeGreaterThan(50);
  expect(partial.length).toBeLessThan(50 + NEW_USERS);

  await test.step('after a restart, a banner offers the interrupted run', async () => {
    await app.reload();
    const banner = app.getByRole('alert').filter({ hasText: 'can be resumed' });
    await expect(banner).toContainText('1 interrupted run can be resumed');
    await banner.getByRole('button', { name: 'Review runs' }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
    await expect(banner).toHaveCount(0);
  });
  const row = app.getByRole('row', { name: `Run ${runId}` });

  await test.step('the run is listed as interrupted, with what is left', async () => {
    await expect(row.getByTestId('run-status')).toHaveText('interrupted');
    await expect(row).toContainText('upsert');
    await expect(row).toContainText('User');
    await expect(row.getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect(row.getByRole('button', { name: 'Undo…' })).toHaveCount(0);
    await app.screenshot({ path: join(SHOTS, '50-runs.png'), fullPage: true });
  });

  await test.step('resume it on the Local sandbox', async () => {
    await row.getByRole('button', { name: 'Resume' }).click();
    const panel = app.getByRole('region', { name: `Resume run ${runId}` });
    await expect(panel.getByLabel('Server')).toHaveValue(/.+/);
    await expect(panel.getByLabel('Server').locator('option:checked')).toContainText(
      'Local sandbox',
    );
    await panel.getByRole('button', { name: 'Resume run' }).click();
    await expect(app.getByTestId('resume-outcome')).toContainText('Resume finished', {
      timeout: 30_000,
    });
    await expect(row.getByTestId('run-status')).toHaveText('completed');
    await expect(row.getByRole('button', { name: 'Resume' })).toHaveCount(0);
    await expect(row.getByTestId('run-counts')).toContainText(`create ${NEW_USERS} / 0 / 0`);
    await app.screenshot({ path: join(SHOTS, '51-runs-resumed.png'), fullPage: true });
  });

  const resumed = await users(host);
  expect(resumed).toHaveLength(50 + NEW_USERS);
  const names = resumed.map((u) => u.userName);
  expect(new Set(names).size).toBe(names.length);
  for (let i = 0; i < NEW_USERS; i++) expect(names).toContain(`new${i}@runs.example.com`);

  await test.step('save the report', async () => {
    const report = join(host.dataDir, 'report-copy.csv');
    host.desktop.willSave(report);
    await row.getByRole('button', { name: 'Save report…' }).click();
    await expect(app.getByText(`Report saved to ${report}`)).toBeVisible();
    const text = await readFile(report, 'utf8');
    expect(text).toContain('new0@runs.example.com');
  });

  await test.step('undo it: preview the undo plan, confirm, apply', async () => {
    await app.getByRole('button', { name: 'Refresh' }).click();
    await row.getByRole('button', { name: 'Undo…' }).click();
    const panel = app.getByRole('region', { name: `Undo run ${runId}` });
    await panel.getByRole('button', { name: 'Make the undo plan' }).click();
    await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({
      timeout: 30_000,
    });
    await app.getByRole('button', { name: 'Review and apply' }).click();
    const typed = app.getByLabel('Type the number of accounts to confirm');
    if (await typed.isVisible()) await typed.fill(String(NEW_USERS));
    await app.getByRole('button', { name: 'Apply to server' }).click();
    await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  });

  await expect.poll(async () => (await users(host)).length, { timeout: 15_000 }).toBe(50);
  const after = await users(host);
  expect(after.map((u) => u.userName).sort()).toEqual(before.map((u) => u.userName).sort());
});
