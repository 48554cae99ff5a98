/**
 * Evidence before the big step (issue 19 item 6): a canary of 3 rows lists the 3 accounts it
 * changed, each with the state the server holds after (read back by the engine), and each opens
 * its operation in the run log.
 */
import { join } from 'node:path';
import { HR_HEADER } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';
import { applyOutsideUi, findUser, openPlanInUi, planOnSandbox } from './run-helpers';

const SHOTS = join(import.meta.dirname, 'screenshots');

test('a canary lists the accounts it changed with the server state after, each linked to its log', async ({
  app,
  host,
}) => {
  test.setTimeout(90_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const u = (n: number) => `cv-${tag}-${n}@example.com`;
  const row = (n: number, title: string) =>
    `CV${tag}${n},Cleo,Vance${n},${u(n)},${title},Active,,\n`;
  // 1 and 2 exist (updated by the plan), 3–5 are new: the canary takes the first 3 changes.
  await applyOutsideUi(
    host,
    await planOnSandbox(host, HR_HEADER + row(1, 'Clerk') + row(2, 'Clerk')),
  );
  const file = await planOnSandbox(
    host,
    HR_HEADER +
      row(1, 'Lead') +
      row(2, 'Lead') +
      row(3, 'Intern') +
      row(4, 'Intern') +
      row(5, 'Intern'),
  );

  await openPlanInUi(app, host, file);
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByLabel('Stop after the first changes (canary)').check();
  await app.getByLabel('Canary size').fill('3');
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByText('The canary finished')).toBeVisible({ timeout: 30_000 });

  const list = app.getByRole('table', { name: 'Accounts the canary changed' });
  await expect(list.locator('caption')).toHaveText(
    'The canary changed 3 accounts; as the server holds them now:',
  );
  const rows = list.getByTestId('canary-account');
  await expect(rows).toHaveCount(3);

  // The server, read directly: the 3 changed accounts and what they hold; 4 and 5 untouched.
  expect(await findUser(host, u(4))).toBeUndefined();
  expect(await findUser(host, u(5))).toBeUndefined();
  const expected = [
    [u(1), 'update'],
    [u(2), 'update'],
    [u(3), 'create'],
  ] as const;
  for (const [i, [name, kind]] of expected.entries()) {
    const server = await findUser(host, name);
    expect(server).toBeDefined();
    const r = rows.nth(i);
    await expect(r.getByRole('rowheader')).toContainText(name);
    await expect(r.getByRole('cell').nth(0)).toHaveText(kind === 'update' ? 'Update' : 'Create');
    await expect(r.getByRole('cell').nth(1)).toHaveText('done');
    const after = r.getByTestId('canary-after');
    await expect(after).toContainText(server?.active === false ? 'inactive' : 'active');
    await expect(after).toContainText(`Job title: ${server?.title ?? ''}`);
  }
  await app.locator('.canary-stop').screenshot({ path: join(SHOTS, '25-canary-evidence.png') });

  // Each account opens its operation in the run log, with the server's answer.
  await rows
    .nth(2)
    .getByRole('button', { name: `${u(3)}: open in the run log` })
    .click();
  await expect(app.getByRole('heading', { name: /Run log/ })).toBeFocused();
  const detail = app.getByRole('complementary', { name: 'Operation' });
  await expect(detail.getByRole('heading', { name: u(3) })).toBeVisible();
  await expect(detail).toContainText('create');
  await expect(detail).toContainText('HTTP status');
  await expect(detail).toContainText((await findUser(host, u(3)))?.id ?? 'no id');
  await expect(app.locator('.run-log-count')).toHaveText('1 of 3 operations match');
});
