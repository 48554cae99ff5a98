/**
 * Results that agree with the server and with Runs (issue 19 item 2), and the run log opened from
 * both (item 3): a run with one failed row, one row left alone, two changes. The results screen,
 * the Runs table and report.csv give the same counts, and those equal what the server holds.
 */
import { join } from 'node:path';
import { listRuns } from '../../engine/apply/run-store';
import { HR_HEADER } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';
import {
  applyOutsideUi,
  findUser,
  nav,
  openPlanInUi,
  planOnSandbox,
  reportStatuses,
  sandboxOf,
} from './run-helpers';

const SHOTS = join(import.meta.dirname, 'screenshots');

test('results, Runs and the report agree with the server; the run log shows each answer', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const u = (n: number) => `rr-${tag}-${n}@example.com`;
  const row = (n: number, title: string) => `RR${tag}${n},Ria,Roe${n},${u(n)},${title},Active,,\n`;
  await applyOutsideUi(
    host,
    await planOnSandbox(host, HR_HEADER + row(1, 'Clerk') + row(2, 'Clerk') + row(3, 'Clerk')),
  );
  // 1 and 2 updated, 3 left alone, 4 created; 2 is deleted on the server before the run.
  const file = await planOnSandbox(
    host,
    HR_HEADER + row(1, 'Lead') + row(2, 'Lead') + row(3, 'Clerk') + row(4, 'Intern'),
  );
  const gone = await findUser(host, u(2));
  const { url, token } = sandboxOf(host);
  await fetch(`${url}/Users/${gone?.id ?? ''}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });

  await openPlanInUi(app, host, file);
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });

  // The server: what the counts must equal.
  expect((await findUser(host, u(1)))?.title).toBe('Lead');
  expect((await findUser(host, u(3)))?.title).toBe('Clerk');
  expect(await findUser(host, u(4))).toBeDefined();
  expect(await findUser(host, u(2))).toBeUndefined();
  const expected = '2 changed · 1 failed · 0 unknown · 0 not sent · 1 left alone';

  const status = app.locator('.run-status');
  await expect(status).toContainText('The run finished with problems: 1 row failed');
  await expect(status).toHaveClass(/with-failures/);
  await expect(status).not.toHaveClass(/\bclean\b/);
  await expect(app.getByTestId('results-rows')).toHaveText(expected);
  const failures = app.getByRole('list', { name: 'Failed rows' });
  await expect(failures).toContainText(u(2));

  // The report says the same.
  const runId = (await listRuns(host.dataDir))[0]?.id ?? '';
  await expect(app.locator('.facts code')).toHaveText(runId);
  expect(await reportStatuses(join(host.dataDir, 'runs', runId, 'report.csv'))).toEqual({
    done: 2,
    failed: 1,
    unchanged: 1,
  });

  // The run log from the results: each op with the server's answer; failed ones on their own.
  await app.getByRole('button', { name: 'Open the run log' }).click();
  await expect(app.getByRole('heading', { name: /Run log/ })).toBeFocused();
  await expect(app.locator('.run-log-count')).toHaveText('3 operations');
  await app.getByLabel('Outcome').selectOption('failed');
  await expect(app.locator('.run-log-count')).toHaveText('1 of 3 operations match');
  const grid = app.getByRole('grid', { name: 'Run operations' });
  await expect(grid).toContainText(u(2));
  await expect(grid).toContainText('HTTP 404');
  await grid.getByText(u(2)).click();
  await expect(app.getByRole('complementary', { name: 'Operation' })).toContainText('404');
  await app.getByRole('button', { name: 'Close the run log' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible();

  // Runs: the same counts, not a green "completed", and the same log.
  await nav(app, 'Runs');
  const line = app.locator(`tr[data-run-id="${runId}"]`);
  await expect(line.getByTestId('run-status')).toHaveText('completed with failures');
  await expect(line.getByTestId('run-summary')).toContainText(expected);
  await line.getByRole('button', { name: `Open the log of run ${runId}` }).click();
  await app.getByLabel('Search a person, group, id or message').fill(u(4));
  await expect(app.locator('.run-log-count')).toHaveText('1 of 3 operations match');
  await expect(grid).toContainText('Done');
  await expect(grid).toContainText('HTTP 201');
  await app.screenshot({ path: join(SHOTS, '42-run-log.png'), fullPage: true });
});
