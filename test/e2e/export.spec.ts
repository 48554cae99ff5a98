import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeHost } from '../harness/node-host';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const FILTER = 'userType eq "Employee"';

type ListResponse = { totalResults: number; Resources?: Record<string, unknown>[] };

/** Asks the sandbox itself (not through the app) what it holds. */
async function scim(host: NodeHost, path: string): Promise<ListResponse> {
  const sandbox = host.engine.sandbox();
  if (!sandbox) throw new Error('the sandbox is not running');
  const res = await fetch(`${sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${sandbox.token}`, accept: 'application/scim+json' },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ListResponse;
}

/** A minimal RFC 4180 reader for the exported file (quoted cells may hold commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

test('exports filtered Users with chosen attributes to CSV, then Groups to JSON Lines', async ({
  app,
  host,
}) => {
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Export' })
    .click();
  await expect(app.getByRole('heading', { level: 1, name: 'Export' })).toBeVisible();
  const form = app.getByRole('form', { name: 'What to export' });
  await expect(app.getByLabel('Server')).toHaveValue(/.+/);
  await expect(app.getByLabel('Resource type')).toHaveValue('User');
  await expect(form.getByRole('checkbox', { name: 'All attributes' })).toBeChecked();

  const expected = await scim(host, `/Users?filter=${encodeURIComponent(FILTER)}&count=1000`);
  expect(expected.totalResults).toBeGreaterThan(10);
  const known = expected.Resources?.[0];
  expect(known).toBeDefined();

  await test.step('a bad filter is refused with the engine’s reason', async () => {
    await app.getByLabel('SCIM filter (optional)').fill('userType eq');
    const bad = join(host.dataDir, 'never.csv');
    host.desktop.willSave(bad);
    await form.getByRole('button', { name: 'Export…' }).click();
    await expect(app.getByText(/The filter is not valid at character/)).toBeVisible();
    await expect(app.getByLabel('SCIM filter (optional)')).toHaveAttribute('aria-invalid', 'true');
  });

  const out = join(host.dataDir, 'employees.csv');
  await test.step('choose attributes and a filter, export to CSV', async () => {
    await form.getByRole('checkbox', { name: 'All attributes' }).uncheck();
    await app.getByLabel('Search attributes').fill('user');
    await form.getByRole('checkbox', { name: /^userName\b/ }).check();
    await form.getByRole('checkbox', { name: /^userType\b/ }).check();
    await app.getByLabel('Search attributes').fill('displayName');
    await form.getByRole('checkbox', { name: /^displayName\b/ }).check();
    await app.getByLabel('Search attributes').fill('');
    await expect(app.getByText('3 chosen: userName, userType, displayName')).toBeVisible();
    await app.getByLabel('SCIM filter (optional)').fill(FILTER);
    await expect(app.getByLabel('Excel-friendly (BOM)')).not.toBeChecked();
    await app.screenshot({ path: join(SHOTS, '30-export.png'), fullPage: true });

    host.desktop.willSave(out);
    await form.getByRole('button', { name: 'Export…' }).click();
    const done = app.getByRole('region', { name: 'Export finished' });
    await expect(done).toBeVisible();
    await expect(done.getByTestId('export-count')).toHaveText(`${expected.totalResults} resources`);
    await expect(done.getByTestId('export-file')).toHaveText(out);
    await app.screenshot({ path: join(SHOTS, '31-export-done.png'), fullPage: true });

    const saveDialog = host.desktop.dialogs.at(-1);
    expect(saveDialog?.kind).toBe('save');
    expect(saveDialog?.options.defaultName).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);

    const rows = parseCsv(await readFile(out, 'utf8'));
    const [header, ...data] = rows;
    expect(header?.[0]?.charCodeAt(0)).not.toBe(0xfeff);
    expect(header).toEqual(expect.arrayContaining(['userName', 'userType', 'displayName']));
    expect(header).not.toContain('title');
    expect(data).toHaveLength(expected.totalResults);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    expect(data.every((r) => r[col('userType')] === 'Employee')).toBe(true);
    const line = data.find((r) => r[col('userName')] === known?.['userName']);
    expect(line?.[col('displayName')]).toBe(known?.['displayName']);

    await done.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(() => host.desktop.shown).toEqual([out]);
  });

  await test.step('Groups to JSON Lines', async () => {
    await app.getByRole('button', { name: 'New export' }).click();
    await app.getByLabel('Resource type').selectOption({ label: 'Groups' });
    await app.getByLabel('SCIM filter (optional)').fill('');
    await form.getByRole('radio', { name: /JSON Lines/ }).check();
    await expect(app.getByLabel('Excel-friendly (BOM)')).toHaveCount(0);
    const groupsOut = join(host.dataDir, 'groups.jsonl');
    host.desktop.willSave(groupsOut);
    await form.getByRole('button', { name: 'Export…' }).click();
    const done = app.getByRole('region', { name: 'Export finished' });
    const groups = await scim(host, '/Groups?count=1000');
    await expect(done.getByTestId('export-count')).toHaveText(`${groups.totalResults} resources`);
    expect(host.desktop.dialogs.at(-1)?.options.defaultName).toMatch(/^groups-.*\.jsonl$/);
    const lines = (await readFile(groupsOut, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(groups.totalResults);
    const names = lines.map((l) => (JSON.parse(l) as { displayName?: string }).displayName);
    expect(names).toContain('Managers');
    expect(names.sort()).toEqual(
      (groups.Resources ?? []).map((g) => g['displayName'] as string).sort(),
    );
  });
});
