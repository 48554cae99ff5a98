/**
 * Problems grouped by cause (issue 19 item 4): an HR file where 30 people have the status
 * "On Leave" shows one line per cause in the mapping's sample and in the plan ("30 rows: "On
 * Leave" is not a known status word"), not one line per row; the one-click fix adds the word to
 * the status words and plans again, and the run leaves those people inactive on the server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeHost } from '../harness/node-host';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const ON_LEAVE = 30;

function csv(tag: string): string {
  const lines = ['Employee ID,First Name,Last Name,Work Email,Employment Status'];
  for (let i = 0; i < 40; i++) {
    const status = i < ON_LEAVE ? 'On Leave' : 'Active';
    lines.push(`G${tag}${i},Pat${i},Leave,pat${i}-${tag}@example.com,${status}`);
  }
  return `${lines.join('\n')}\n`;
}

async function onServer(host: NodeHost, tag: string): Promise<{ active?: boolean }[]> {
  const live = host.engine.sandbox();
  if (!live) throw new Error('the Local sandbox is not running');
  const filter = `userName sw "pat"`;
  const url = `${live.url}/Users?${new URLSearchParams({ filter, count: '500' }).toString()}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${live.token}` } });
  const body = (await res.json()) as { Resources?: { userName: string; active?: boolean }[] };
  return (body.Resources ?? []).filter((u) => u.userName.endsWith(`-${tag}@example.com`));
}

let dir: string;
test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-grouped-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('30 unknown status words are one problem with a one-click fix that re-plans', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const csvPath = join(dir, 'on-leave.csv');
  await writeFile(csvPath, csv(tag));
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  host.desktop.willOpen(csvPath);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  await app.getByRole('button', { name: 'Continue to mapping' }).click();
  await expect(app.getByLabel('Status column')).toHaveValue('Employment Status');

  const sample = app.getByRole('list', { name: 'Sample problems by cause' });
  await expect(sample.getByTestId('problem-group').first()).toContainText(
    '"On Leave" is not a known status word',
  );

  await app.getByRole('button', { name: 'Build plan' }).click();
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('count-invalid')).toHaveText(String(ON_LEAVE));
  const groups = app
    .getByRole('list', { name: 'Plan problems by cause' })
    .getByTestId('problem-group');
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toContainText(
    `${ON_LEAVE} rows: "On Leave" is not a known status word`,
  );
  await app.screenshot({ path: join(SHOTS, '15-grouped-problems.png'), fullPage: true });
  // A few examples, the rest one click away.
  await expect(groups.first().locator('.problem-examples').first().locator('li')).toHaveCount(3);
  await groups.first().getByText(`Show the first 20 of ${ON_LEAVE} rows`).click();
  await expect(groups.first().locator('.problem-all li')).toHaveCount(17);

  await groups.first().getByRole('button', { name: 'Count “On Leave” as inactive' }).click();
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('count-invalid')).toHaveText('0');
  await expect(app.getByRole('list', { name: 'Plan problems by cause' })).toHaveCount(0);
  await expect(app.getByTestId('count-create')).toHaveText('40');

  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  const users = await onServer(host, tag);
  expect(users).toHaveLength(40);
  expect(users.filter((u) => u.active === false)).toHaveLength(ON_LEAVE);
});
