/**
 * Keyboard, focus, labels and layout (issue 19 items 6 and 9): Confirm lists who loses access and
 * which attributes change; focus moves to Confirm, to the run after Apply and to the result after
 * Test connection; every control on every screen has an accessible name; and nothing is pushed
 * out of view at 1280×800 or at 150 % zoom in a 1024×700 window.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { NodeHost } from '../harness/node-host';
import { HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { expect, test } from './fixtures';

const SCREENS = ['Connections', 'Import', 'Export', 'Sweep', 'Runs'] as const;

async function go(app: Page, screen: string): Promise<void> {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
  await expect(app.getByRole('heading', { level: 1, name: screen })).toBeVisible();
}

/** Runs in the page (a string: this file is compiled without the DOM library). */
const UNLABELLED = `(() => {
  const controls = document.querySelectorAll(
    'button, input:not([type="hidden"]), select, textarea, [role="button"], a[href]',
  );
  const bad = [];
  for (const el of controls) {
    if (el.closest('[hidden], dialog:not([open])')) continue;
    const labels = el.labels;
    const named =
      (labels && labels.length > 0 && [...labels].some((l) => l.textContent.trim())) ||
      (el.getAttribute('aria-label') || '').trim() ||
      el.getAttribute('aria-labelledby') ||
      (el.getAttribute('title') || '').trim() ||
      ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim());
    if (!named) bad.push(el.outerHTML.slice(0, 120));
  }
  return bad;
})()`;

/** Visible controls and headings whose box leaves the window sideways, and page-wide overflow. */
const OUT_OF_VIEW = `(() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > width + 1) {
    bad.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  }
  for (const el of document.querySelectorAll('button, input, select, textarea, h1, h2')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // Inside a scroll container (tables), clipping by the container is fine.
    if (el.closest('.runs-table-wrap, [role="grid"]')) continue;
    if (r.left < -1 || r.right > width + 1) {
      bad.push(el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + r.left + '-' + r.right + ' of ' + width);
    }
  }
  return bad;
})()`;

function unlabelled(app: Page): Promise<string[]> {
  return app.evaluate<string[]>(UNLABELLED);
}

function outOfView(app: Page): Promise<string[]> {
  return app.evaluate<string[]>(OUT_OF_VIEW);
}

async function planOnSandbox(host: NodeHost, csv: string): Promise<string> {
  const live = host.engine.sandbox();
  if (!live) throw new Error('no sandbox');
  const { connectTo } = await import('../harness/plan-fixtures');
  const conn = await connectTo(live);
  try {
    const dir = join(host.dataDir, 'e2e-plans');
    await mkdir(dir, { recursive: true });
    return await planCsv(conn, dir, csv, { mode: 'deactivate-unlisted' });
  } finally {
    await conn.close();
  }
}

test('every control is labelled and nothing leaves the window at 1280×800 and 150 % zoom', async ({
  app,
}) => {
  for (const screen of SCREENS) {
    await go(app, screen);
    expect(await unlabelled(app), `unlabelled controls on ${screen}`).toEqual([]);
  }
  await app.setViewportSize({ width: 1280, height: 800 });
  for (const screen of SCREENS) {
    await go(app, screen);
    expect(await outOfView(app), `out of view on ${screen} at 1280×800`).toEqual([]);
  }
  // 150 % zoom in a 1024×700 window lays out like a 683×467 window at 100 %.
  await app.setViewportSize({ width: 683, height: 467 });
  for (const screen of SCREENS) {
    await go(app, screen);
    expect(await outOfView(app), `out of view on ${screen} at 150 % of 1024×700`).toEqual([]);
  }
});

test('Confirm shows who loses access; focus follows Confirm, Apply and Test connection', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(app.getByRole('region', { name: 'Connection test result' })).toBeFocused();

  const tag = Math.random().toString(36).slice(2, 7);
  // Keep three people (one with a new title); everyone else in scope would lose access — more
  // than the safeguard allows, so the typed count is needed too.
  const csv =
    HR_HEADER +
    `K${tag}1,Keep,One,keep1-${tag}@example.com,Staff,Active,,\n` +
    `K${tag}2,Keep,Two,keep2-${tag}@example.com,Staff,Active,,\n`;
  const file = await planOnSandbox(host, csv);
  const info = await host.engine.plans.register(file);
  const deactivate = info.counts.deactivate;
  expect(deactivate).toBeGreaterThan(10);

  await go(app, 'Import');
  host.desktop.willOpen(file);
  await app.getByRole('button', { name: 'Open a saved plan…' }).click();
  await app.getByRole('button', { name: 'Review and apply' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Confirm' })).toBeFocused();
  const losing = app.getByTestId('evidence-deactivate');
  await expect(losing).toContainText(`Lose access (deactivated) (${deactivate})`);
  await expect(losing.getByRole('listitem')).toHaveCount(11);
  await expect(losing).toContainText(`and ${deactivate - 10} more`);
  const attrs = app.getByTestId('evidence-attributes');
  await expect(attrs).toContainText(`active on ${deactivate} accounts`);

  const typed = app.getByLabel('Type the number of accounts to confirm');
  if (await typed.isVisible()) await typed.fill(String(info.summary.safeguards.overrideCount));
  await app.getByRole('button', { name: 'Apply to server' }).click();
  const focusedHeading = app.locator('.plan-flow h2:focus, .plan-flow h3:focus');
  await expect(focusedHeading).toHaveCount(1);
  await expect(app.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
});
