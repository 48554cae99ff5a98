/**
 * Run history that lasts (issue 19 item 10): the Runs list is filtered by target, start date and
 * status, and "Clean up the data folder…" previews old plans and snapshots, keeps what runs still
 * need, and deletes exactly what it showed once confirmed. Asserted on disk.
 */
import { mkdir, readdir, rename, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { createRun, releaseRunLock, updateRun } from '../../engine/apply/run-store';
import { openPlan } from '../../engine/plan/plan-file';
import { HR_HEADER } from '../harness/plan-fixtures';
import type { NodeHost } from '../harness/node-host';
import { expect, test } from './fixtures';
import { applyOutsideUi, nav, planOnSandbox } from './run-helpers';

const DAY = 24 * 60 * 60 * 1000;
const row = (n: number) =>
  `${String(9000 + n)},Clean${String(n)},Up,clean${String(n)}@cleanup.example.com,Clerk,active,,\n`;

/** Plans on the sandbox, then moves the plan into plans/ and its snapshots into snapshots/. */
async function planInDataFolder(host: NodeHost, csv: string, name: string): Promise<string> {
  const made = await planOnSandbox(host, csv);
  const scratch = join(host.dataDir, 'e2e-plans', 'snapshots');
  await mkdir(join(host.dataDir, 'plans'), { recursive: true });
  await mkdir(join(host.dataDir, 'snapshots'), { recursive: true });
  for (const f of await readdir(scratch)) {
    await rename(join(scratch, f), join(host.dataDir, 'snapshots', `${name}-${f}`));
  }
  const file = join(host.dataDir, 'plans', `${name}.jsonl`);
  await rename(made, file);
  return file;
}

/** A run written the way apply writes one, started `daysAgo` days ago, left at `status`. */
async function seedRun(
  host: NodeHost,
  planFile: string,
  daysAgo: number,
  status: 'paused' | 'completed',
  target: { connection: string; baseUrl: string },
): Promise<string> {
  const plan = await openPlan(planFile);
  const header = plan.header;
  plan.close();
  const { run, lock } = await createRun(host.dataDir, {
    planFile,
    plan: header,
    target,
    now: new Date(Date.now() - daysAgo * DAY),
    counts:
      status === 'paused'
        ? { create: { done: 0, failed: 0, pending: 1 } }
        : { unchanged: { done: 1, failed: 0, pending: 0 } },
  });
  await updateRun(host.dataDir, run.id, { status });
  await releaseRunLock(lock);
  return run.id;
}

async function age(dir: string, days: number): Promise<void> {
  const t = new Date(Date.now() - days * DAY);
  for (const f of await readdir(dir)) await utimes(join(dir, f), t, t);
}

test('runs are filtered, and the data folder is cleaned up without touching what runs need', async ({
  app,
  host,
}) => {
  // Applied for real: it created an account, so its plan is kept for undo.
  const applied = await planInDataFolder(host, HR_HEADER + row(1), 'applied');
  const appliedRun = await applyOutsideUi(host, applied);
  const paused = await planInDataFolder(host, HR_HEADER + row(2), 'paused');
  const finished = await planInDataFolder(host, HR_HEADER + row(3), 'finished');
  const pausedRun = await seedRun(host, paused, 20, 'paused', {
    connection: 'Entra staging',
    baseUrl: 'https://entra.example/scim',
  });
  const finishedRun = await seedRun(host, finished, 40, 'completed', {
    connection: 'Okta prod',
    baseUrl: 'https://okta.example/scim/v2',
  });
  await planInDataFolder(host, HR_HEADER + row(4), 'orphan');
  await age(join(host.dataDir, 'plans'), 45);
  await age(join(host.dataDir, 'snapshots'), 45);
  const snapshots = await readdir(join(host.dataDir, 'snapshots'));
  expect(snapshots.length).toBeGreaterThanOrEqual(4);
  // One fresh snapshot: too young to be offered.
  await planInDataFolder(host, HR_HEADER + row(5), 'fresh');
  const freshSnapshots = (await readdir(join(host.dataDir, 'snapshots'))).filter((f) =>
    f.startsWith('fresh-'),
  );
  expect(freshSnapshots.length).toBeGreaterThan(0);

  await nav(app, 'Runs');
  const table = app.getByRole('table', { name: 'Runs' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(3);

  await test.step('filter by target, status and start date', async () => {
    const filters = app.getByRole('group', { name: 'Filter the runs' });
    await filters.getByLabel('Target').fill('okta');
    await expect(rows).toHaveCount(1);
    await expect(table.getByRole('row', { name: `Run ${finishedRun}` })).toBeVisible();
    await expect(app.getByTestId('runs-shown')).toHaveText('Showing 1 of 3 runs.');
    await filters.getByLabel('Target').fill('ENTRA.example');
    await expect(table.getByRole('row', { name: `Run ${pausedRun}` })).toBeVisible();
    await filters.getByLabel('Target').fill('');
    await filters.getByLabel('Status').selectOption('completed');
    await expect(rows).toHaveCount(2);
    const day = (d: number) => {
      const t = new Date(Date.now() - d * DAY);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${String(t.getFullYear())}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
    };
    await filters.getByLabel('Started from').fill(day(1));
    await expect(rows).toHaveCount(1);
    await expect(table.getByRole('row', { name: `Run ${appliedRun}` })).toBeVisible();
    await filters.getByLabel('Started from').fill(day(50));
    await filters.getByLabel('Started to').fill(day(30));
    await expect(rows).toHaveCount(1);
    await expect(table.getByRole('row', { name: `Run ${finishedRun}` })).toBeVisible();
    await filters.getByLabel('Status').selectOption('paused');
    await expect(app.getByTestId('runs-none-match')).toBeVisible();
    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rows).toHaveCount(3);
  });

  const panel = app.getByRole('region', { name: 'Clean up the data folder' });
  await test.step('preview: old unused plans and snapshots, with what is kept and why', async () => {
    await app.getByRole('button', { name: 'Clean up the data folder…' }).click();
    await panel.getByLabel('Older than (days)').fill('30');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const remove = panel.getByRole('table', { name: 'Files to remove' });
    await expect(remove.locator('tbody tr')).toHaveCount(2 + snapshots.length);
    await expect(remove.locator('[data-file="plans/finished.jsonl"]')).toBeVisible();
    await expect(remove.locator('[data-file="plans/orphan.jsonl"]')).toBeVisible();
    const kept = panel.getByRole('table', { name: 'Files kept' });
    await expect(kept.locator('[data-file="plans/paused.jsonl"]')).toContainText(
      `run ${pausedRun} is paused`,
    );
    await expect(kept.locator('[data-file="plans/applied.jsonl"]')).toContainText(
      'can still be undone',
    );
    await expect(panel.getByTestId('cleanup-summary')).toContainText(
      `${String(2 + snapshots.length)} files`,
    );
  });

  await test.step('confirm: the dialog opens on Cancel, then the files go', async () => {
    await panel.getByRole('button', { name: 'Delete these files…' }).click();
    const dialog = app.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    expect(await readdir(join(host.dataDir, 'plans'))).toContain('orphan.jsonl');
    await panel.getByRole('button', { name: 'Delete these files…' }).click();
    await app.getByRole('dialog').getByRole('button', { name: 'Delete the files' }).click();
    await expect(panel.getByTestId('cleanup-result')).toContainText(
      `Removed ${String(2 + snapshots.length)} files (`,
    );
  });

  expect((await readdir(join(host.dataDir, 'plans'))).sort()).toEqual(
    ['applied.jsonl', 'fresh.jsonl', 'paused.jsonl'].sort(),
  );
  expect((await readdir(join(host.dataDir, 'snapshots'))).sort()).toEqual(freshSnapshots.sort());
  expect((await readdir(join(host.dataDir, 'runs'))).length).toBe(3);
  await expect(rows).toHaveCount(3);
});
