import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
/** The HR export shipped as an example (employee ID, names, work email, department, title, …). */
const HR_SAMPLE = resolve(import.meta.dirname, '../../examples/hr-sample.csv');

test('the mapping table and its preview fit a 1280×800 window, with friendly names first', async ({
  app,
  host,
}) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  host.desktop.willOpen(HR_SAMPLE);
  await app.getByRole('button', { name: 'Open CSV…' }).click();
  await app.getByRole('button', { name: 'Continue to mapping' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Map columns' })).toBeFocused();

  const table = app.getByTestId('mapping-table');
  const rows = table.getByRole('group');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(5);
  const preview = app.getByRole('region', { name: /Live preview/ });
  await expect(preview.getByTestId('preview-json')).toContainText('"userName"');

  // Friendly names first; the SCIM path is the secondary text (the editable field) and the title.
  const title = app.getByRole('group', { name: /Job Title → title/ });
  const name = title.getByTestId('attribute-name');
  await expect(name).toHaveText('Job title');
  await expect(title.getByText('90% sure')).toBeVisible();
  await expect(name).toHaveAttribute('title', 'title');
  await expect(title.getByLabel('Target attribute')).toHaveValue('title');
  const email = app.getByRole('group', { name: /Work Email → emails/ });
  await expect(email.getByTestId('attribute-name')).toHaveText('Work email');
  await expect(email.getByTestId('attribute-name')).toHaveAttribute(
    'title',
    'emails[type eq "work"].value',
  );
  const userName = app.getByRole('group', { name: /Work Email → userName/ });
  await expect(userName.getByTestId('attribute-name')).toHaveText('User name');
  const dept = app.getByRole('group', { name: /Department → department/ });
  await expect(dept.getByTestId('attribute-name')).toHaveText('Department');
  await expect(dept.getByLabel('Target attribute')).toHaveValue(/department$/);

  // No horizontal scroll anywhere on the page.
  const overflow = await app.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow).toBeLessThanOrEqual(0);

  // Scrolled to the table, the whole table is in the window, and the preview beside it too.
  await app.getByRole('heading', { name: /^Attributes \(/ }).scrollIntoViewIfNeeded();
  const t = await table.boundingBox();
  const p = await preview.boundingBox();
  if (!t || !p) throw new Error('the table or the preview has no box');
  expect(t.y).toBeGreaterThanOrEqual(0);
  expect(t.y + t.height).toBeLessThanOrEqual(800);
  expect(t.x + t.width).toBeLessThanOrEqual(1280);
  expect(p.x).toBeGreaterThanOrEqual(t.x + t.width);
  expect(p.x + p.width).toBeLessThanOrEqual(1280);
  expect(p.y).toBeGreaterThanOrEqual(0);
  expect(p.y).toBeLessThan(800 / 2);
  // Sticky: the preview stays in view when the page scrolls past the table.
  await expect(preview).toHaveCSS('position', 'sticky');
  for (let i = 0; i < count; i++) {
    const box = await rows.nth(i).boundingBox();
    expect(box && box.y + box.height <= 800, `row ${i + 1} in the window`).toBe(true);
  }
  await app.screenshot({ path: join(SHOTS, '16-mapping-table.png') });
});
