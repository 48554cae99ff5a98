/**
 * The plan flow end to end: a plan made in the test against the app's Local sandbox, opened with
 * "Open a saved plan…", previewed (counts, filters, search, row diff), confirmed, applied (the
 * server is checked), its report saved, and undone through the undo plan. A second test checks
 * that a plan blocked by a safeguard needs the count typed back.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { NodeHost } from '../harness/node-host';
import { startSandboxProxy, type SandboxProxy } from '../harness/sandbox-proxy';
import { HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');

type ScimUser = {
  id: string;
  userName: string;
  title?: string;
  active?: boolean;
  name?: { givenName?: string; familyName?: string };
};

function sandboxOf(host: NodeHost): { url: string; token: string } {
  const s = host.engine.sandbox();
  if (!s) throw new Error('the sandbox is not running');
  return s;
}

async function findUser(host: NodeHost, userName: string): Promise<ScimUser | undefined> {
  const { url, token } = sandboxOf(host);
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${url}/Users?filter=${filter}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { Resources?: ScimUser[] };
  return body.Resources?.[0];
}

async function planOnSandbox(
  host: NodeHost,
  csv: string,
  mode?: 'upsert' | 'deactivate-unlisted',
  connectionId?: string,
): Promise<string> {
  const profiles = await host.engine.connections.list();
  const sandbox = profiles[0];
  if (!sandbox) throw new Error('no Local sandbox profile');
  const conn = await host.engine.connections.open(connectionId ?? sandbox.id);
  try {
    const dir = join(host.dataDir, 'e2e-plans');
    await mkdir(dir, { recursive: true });
    return await planCsv(conn, dir, csv, mode ? { mode } : {});
  } finally {
    await conn.close();
  }
}

/** Applies a plan outside the UI (to seed the server), through the engine's own API. */
async function applyOutsideUi(host: NodeHost, file: string): Promise<void> {
  const info = await host.engine.plans.register(file);
  const profiles = await host.engine.connections.list();
  const { applyPlan } = await import('../../engine/apply/apply-run');
  const conn = await host.engine.connections.open(profiles[0]?.id ?? '');
  try {
    await applyPlan({
      conn,
      dataDir: host.dataDir,
      planFile: info.file,
      target: { connection: 'Local sandbox', baseUrl: conn.discovery.baseUrl },
    });
  } finally {
    await conn.close();
  }
}

/**
 * A connection to the sandbox through a proxy that answers writes slowly (and no Bulk), and holds
 * every write from the `holdAfter`-th on until `open()`: a run can be watched, paused and resumed
 * however fast the machine is (no timing guesses).
 */
async function gatedConnection(
  host: NodeHost,
  delayMs: number,
  holdAfter: number,
): Promise<SandboxProxy & { open(): void }> {
  let writes = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  const proxy = await startSandboxProxy(host, {
    name: 'Slow sandbox',
    bulk: 'never',
    before: async (req) => {
      if (req.method === 'GET') return;
      writes += 1;
      if (writes >= holdAfter) await opened;
      await new Promise((r) => setTimeout(r, delayMs));
    },
  });
  return Object.assign(proxy, { open });
}

/** Opens a plan file through the Import screen's "Open a saved plan…" (a scripted dialog). */
async function openPlanInUi(app: Page, host: NodeHost, file: string): Promise<void> {
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  host.desktop.willOpen(file);
  await app.getByRole('button', { name: 'Open a saved plan…' }).click();
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible();
}

function grid(app: Page) {
  return app.getByRole('grid', { name: 'Plan rows' });
}

/** Body rows of the grid (the header row has aria-rowindex 1). */
function bodyRows(app: Page) {
  return grid(app).locator('[role="row"]:not([aria-rowindex="1"])');
}

test('preview, filter, inspect, apply, save the report, and undo a plan', async ({ app, host }) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const u = (n: number) => `pf-${tag}-${n}@example.com`;
  const id = (n: number) => `PF${tag}${n}`;
  // Seed three people, applied outside the UI.
  const seed =
    HR_HEADER +
    `${id(1)},Ada,Lovelace,${u(1)},Analyst,Active,,\n` +
    `${id(2)},Alan,Turing,${u(2)},Engineer,Active,,\n` +
    `${id(3)},Grace,Hopper,${u(3)},Admiral,Active,,\n`;
  await applyOutsideUi(host, await planOnSandbox(host, seed));
  expect((await findUser(host, u(1)))?.title).toBe('Analyst');

  // The plan under test: 2 updates, 1 deactivation (Alan is terminated in the file), 2 creates.
  const csv =
    HR_HEADER +
    `${id(1)},Ada,Lovelace,${u(1)},Countess,Active,,\n` +
    `${id(2)},Alan,Turing,${u(2)},Engineer,Terminated,,\n` +
    `${id(3)},Grace,Hopper-Murray,${u(3)},Admiral,Active,,\n` +
    `${id(4)},Newbie,Person,${u(4)},Intern,Active,,\n` +
    `${id(5)},Second,Newcomer,${u(5)},Intern,Active,,\n`;
  const file = await planOnSandbox(host, csv);
  await openPlanInUi(app, host, file);

  await expect(app.getByTestId('count-create')).toHaveText('2');
  await expect(app.getByTestId('count-update')).toHaveText('2');
  await expect(app.getByTestId('count-deactivate')).toHaveText('1');
  await expect(app.getByTestId('count-unchanged')).toHaveText('0');
  const words = app.getByRole('list', { name: 'What the plan does' });
  await expect(words).toContainText('2 accounts will be created');
  await expect(words).toContainText('2 accounts will be updated');
  await expect(words).toContainText('1 person will lose access (deactivate)');
  await expect(app.locator('.safeguard-ok')).toContainText('Safeguards OK Deactivations: 1 of');
  await expect(bodyRows(app)).toHaveCount(5);
  await expect(app.getByRole('button', { name: 'Deactivate (1)' })).toBeVisible();

  // Filter by kind.
  await app.getByRole('button', { name: 'Update (2)' }).click();
  await expect(bodyRows(app)).toHaveCount(2);
  await expect(grid(app)).toContainText(u(1));
  await expect(grid(app)).not.toContainText(u(4));
  await app.getByRole('button', { name: 'Update (2)' }).click();
  await expect(bodyRows(app)).toHaveCount(5);

  // Search (debounced).
  await app.getByLabel('Search rows').fill('newbie');
  await expect(bodyRows(app)).toHaveCount(1);
  await expect(grid(app)).toContainText(u(4));
  await app.getByLabel('Search rows').fill('no-such-person-anywhere');
  await expect(app.getByText('No rows match this filter')).toBeVisible();
  await app.getByLabel('Search rows').fill('');
  await expect(bodyRows(app)).toHaveCount(5);
  await app.screenshot({ path: join(SHOTS, '20-plan-preview.png'), fullPage: true });

  // Row detail: keyboard to the first row, then click the update of Ada.
  await grid(app).focus();
  await app.keyboard.press('Home');
  const detail = app.getByRole('complementary', { name: 'Row detail' });
  await expect(detail).toContainText(u(1));
  await app.keyboard.press('ArrowDown');
  await expect(detail).toContainText(u(2));
  await expect(detail).toContainText('This person loses access (active → false).');
  await expect(bodyRows(app).filter({ hasText: u(2) })).toHaveAttribute('aria-selected', 'true');
  await bodyRows(app)
    .filter({ hasText: u(1) })
    .click();
  const diff = detail.getByRole('table', { name: /Attribute changes/ });
  const titleRow = diff.getByRole('row').filter({ hasText: 'title' });
  await expect(titleRow.getByRole('cell').first()).toHaveText('Analyst');
  await expect(titleRow.getByRole('cell').last()).toHaveText('Countess');
  await expect(detail).toContainText('employeeNumber = ');
  await bodyRows(app)
    .filter({ hasText: u(4) })
    .click();
  await expect(detail.getByLabel('SCIM resource to create')).toContainText(u(4));
  await bodyRows(app)
    .filter({ hasText: u(1) })
    .click();
  await app.screenshot({ path: join(SHOTS, '21-plan-row-detail.png'), fullPage: true });

  // Confirm and apply.
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await expect(app.getByRole('heading', { name: 'Confirm' })).toBeVisible();
  const confirmWords = app.getByRole('list', { name: 'What applying the plan does' });
  await expect(confirmWords).toContainText('2 accounts will be created');
  await expect(confirmWords).toContainText('2 accounts will be updated');
  await expect(confirmWords).toContainText('1 person will lose access (deactivate)');
  await expect(app.getByText('but the person loses access as soon as')).toBeVisible();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByText('every planned change was applied')).toBeVisible();
  await app.screenshot({ path: join(SHOTS, '24-results.png'), fullPage: true });

  // The server changed.
  expect((await findUser(host, u(1)))?.title).toBe('Countess');
  expect((await findUser(host, u(3)))?.name?.familyName).toBe('Hopper-Murray');
  expect((await findUser(host, u(2)))?.active).toBe(false);
  expect(await findUser(host, u(4))).toBeDefined();
  expect(await findUser(host, u(5))).toBeDefined();

  // Save the report.
  const reportPath = join(host.dataDir, 'saved-report.csv');
  host.desktop.willSave(reportPath);
  await app.getByRole('button', { name: 'Save report…' }).click();
  await expect(app.getByText('Report saved to')).toBeVisible();
  const report = (await readFile(reportPath, 'utf8')).trim().split('\n');
  expect(report.length).toBeGreaterThanOrEqual(6); // header + 5 rows
  expect(report.join('\n')).toContain(u(4));
  await app.getByRole('button', { name: 'Show the report in folder' }).click();
  await expect.poll(() => host.desktop.shown).toContain(reportPath);

  // Undo: the undo plan is previewed and applied like any plan.
  await app.getByRole('button', { name: 'Undo this run' }).click();
  await expect(app.getByRole('heading', { name: 'Undo plan' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible();
  await expect(app.getByTestId('count-delete')).toHaveText('2');
  await expect(app.getByTestId('count-update')).toHaveText('2');
  await expect(app.getByTestId('count-reactivate')).toHaveText('1');
  await expect(app.getByRole('list', { name: 'What the plan does' })).toContainText(
    '1 person will get access back (reactivate)',
  );
  await app.screenshot({ path: join(SHOTS, '25-undo-plan.png'), fullPage: true });
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await expect(app.getByText('cannot be undone')).toBeVisible();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByRole('status').filter({ hasText: 'The run finished' })).toBeVisible();

  // The server is back to before.
  expect((await findUser(host, u(1)))?.title).toBe('Analyst');
  expect((await findUser(host, u(3)))?.name?.familyName).toBe('Hopper');
  expect((await findUser(host, u(2)))?.active).toBe(true);
  expect(await findUser(host, u(4))).toBeUndefined();
  expect(await findUser(host, u(5))).toBeUndefined();
});

test('a plan blocked by a safeguard needs the count typed back', async ({ app, host }) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  // Keep three people; every other account of the sandbox (about 50) would be deactivated.
  const csv =
    HR_HEADER +
    `SG${tag}1,Keep,One,keep1-${tag}@example.com,Staff,Active,,\n` +
    `SG${tag}2,Keep,Two,keep2-${tag}@example.com,Staff,Active,,\n` +
    `SG${tag}3,Keep,Three,keep3-${tag}@example.com,Staff,Active,,\n`;
  const file = await planOnSandbox(host, csv, 'deactivate-unlisted');
  const info = await host.engine.plans.register(file);
  const safeguards = info.summary.safeguards;
  expect(safeguards.blocked).toBe(true);
  const count = safeguards.overrideCount;
  expect(count).toBeGreaterThan(10);
  expect(count).toBe(info.counts.deactivate);

  await openPlanInUi(app, host, file);
  await expect(app.getByText('Safeguard exceeded: this plan is blocked')).toBeVisible();
  await expect(app.getByRole('list', { name: 'What the plan does' })).toContainText(
    `${count} people will lose access (deactivate)`,
  );
  await expect(app.getByRole('list', { name: 'What the plan does' })).toContainText(
    '3 accounts in the keep list were not found',
  );
  await app.getByRole('button', { name: 'Review and apply' }).click();
  const apply = app.getByRole('button', { name: 'Apply to server' });
  const typed = app.getByLabel('Type the number of accounts to confirm');
  await expect(apply).toBeDisabled();
  await expect(app.getByText('You are about to write to Local sandbox')).toBeVisible();
  await expect(
    app.getByText(`running it anyway needs the count ${count} typed back`),
  ).toBeVisible();
  await typed.fill(String(count - 1));
  await expect(apply).toBeDisabled();
  await typed.fill(String(count));
  await expect(apply).toBeEnabled();
  await app.screenshot({ path: join(SHOTS, '22-confirm-safeguard.png'), fullPage: true });

  await apply.click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  await expect(app.getByText('every planned change was applied')).toBeVisible();

  // Everyone not listed is now inactive (one seeded account is enough to check).
  const { url, token } = sandboxOf(host);
  const res = await fetch(`${url}/Users?filter=${encodeURIComponent('active eq true')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { totalResults: number };
  expect(body.totalResults).toBeLessThanOrEqual(3);
});

test('a long run shows progress and can be paused and resumed', async ({ app, host }) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const slow = await gatedConnection(host, 20, 150);
  let csv = HR_HEADER;
  for (let i = 1; i <= 320; i++) {
    csv += `LR${tag}${i},Long,Run${i},long-${tag}-${i}@example.com,Staff,Active,,\n`;
  }
  const file = await planOnSandbox(host, csv, 'upsert', slow.id);
  await app.reload(); // the page lists connections once; pick up the slow one
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  await app.getByLabel('Import into').selectOption(slow.id);
  await openPlanInUi(app, host, file);
  await expect(app.getByTestId('count-create')).toHaveText('320');
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await expect(app.getByText('You are about to write to Slow sandbox')).toBeVisible();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Running' })).toBeVisible();
  const progress = app.getByRole('progressbar', { name: 'Run progress' });
  // Progress comes per batch of 100 rows; the proxy holds writes from the 150th until opened.
  await expect(progress).not.toHaveAttribute('aria-valuenow', '0', { timeout: 30_000 });
  await app.getByRole('button', { name: 'Pause' }).click();
  await expect(app.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(
    app.getByRole('status').filter({ hasText: 'Paused — nothing is sent' }),
  ).toBeVisible();
  await expect(app.getByRole('table', { name: 'Rows by kind' })).toContainText('Create');
  await expect(app.getByRole('table', { name: 'Progress by pass' })).toContainText('People (rows)');
  await expect(app.locator('.run-eta')).toHaveText(/^Paused/);
  await app.screenshot({ path: join(SHOTS, '23-run-progress.png'), fullPage: true });
  const pausedAt = Number(await progress.getAttribute('aria-valuenow'));
  expect(pausedAt).toBeLessThan(321);
  slow.open();
  await app.getByRole('button', { name: 'Resume' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  await expect(app.getByText('every planned change was applied')).toBeVisible();
  expect(await findUser(host, `long-${tag}-320@example.com`)).toBeDefined();
  await slow.close();
});

test('a canary run stops after the first changes and continues on request', async ({
  app,
  host,
}) => {
  test.setTimeout(90_000);
  const tag = Math.random().toString(36).slice(2, 7);
  let csv = HR_HEADER;
  for (let i = 1; i <= 4; i++) {
    csv += `CN${tag}${i},Canary,Bird${i},canary-${tag}-${i}@example.com,Staff,Active,,\n`;
  }
  const file = await planOnSandbox(host, csv);
  await openPlanInUi(app, host, file);
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByLabel('Stop after the first changes (canary)').check();
  await app.getByLabel('Canary size').fill('1');
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByText('The canary finished')).toBeVisible();
  const created = async () => {
    let n = 0;
    for (let i = 1; i <= 4; i++) {
      if (await findUser(host, `canary-${tag}-${i}@example.com`)) n += 1;
    }
    return n;
  };
  expect(await created()).toBeLessThan(4);
  await app.getByRole('button', { name: 'Continue the run' }).click();
  await expect(app.getByText('every planned change was applied')).toBeVisible({ timeout: 30_000 });
  expect(await created()).toBe(4);
});

test('failed rows are listed while the run goes on, with the server answer', async ({
  app,
  host,
}) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const row = (i: number, title: string) =>
    `FL${tag}${String(i)},Fay,Lee${String(i)},fay-${tag}-${String(i)}@example.com,${title},Active,,\n`;
  await applyOutsideUi(
    host,
    await planOnSandbox(host, HR_HEADER + row(1, 'Clerk') + row(2, 'Clerk')),
  );
  const file = await planOnSandbox(host, HR_HEADER + row(1, 'Lead') + row(2, 'Lead'));
  // Someone deletes one of the two accounts between the preview and the run.
  const gone = await findUser(host, `fay-${tag}-2@example.com`);
  const { url, token } = sandboxOf(host);
  await fetch(`${url}/Users/${gone?.id ?? ''}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });

  await openPlanInUi(app, host, file);
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  const failures = app.getByRole('list', { name: 'Failed rows' });
  await expect(failures).toContainText(`fay-${tag}-2@example.com`);
  await expect(failures).toContainText('HTTP 404');
  await expect(failures.getByRole('listitem')).toHaveCount(1);
  expect((await findUser(host, `fay-${tag}-1@example.com`))?.title).toBe('Lead');

  // The failed row comes back in the CSV's own columns, to fix and import again.
  const fixMe = join(host.dataDir, `fix-me-${tag}.csv`);
  // They are read from the plan's source CSV, which the engine reads only once the admin has
  // opened it in this session: here they drop it on the window (the plan was made outside the UI).
  const header = JSON.parse((await readFile(file, 'utf8')).split('\n')[0] ?? '{}') as {
    csv?: { file?: string };
  };
  host.engineHost.grant(header.csv?.file ?? '');
  host.desktop.willSave(fixMe);
  await app.getByRole('button', { name: 'Save failed rows…' }).click();
  await expect(app.getByText(/\(1 row\)/)).toBeVisible();
  const saved = (await readFile(fixMe, 'utf8')).trim().split(/\r?\n/);
  expect(saved[0]).toBe(HR_HEADER.trim());
  expect(saved.slice(1)).toEqual([row(2, 'Lead').trim()]);
});
