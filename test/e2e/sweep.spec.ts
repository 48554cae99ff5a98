import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeHost } from '../harness/node-host';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');

type User = { id: string; userName: string; active?: boolean };

/** Every user as the sandbox holds it, read straight from the server. */
async function users(host: NodeHost): Promise<User[]> {
  const sandbox = host.engine.sandbox();
  if (!sandbox) throw new Error('the sandbox is not running');
  const res = await fetch(`${sandbox.url}/Users?count=1000&attributes=userName,active`, {
    headers: { authorization: `Bearer ${sandbox.token}`, accept: 'application/scim+json' },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { Resources: User[] }).Resources;
}

test('deactivates everyone NOT in the list, past the safeguard with the typed count', async ({
  app,
  host,
}) => {
  const before = await users(host);
  expect(before).toHaveLength(50);
  const keep = before.filter((u) => u.active !== false).slice(0, 5);
  const keepNames = new Set(keep.map((u) => u.userName));
  const toDeactivate = before.filter((u) => !keepNames.has(u.userName) && u.active !== false);
  expect(toDeactivate.length).toBeGreaterThan(10);

  const list = join(host.dataDir, 'still-employed.csv');
  await writeFile(list, `userName,Note\n${keep.map((u) => `${u.userName},stays`).join('\n')}\n`);

  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sweep' })
    .click();
  const form = app.getByRole('form', { name: 'Sweep settings' });
  await expect(form.getByRole('radio', { name: 'Deactivate everyone in the list' })).toBeChecked();

  await test.step('choose the mode and the list', async () => {
    await form.getByRole('radio', { name: 'Deactivate everyone NOT in the list' }).check();
    await expect(app.getByLabel('Scope filter (optional)')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Preview sweep' })).toBeDisabled();
    host.desktop.willOpen(list);
    await form.getByRole('button', { name: 'Open list…' }).click();
    await expect(app.getByTestId('sweep-list-rows')).toHaveText('5 accounts');
    await expect(app.getByLabel('Match accounts on')).toHaveValue('userName');
    await expect(app.getByTestId('sweep-match-summary')).toContainText('userName');
    await expect(app.getByRole('cell', { name: keep[0]?.userName ?? '?' })).toBeVisible();
    await app.screenshot({ path: join(SHOTS, '40-sweep.png'), fullPage: true });
  });

  await test.step('preview: blocked by the safeguard', async () => {
    await form.getByRole('button', { name: 'Preview sweep' }).click();
    await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(app.getByText(/Safeguard exceeded/).first()).toBeVisible();
    const words = app.getByRole('list', { name: 'What the plan does' });
    await expect(words).toContainText(
      `${toDeactivate.length} people will lose access (deactivate)`,
    );
    await expect(words).toContainText('5 accounts in the file are kept (unchanged)');
    await expect(app.getByTestId('count-deactivate')).toHaveText(String(toDeactivate.length));
    await app.screenshot({ path: join(SHOTS, '41-sweep-blocked.png'), fullPage: true });
  });

  await test.step('confirm with the typed count and apply', async () => {
    await app.getByRole('button', { name: 'Review and apply' }).click();
    const typed = app.getByLabel('Type the number of accounts to confirm');
    await expect(typed).toBeVisible();
    await expect(app.getByRole('list', { name: 'What applying the plan does' })).toContainText(
      `${toDeactivate.length} people will lose access (deactivate)`,
    );
    const apply = app.getByRole('button', { name: 'Apply to server' });
    await expect(apply).toBeDisabled();
    await typed.fill(String(toDeactivate.length - 1));
    await expect(apply).toBeDisabled();
    await typed.fill(String(toDeactivate.length));
    await expect(apply).toBeEnabled();
    await apply.click();
    await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });
  });

  const after = await users(host);
  expect(after).toHaveLength(50);
  for (const u of after) {
    if (keepNames.has(u.userName)) expect(u.active, u.userName).toBe(true);
    else expect(u.active, u.userName).toBe(false);
  }
});
