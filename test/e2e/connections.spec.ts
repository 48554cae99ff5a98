import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const BULK_MAX_OPERATIONS = 7;

type SavedProfiles = { profiles: { id: string; name: string; baseUrl: string }[] };

let server: SandboxHandle;

test.beforeAll(async () => {
  // A second, independent SCIM server for the connection the admin adds.
  server = await startSandbox({
    port: 0,
    seed: 11,
    features: { bulkMaxOperations: BULK_MAX_OPERATIONS },
  });
});
test.afterAll(async () => {
  await server.close();
});

test('opens on the Local sandbox, ready to test', async ({ app }) => {
  const list = app.getByRole('list', { name: 'Saved connections' });
  const sandbox = list.getByRole('button', { name: /Local sandbox/ });
  await expect(sandbox).toBeVisible();
  await expect(sandbox).toContainText('sandbox');
  await expect(sandbox).toContainText('secret stored');
  await expect(app.getByRole('heading', { level: 2, name: /Local sandbox/ })).toBeVisible();
  await app.screenshot({ path: join(SHOTS, '01-opens-on-sandbox.png'), fullPage: true });

  await app.getByRole('button', { name: 'Test connection' }).click();
  const result = app.getByTestId('test-result');
  await expect(result).toBeVisible();
  await expect(result.getByText('Connected')).toBeVisible();
  await expect(result.getByRole('heading', { name: /Resource types \(2\)/ })).toBeVisible();
  await app.screenshot({ path: join(SHOTS, '02-sandbox-tested.png'), fullPage: true });
});

test('adds, tests, edits, fails auth and deletes a connection', async ({ app, host }) => {
  const readProfiles = async (): Promise<SavedProfiles> =>
    JSON.parse(await readFile(join(host.dataDir, 'connections.json'), 'utf8')) as SavedProfiles;
  const list = app.getByRole('list', { name: 'Saved connections' });
  await expect(list.getByRole('button', { name: /Local sandbox/ })).toBeVisible();

  await test.step('add and test the unsaved settings', async () => {
    await app.getByRole('button', { name: 'Add connection' }).click();
    await expect(app.getByRole('heading', { name: 'Add a connection' })).toBeVisible();
    await app.getByLabel('Name').fill('Staging');
    await app.getByLabel('SCIM base URL').fill(server.url);
    await expect(app.getByLabel('Authentication')).toHaveValue('bearer');
    await app.getByLabel('Token').fill(server.token);
    await app.screenshot({ path: join(SHOTS, '03-add-form.png'), fullPage: true });

    await app.getByText('Advanced: TLS, proxy, limits, Bulk').click();
    await app.getByLabel('Verify the server’s TLS certificate').uncheck();
    await expect(app.getByText('TLS verification is off.')).toBeVisible();
    await app.screenshot({ path: join(SHOTS, '04-tls-off-warning.png'), fullPage: true });
    await app.getByLabel('Verify the server’s TLS certificate').check();
    await expect(app.getByText('TLS verification is off.')).toBeHidden();

    await app.getByRole('button', { name: 'Test connection' }).click();
    const result = app.getByTestId('test-result');
    await expect(result).toBeVisible();
    await expect(result.getByTestId('advertised')).toContainText(
      `Supported · maxOperations ${BULK_MAX_OPERATIONS}`,
    );
    await expect(result.getByTestId('paging')).toContainText('cursor');
    // What will really be used, per kind of read (issue 12 item 7).
    await expect(result.getByTestId('effective')).toContainText(
      'Exports: index paging, 1000 per page, several pages at a time; other lists: cursor paging',
    );
    await expect(result.getByTestId('effective')).toContainText(
      `up to ${BULK_MAX_OPERATIONS} operations`,
    );
    await expect(result).toContainText(server.url);
    await app.screenshot({ path: join(SHOTS, '05-draft-tested.png'), fullPage: true });
  });

  await test.step('save: listed with its secret, secret not on disk', async () => {
    await app.getByRole('button', { name: 'Save connection' }).click();
    const item = list.getByRole('button', { name: /Staging/ });
    await expect(item).toContainText('secret stored');
    await expect(app.getByRole('heading', { level: 2, name: 'Staging' })).toBeVisible();
    const saved = await readProfiles();
    expect(saved.profiles.map((p) => p.name)).toContain('Staging');
    expect(JSON.stringify(saved)).not.toContain(server.token);
  });

  await test.step('edit with a wrong token: the auth error is explained', async () => {
    await app.getByRole('button', { name: 'Edit' }).click();
    await expect(app.getByRole('heading', { name: 'Edit Staging' })).toBeVisible();
    const token = app.getByLabel('Token');
    await expect(token).toHaveAttribute('placeholder', 'stored — leave blank to keep');
    await expect(token).toHaveValue('');
    await app.getByLabel('Name').fill('Staging EU');
    await token.fill('wrong-token');
    await app.getByRole('button', { name: 'Save changes' }).click();
    await expect(list.getByRole('button', { name: /Staging EU/ })).toBeVisible();
    expect((await readProfiles()).profiles.map((p) => p.name)).toContain('Staging EU');

    await app.getByRole('button', { name: 'Test connection' }).click();
    const notice = app.getByRole('alert').filter({ hasText: 'Connection test failed' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(
      'Check the token or credentials and that they grant SCIM access.',
    );
    await expect(notice).not.toContainText('[object Object]');
    const raw = notice.getByLabel('Raw server answer');
    await expect(raw).toBeHidden();
    await notice.getByText('Show the raw answer').click();
    await expect(raw).toBeVisible();
    await expect(raw).toContainText('401');
    await expect(raw).not.toContainText('wrong-token');
    await app.screenshot({ path: join(SHOTS, '06-auth-error.png'), fullPage: true });
  });

  await test.step('delete after confirming: gone from the list and from disk', async () => {
    await app.getByRole('button', { name: 'Delete' }).click();
    const dialog = app.getByRole('dialog', { name: /Delete Staging EU/ });
    await expect(dialog).toBeVisible();
    await app.screenshot({ path: join(SHOTS, '07-delete-confirm.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await expect(dialog).toBeHidden();
    await expect(list.getByRole('button', { name: /Staging EU/ })).toHaveCount(0);
    const saved = await readProfiles();
    expect(saved.profiles.map((p) => p.name)).toEqual(['Local sandbox']);
    expect((await host.engine.connections.list()).map((c) => c.name)).toEqual(['Local sandbox']);
  });
});
