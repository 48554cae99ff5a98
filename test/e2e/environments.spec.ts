/**
 * Environments (issue 19 item 5): a connection labelled production shows its label and colour in
 * the header of every screen, on Confirm and in Runs; Apply stays disabled until the connection's
 * name is typed (the engine's refusal is in test/integration/production-confirm.test.ts). Checked
 * on a second loopback SCIM server and in the saved profile file.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { connectTo, HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const NAME = 'Acme production';

type SavedProfiles = {
  profiles: { name: string; environment?: { label: string; colour: string } }[];
};

let server: SandboxHandle;
test.beforeAll(async () => {
  server = await startSandbox({ port: 0, seed: 23 });
});
test.afterAll(async () => {
  await server.close();
});

async function userOnServer(userName: string): Promise<{ active?: boolean } | undefined> {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${server.url}/Users?filter=${filter}`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  const body = (await res.json()) as { Resources?: { active?: boolean }[] };
  return body.Resources?.[0];
}

test('a production connection is labelled everywhere and needs its name typed', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  const header = app.getByTestId('header-connection');

  await test.step('add the connection labelled Production', async () => {
    await app.getByRole('button', { name: 'Add connection' }).click();
    await app.getByLabel('Name').fill(NAME);
    await app.getByLabel('SCIM base URL').fill(server.url);
    await app.getByLabel('Token').fill(server.token);
    await app.getByLabel('Environment', { exact: true }).selectOption('production');
    await expect(app.getByLabel('Colour')).toHaveValue('#c62828');
    await app.getByRole('button', { name: 'Save connection' }).click();
    await expect(app.getByRole('heading', { level: 2, name: NAME })).toBeVisible();
    const saved = JSON.parse(
      await readFile(join(host.dataDir, 'connections.json'), 'utf8'),
    ) as SavedProfiles;
    const profile = saved.profiles.find((p) => p.name === NAME);
    expect(profile?.environment).toEqual({ label: 'production', colour: '#c62828' });
    // The Local sandbox made at first start is labelled sandbox.
    expect(saved.profiles.find((p) => p.name === 'Local sandbox')?.environment?.label).toBe(
      'sandbox',
    );
    await expect(header.getByTestId('environment-badge')).toHaveAttribute(
      'data-environment',
      'production',
    );
    await expect(header).toContainText(NAME);
    await app.screenshot({ path: join(SHOTS, '60-production-connection.png'), fullPage: true });
  });

  const tag = Math.random().toString(36).slice(2, 7);
  const email = `env-${tag}@example.com`;
  const conn = await connectTo(server);
  const dir = join(host.dataDir, 'e2e-plans');
  await mkdir(dir, { recursive: true });
  const file = await planCsv(conn, dir, HR_HEADER + `E${tag},Eve,Prod,${email},Staff,Active,,\n`);
  await conn.close();

  await test.step('Import shows it in the header; Confirm needs the name', async () => {
    await app
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Import' })
      .click();
    await app.getByLabel('Import into').selectOption({ label: `${NAME} — ${server.url}` });
    await expect(header).toContainText(NAME);
    await expect(header.getByTestId('environment-badge')).toHaveAttribute(
      'data-environment',
      'production',
    );
    host.desktop.willOpen(file);
    await app.getByRole('button', { name: 'Open a saved plan…' }).click();
    await app.getByRole('button', { name: 'Review and apply' }).click();
    const confirm = app.locator('.confirm-environment');
    await expect(confirm.getByTestId('environment-badge')).toHaveAttribute(
      'data-environment',
      'production',
    );
    const apply = app.getByRole('button', { name: 'Apply to server' });
    const typed = app.getByLabel(`Type the connection name, ${NAME}, to enable Apply`);
    await expect(apply).toBeDisabled();
    await typed.fill('Acme');
    await expect(apply).toBeDisabled();
    await typed.fill(NAME);
    await expect(apply).toBeEnabled();
    await app.screenshot({ path: join(SHOTS, '61-confirm-production.png'), fullPage: true });
    await apply.click();
    await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
    expect((await userOnServer(email))?.active).toBe(true);
  });

  await test.step('Runs shows the environment of the run', async () => {
    await app
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Runs' })
      .click();
    const row = app.getByRole('table', { name: 'Runs' }).locator('tbody tr').first();
    await expect(row).toContainText(NAME);
    await expect(row.getByTestId('environment-badge')).toHaveAttribute(
      'data-environment',
      'production',
    );
  });
});

test('continuing a canary on production needs the name typed too', async ({ app, host }) => {
  test.setTimeout(120_000);
  await host.engine.connections.save({
    settings: {
      name: NAME,
      baseUrl: server.url,
      auth: { kind: 'bearer' },
      environment: { label: 'production', colour: '#c62828' },
    },
    secret: server.token,
  });
  const tag = Math.random().toString(36).slice(2, 7);
  const email = (n: number) => `envc-${tag}-${n}@example.com`;
  const conn = await connectTo(server);
  const dir = join(host.dataDir, 'e2e-plans');
  await mkdir(dir, { recursive: true });
  const rows = [1, 2, 3].map((n) => `C${tag}${n},Cai,Prod${n},${email(n)},Staff,Active,,\n`);
  const file = await planCsv(conn, dir, HR_HEADER + rows.join(''));
  await conn.close();

  await app.reload();
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  await app.getByLabel('Import into').selectOption({ label: `${NAME} — ${server.url}` });
  host.desktop.willOpen(file);
  await app.getByRole('button', { name: 'Open a saved plan…' }).click();
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByLabel('Stop after the first changes (canary)').check();
  await app.getByLabel('Canary size').fill('1');
  await app.getByLabel(`Type the connection name, ${NAME}, to enable Apply`).fill(NAME);
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByText('The canary finished')).toBeVisible({ timeout: 60_000 });
  expect(await userOnServer(email(3))).toBeUndefined();

  const go = app.getByRole('button', { name: 'Continue the run' });
  const typed = app.getByLabel(`Type the connection name, ${NAME}, to continue the run`);
  await expect(go).toBeDisabled();
  await typed.fill('Acme');
  await expect(go).toBeDisabled();
  await typed.fill(NAME);
  await expect(go).toBeEnabled();
  await go.click();
  await expect(app.getByText('every planned change was applied')).toBeVisible({ timeout: 60_000 });
  expect((await userOnServer(email(3)))?.active).toBe(true);
});
