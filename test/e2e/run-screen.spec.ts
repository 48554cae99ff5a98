/**
 * A run screen that never goes quiet (issue 19 item 1), through the real engine: a server that
 * starts answering 429 mid-run, and one that stops mid-run. The proxy switches after a set number
 * of writes and back when the test says so (no timing guesses): the screen names the state while
 * it lasts, and when the run ends the counts on the results screen and in Runs equal the server's.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy';
import type { NodeHost } from '../harness/node-host';
import { HR_HEADER } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';
import { findUser, nav, openPlanInUi, planOnSandbox } from './run-helpers';

const SHOTS = join(import.meta.dirname, 'screenshots');
const ROWS = 240;

async function startRun(app: Page, host: NodeHost, proxy: FaultProxy, tag: string) {
  let csv = HR_HEADER;
  for (let i = 1; i <= ROWS; i++) {
    csv += `RS${tag}${i},Run,Screen${i},rs-${tag}-${i}@example.com,Staff,Active,,\n`;
  }
  const file = await planOnSandbox(host, csv, proxy.id);
  await app.reload(); // the page lists connections once; pick up the proxy's
  await nav(app, 'Import');
  await app.getByLabel('Import into').selectOption(proxy.id);
  await openPlanInUi(app, host, file);
  await expect(app.getByTestId('count-create')).toHaveText(String(ROWS));
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Running' })).toBeVisible();
}

/** Every planned account, as the server holds it. */
async function createdOnServer(host: NodeHost, tag: string): Promise<number> {
  let n = 0;
  for (let i = 1; i <= ROWS; i++) if (await findUser(host, `rs-${tag}-${i}@example.com`)) n++;
  return n;
}

async function expectCountsEqualServer(app: Page, host: NodeHost, tag: string) {
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 90_000 });
  const created = await createdOnServer(host, tag);
  const rows = app.getByTestId('results-rows');
  await expect(rows).toContainText(`${created} changed`);
  const text = (await rows.textContent()) ?? '';
  const failed = Number(/(\d+) failed/.exec(text)?.[1] ?? -1);
  const unknown = Number(/(\d+) unknown/.exec(text)?.[1] ?? -1);
  expect(created + failed + unknown).toBe(ROWS);
  await nav(app, 'Runs');
  await expect(app.getByTestId('run-summary').first()).toContainText(text);
}

test('a rate-limited server: the screen says it waits, counts 429s, then ends equal to the server', async ({
  app,
  host,
}) => {
  test.setTimeout(150_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const proxy = await startFaultProxy(host, { name: 'Throttled sandbox', writeDelayMs: 15 });
  try {
    proxy.limit(2, 150);
    await startRun(app, host, proxy, tag);
    const state = app.locator('.run-state');
    await expect(state).toHaveAttribute('data-state', 'rate-limited', { timeout: 30_000 });
    await expect(state).toHaveText(/^Waiting \d+ s — the server is rate-limiting\.$/);
    await expect(app.locator('.run-rate')).toContainText('answered 429');
    await expect(app.locator('.run-eta')).not.toHaveText(/^(about )?0 s$|Finishing/);
    await expect(app.getByRole('table', { name: 'Progress by pass' })).toContainText(
      'People (rows)',
    );
    await app.screenshot({ path: join(SHOTS, '41-run-throttled.png'), fullPage: true });
    proxy.release();
    // The waiting sentence goes once the server stops throttling. The rest of the run can finish
    // between two looks at the screen, so "gone" counts whether the screen says running or the
    // results have replaced it (CI saw the results come before any look saw "running").
    await expect(app.locator('.run-state[data-state="rate-limited"]')).toHaveCount(0, {
      timeout: 30_000,
    });
    expect(proxy.limited).toBeGreaterThan(0);
    await expectCountsEqualServer(app, host, tag);
  } finally {
    await proxy.close();
  }
});

test('a server that stops mid-run: "unreachable, retrying", then counts equal to the server', async ({
  app,
  host,
}) => {
  test.setTimeout(150_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const proxy = await startFaultProxy(host, { name: 'Flaky sandbox', writeDelayMs: 15 });
  try {
    proxy.down(150);
    await startRun(app, host, proxy, tag);
    await proxy.whenDown();
    const state = app.locator('.run-state');
    await expect(state).toHaveAttribute('data-state', 'unreachable', { timeout: 30_000 });
    await expect(state).toHaveText(/^Server unreachable, retrying \(attempt \d+\) in \d+ s\.$/);
    await expect(app.locator('.run-eta')).not.toHaveText(/^(about )?0 s$|Finishing/);
    await proxy.up();
    await expectCountsEqualServer(app, host, tag);
  } finally {
    await proxy.close();
  }
});
