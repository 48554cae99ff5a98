import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { NodeHost } from '../harness/node-host';
import { startSandboxProxy } from '../harness/sandbox-proxy';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');

const HEADER =
  'Employee ID,First Name,Last Name,Work Email,Job Title,Department,Manager Employee ID,Employment Status,Groups';
const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Dennis', 'Frances'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Ritchie', 'Allen'];

/** A realistic HR export: 40 people, a manager chain, leavers, and group lists. */
function hrCsv(rows = 40): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const first = FIRST[i % FIRST.length] ?? 'Sam';
    const last = LAST[(i * 3) % LAST.length] ?? 'Doe';
    const engineer = i % 2 === 1;
    lines.push(
      [
        `E${1000 + i}`,
        first,
        last,
        `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`,
        engineer ? 'Software Engineer' : 'senior analyst',
        engineer ? 'Engineering' : 'Finance',
        i === 0 ? '' : 'E1000',
        i % 7 === 6 ? 'Terminated' : 'Active',
        engineer ? '"Engineering;VPN Users"' : 'Finance',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

let dir: string;
test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-import-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Users on the host's Local sandbox matching a SCIM filter, read over HTTP like any client. */
async function sandboxUsers(host: NodeHost, filter: string): Promise<Record<string, unknown>[]> {
  const live = host.engine.sandbox();
  if (!live) throw new Error('the Local sandbox is not running');
  const url = `${live.url}/Users?${new URLSearchParams({ filter, count: '500' }).toString()}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${live.token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { Resources?: Record<string, unknown>[] }).Resources ?? [];
}

async function openImport(app: Page): Promise<void> {
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  await expect(app.getByRole('heading', { level: 2, name: 'Choose a CSV file' })).toBeVisible();
}

test('imports an HR CSV: diagnostics, mapping with live preview, saved mapping, plan, apply', async ({
  app,
  host,
}) => {
  const csvPath = join(dir, 'hr-export.csv');
  await writeFile(csvPath, hrCsv());
  await openImport(app);
  await expect(
    app.getByRole('list', { name: 'Import steps' }).locator('[aria-current="step"]'),
  ).toHaveText(/Choose file/);
  await expect(app.getByText('No file yet.')).toBeVisible();
  await expect(app.getByLabel('Import into')).toHaveValue(/.+/);
  await expect(app.getByLabel('File kind')).toHaveValue('');
  await app.screenshot({ path: join(SHOTS, '10-import-file.png'), fullPage: true });

  await test.step('open the file and read the diagnostics', async () => {
    host.desktop.willOpen(csvPath);
    await app.getByRole('button', { name: 'Open CSV…' }).click();
    const heading = app.getByRole('heading', { level: 2, name: 'Check the file: hr-export.csv' });
    await expect(heading).toBeVisible();
    await expect(heading).toBeFocused();
    const facts = app.getByTestId('file-facts');
    await expect(facts).toContainText('utf-8');
    await expect(facts).toContainText('comma');
    await expect(facts).toContainText('Windows (CRLF)');
    await expect(app.getByTestId('fact-rows')).toHaveText('40');
    await expect(facts).toContainText('none');
    await expect(app.getByText('The file reads cleanly.')).toBeVisible();
    expect(host.desktop.dialogs.at(-1)?.options.title).toBe('Open a CSV to import');
    await app.screenshot({ path: join(SHOTS, '11-import-diagnostics.png'), fullPage: true });
  });

  await test.step('the suggested mapping and its live preview', async () => {
    await app.getByRole('button', { name: 'Continue to mapping' }).click();
    await expect(app.getByRole('heading', { level: 2, name: 'Map columns' })).toBeFocused();
    const title = app.getByRole('group', { name: /Job Title → title/ });
    await expect(title.getByLabel('Column')).toHaveValue('Job Title');
    await expect(title.getByLabel('Target attribute')).toHaveValue('title');
    await expect(title).toContainText('90% sure');
    await expect(app.getByRole('group', { name: /Work Email → userName/ })).toBeVisible();
    await expect(app.getByLabel('Status column')).toHaveValue('Employment Status');
    await expect(app.getByLabel('Groups column')).toHaveValue('Groups');
    await expect(app.getByLabel('Memberships')).toHaveValue('add');
    await expect(app.getByLabel('Manager column')).toHaveValue('Manager Employee ID');
    await expect(app.getByLabel('How rows find their existing account')).toHaveValue(
      /employeeNumber\nuserName/,
    );
    const json = app.getByTestId('preview-json');
    await expect(json).toContainText('"userName": "ada.lovelace0@example.com"');
    await expect(json).toContainText('"title": "senior analyst"');
    await app.getByLabel('Sample row').selectOption({ index: 1 });
    await expect(json).toContainText('"title": "Software Engineer"');
    await expect(app.getByText('Groups').last()).toBeVisible();
    await app.getByLabel('Sample row').selectOption({ index: 0 });
  });

  await test.step('edit a mapping: the preview follows', async () => {
    const title = app.getByRole('group', { name: /Job Title → title/ });
    // The table row shows a summary; Edit opens the full transforms editor under the row.
    await expect(title.getByText('None')).toBeVisible();
    const edit = title.getByRole('button', { name: /Edit transforms/ });
    await edit.click();
    await expect(edit).toHaveAttribute('aria-expanded', 'true');
    await title.getByLabel(/Transform to add/).selectOption('title');
    await title.getByRole('button', { name: /Add transform/ }).click();
    await expect(title.getByRole('list', { name: 'Transforms' })).toContainText('Title Case');
    const json = app.getByTestId('preview-json');
    await expect(json).toContainText('"title": "Senior Analyst"');

    // A target the server does not have: the problem shows on that row and blocks the plan.
    const dept = app.getByRole('group', { name: /Department → department/ });
    await dept.getByLabel('Target attribute').fill('favouriteColour');
    const problems = app
      .getByRole('group', { name: /Department → favouriteColour/ })
      .getByRole('list', {
        name: 'Problems',
      });
    await expect(problems).toContainText('.target');
    await expect(app.getByRole('button', { name: 'Build plan' })).toBeDisabled();
    // Remove that mapping: the column is listed as unused; Map brings it back.
    await app
      .getByRole('group', { name: /Department → favouriteColour/ })
      .getByRole('button', { name: /Remove mapping/ })
      .click();
    await expect(app.getByRole('heading', { name: 'Attributes (6)' })).toBeFocused();
    await expect(app.getByRole('button', { name: 'Build plan' })).toBeEnabled();
    await app.getByRole('button', { name: 'Map Department' }).click();
    const target = app
      .getByRole('group', { name: /Department → no target yet/ })
      .getByLabel('Target attribute');
    await expect(target).toBeFocused();
    await target.fill('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department');
    await expect(app.getByRole('group', { name: /Department → department/ })).toContainText(
      'enterprise',
    );
    await expect(app.getByRole('button', { name: 'Build plan' })).toBeEnabled();
    await expect(app.getByText('Every column of the file is used.')).toBeVisible();

    // Empty policy: clear the server's value when the cell is empty.
    const manager = app.getByRole('group', { name: /Last Name → name.familyName/ });
    await manager.getByLabel('When the value is empty').selectOption('clear');
    await expect(manager.getByLabel('When the value is empty')).toHaveValue('clear');
  });

  await test.step('save the mapping to disk', async () => {
    const mappingPath = join(dir, 'hr.mapping.json');
    host.desktop.willSave(mappingPath);
    await app.getByRole('button', { name: 'Save mapping…' }).click();
    await expect(app.getByText(`Mapping saved to ${mappingPath}`)).toBeVisible();
    const saved = JSON.parse(await readFile(mappingPath, 'utf8')) as {
      version: number;
      attributes: { target: string; transforms?: unknown[]; empty?: unknown }[];
      groups?: { column: string };
    };
    expect(saved.version).toBe(1);
    expect(saved.attributes.find((a) => a.target === 'title')?.transforms).toEqual(['title']);
    expect(saved.attributes.find((a) => a.target === 'name.familyName')?.empty).toBe('clear');
    expect(saved.groups?.column).toBe('Groups');
    await app.screenshot({ path: join(SHOTS, '12-import-mapping.png'), fullPage: true });

    // Loading it back gives the same mapping.
    host.desktop.willOpen(mappingPath);
    await app.getByRole('button', { name: 'Load mapping…' }).click();
    await expect(app.getByText(`Mapping loaded from ${mappingPath}`)).toBeVisible();
    await expect(
      app
        .getByRole('group', { name: /Job Title → title/ })
        .getByRole('list', { name: 'Transforms' }),
    ).toContainText('Title Case');
  });

  await test.step('build the plan', async () => {
    await expect(app.getByLabel('What the plan does')).toHaveValue('upsert');
    await app.getByRole('button', { name: 'Build plan' }).click();
    await expect(
      app.getByRole('list', { name: 'Import steps' }).locator('[aria-current="step"]'),
    ).toHaveText(/Plan and run/);
    await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({
      timeout: 30_000,
    });
    const finished = host.events.find((e) => e.event === 'job:finished');
    expect((finished?.payload as { status?: string } | undefined)?.status).toBe('done');
    await expect(app.getByTestId('count-create')).toContainText('40');
  });

  await test.step('apply it and check the server', async () => {
    await app.getByRole('button', { name: 'Review and apply' }).click();
    await expect(app.getByRole('heading', { name: 'Confirm' })).toBeVisible();
    await app.getByRole('button', { name: 'Apply to server' }).click();
    await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });

    const users = await sandboxUsers(host, 'userName ew "@example.com" and userName sw "ada."');
    // Every Ada of the file (rows 0, 8, 16, 24, 32), exactly once each, as the mapping said.
    expect(users.map((u) => u['userName']).sort()).toEqual(
      [0, 8, 16, 24, 32]
        .map((i) => `ada.${LAST[(i * 3) % LAST.length]?.toLowerCase()}${i}@example.com`)
        .sort(),
    );
    const ada0 = users.find((u) => u['userName'] === 'ada.lovelace0@example.com');
    expect(ada0?.['title']).toBe('Senior Analyst');
    const ext = ada0?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as
      { employeeNumber?: string; department?: string } | undefined;
    expect(ext).toMatchObject({ employeeNumber: 'E1000', department: 'Finance' });
    // The manager chain (everyone reports to E1000, created in the same run) and memberships.
    const ada8 = users.find((u) => u['userName'] === 'ada.lovelace8@example.com');
    const ada8Ext = ada8?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as
      { manager?: { value?: string } } | undefined;
    expect(ada8Ext?.manager?.value).toBe(ada0?.['id']);
    const groups = (ada0?.['groups'] as { display?: string }[] | undefined) ?? [];
    expect(groups.map((g) => g.display)).toContain('Finance');
    // Row 6 left the company: created inactive.
    const leaver = await sandboxUsers(host, 'userName eq "dennis.torvalds6@example.com"');
    expect(leaver[0]?.['active']).toBe(false);
    const all = await sandboxUsers(host, 'userName ew "@example.com"');
    expect(new Set(all.map((u) => u['userName'])).size).toBe(all.length);
  });

  await app.getByRole('button', { name: 'Start over' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Choose a CSV file' })).toBeVisible();
});

test('shows a damaged row with its line, row and next step; a binary file is refused', async ({
  app,
  host,
}) => {
  const csvPath = join(dir, 'damaged.csv');
  const lines = hrCsv(6).trimEnd().split('\r\n');
  lines[3] = `${lines[3] ?? ''},unexpected extra`;
  await writeFile(csvPath, `${lines.join('\n')}\n`);
  await openImport(app);
  host.desktop.willOpen(csvPath);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  await expect(app.getByRole('heading', { level: 2, name: /damaged\.csv/ })).toBeVisible();
  const facts = app.getByTestId('file-facts');
  await expect(facts).toContainText('1 excluded from the import');
  const errors = app.getByRole('list', { name: 'Errors' });
  await expect(errors).toContainText('Line 4, row 3');
  await expect(errors).toContainText(/10 fields|too many/i);
  await expect(errors).toContainText('Next step:');
  await expect(app.getByRole('button', { name: 'Continue to mapping' })).toBeEnabled();
  await app.screenshot({ path: join(SHOTS, '14-import-damaged-row.png'), fullPage: true });

  // Read again with an explicit delimiter: the override is sent and the result shown again.
  await app.getByText('Read the file differently').click();
  await app.getByLabel('Delimiter').selectOption(';');
  await app.getByRole('button', { name: 'Read the file again' }).click();
  await expect(facts).toContainText('semicolon');
  await app.getByLabel('Delimiter').selectOption('');
  await app.getByRole('button', { name: 'Read the file again' }).click();
  await expect(facts).toContainText('comma');

  const binPath = join(dir, 'photo.csv');
  await writeFile(
    binPath,
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0, 1, 2, 3]),
  );
  await app.getByRole('button', { name: 'Back' }).click();
  host.desktop.willOpen(binPath);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  const alert = app.getByRole('alert').filter({ hasText: 'The file could not be read' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Next step:');
  await expect(app.getByRole('button', { name: 'Continue to mapping' })).toBeDisabled();
});

test('title lines above the header: the file check offers to skip them, and only the people are imported', async ({
  app,
  host,
}) => {
  const csvPath = join(dir, 'staff-report.csv');
  const people = hrCsv(3).replaceAll('@example.com', '@titles.example');
  await writeFile(csvPath, `Staff list\r\nExported 2024-01-31 by HR\r\n${people}`);
  await openImport(app);
  host.desktop.willOpen(csvPath);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  const alert = app.getByRole('alert').filter({ hasText: 'The file could not be read' });
  await expect(alert).toContainText('has 2 lines above its header row, starting with "Staff list"');
  await expect(app.getByRole('button', { name: 'Continue to mapping' })).toBeDisabled();

  await app.getByRole('button', { name: 'Skip the first 2 lines' }).click();
  await expect(app.getByTestId('fact-rows')).toHaveText('3');
  await expect(app.getByTestId('file-facts')).toContainText('Lines skipped before the header2');
  await app.getByRole('button', { name: 'Continue to mapping' }).click();
  await expect(app.getByRole('group', { name: /Work Email → userName/ })).toBeVisible();
  await app.getByRole('button', { name: 'Build plan' }).click();
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('count-create')).toContainText('3');
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await app.getByRole('button', { name: 'Apply to server' }).click();
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 30_000 });

  // Exactly the three people; no title line became a user.
  const users = await sandboxUsers(host, 'userName ew "@titles.example"');
  expect(users.map((u) => u['userName']).sort()).toEqual([
    'ada.lovelace0@titles.example',
    'grace.hamilton1@titles.example',
    'linus.ritchie2@titles.example',
  ]);
  const titled = await sandboxUsers(host, 'userName sw "Staff" or userName sw "Exported"');
  expect(titled).toEqual([]);

  // A file without a header row: the check offers to read it without one.
  const bare = join(dir, 'no-header.csv');
  await writeFile(bare, 'ada@bare.example,Ada,Lovelace\nbob@bare.example,Bob,Byte\n');
  await app.getByRole('button', { name: 'Start over' }).click();
  host.desktop.willOpen(bare);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  await expect(app.getByRole('alert')).toContainText('seems to have no header row');
  await app.getByRole('button', { name: 'Read without a header row' }).click();
  await expect(app.getByTestId('fact-rows')).toHaveText('2');
  await expect(app.getByLabel('Header row')).toHaveValue('no');
});

test('a CSV dropped on the drop zone is read; a file without a path is explained', async ({
  app,
  host,
}) => {
  const csvPath = join(dir, 'dropped.csv');
  await writeFile(csvPath, hrCsv(12));
  await openImport(app);
  const zone = app.getByRole('region', { name: 'Drop a CSV file here' });

  const drop = async (name: string) => {
    // Runs in the page: the test's own types have no DOM, so name what it uses.
    const data = await app.evaluateHandle((fileName) => {
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add: (file: unknown) => void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
      };
      const dt = new page.DataTransfer();
      dt.items.add(new page.File(['a,b\n1,2\n'], fileName, { type: 'text/csv' }));
      return dt;
    }, name);
    await zone.dispatchEvent('dragover', { dataTransfer: data });
    await zone.dispatchEvent('drop', { dataTransfer: data });
  };

  await drop('from-browser.csv');
  await expect(app.getByRole('alert')).toContainText('has no place on disk');

  await app.evaluate((path) => {
    (globalThis as unknown as { __e2eDropPaths: Record<string, string> }).__e2eDropPaths = {
      'dropped.csv': path,
    };
  }, csvPath);
  await drop('dropped.csv');
  await expect(
    app.getByRole('heading', { level: 2, name: 'Check the file: dropped.csv' }),
  ).toBeVisible();
  await expect(app.getByTestId('fact-rows')).toHaveText('12');

  // The application menu's Open CSV… from another screen opens the dialog here.
  await app.getByRole('button', { name: 'Start over' }).click();
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Export' })
    .click();
  host.desktop.willOpen(csvPath);
  host.emit('app:menu', { command: 'open-csv' });
  await expect(
    app.getByRole('heading', { level: 2, name: 'Check the file: dropped.csv' }),
  ).toBeVisible();
});

/**
 * A connection to the sandbox through a proxy that can hold user reads, so planning stays in
 * progress until the test lets it go.
 */
async function heldConnection(host: NodeHost) {
  let hold = false;
  const waiting: (() => void)[] = [];
  const proxy = await startSandboxProxy(host, {
    name: 'Held sandbox',
    before: async (req) => {
      if (hold && /\/Users/.test(req.url ?? '')) {
        await new Promise<void>((release) => waiting.push(release));
      }
    },
  });
  return {
    id: proxy.id,
    holdUserReads: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      for (const r of waiting.splice(0)) r();
    },
    close: () => proxy.close(),
  };
}

test('planning shows its progress and can be cancelled', async ({ app, host }) => {
  const held = await heldConnection(host);
  try {
    const csvPath = join(dir, 'held.csv');
    await writeFile(csvPath, hrCsv(20));
    await app.reload(); // the page lists connections once; pick up the new one
    await openImport(app);
    await app.getByLabel('Import into').selectOption(held.id);
    host.desktop.willOpen(csvPath);
    await app.getByRole('button', { name: 'Open CSV…' }).click();
    await app.getByRole('button', { name: 'Continue to mapping' }).click();
    await expect(app.getByTestId('preview-json')).toContainText('ada.lovelace0@example.com');

    held.holdUserReads();
    await app.getByRole('button', { name: 'Build plan' }).click();
    await expect(app.getByRole('heading', { level: 2, name: 'Building the plan' })).toBeFocused();
    await expect(app.getByRole('progressbar', { name: 'Planning progress' })).toBeVisible();
    const cancel = app.getByRole('button', { name: 'Cancel planning' });
    await expect(cancel).toBeEnabled();
    await app.screenshot({ path: join(SHOTS, '13-import-planning.png'), fullPage: true });
    await cancel.click();
    held.release();
    const alert = app.getByRole('alert').filter({ hasText: 'The plan could not be built' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/cancel/i);
    await app.getByRole('button', { name: 'Back to the mapping' }).click();
    await expect(app.getByRole('heading', { level: 2, name: 'Map columns' })).toBeVisible();
  } finally {
    held.release();
    await held.close();
  }
});
