import { join } from 'node:path';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');
const SCREENS = [
  { nav: 'Connections', key: '1', heading: 'Connections' },
  { nav: 'Import', key: '2', heading: 'Import' },
  { nav: 'Export', key: '3', heading: 'Export' },
  { nav: 'Sweep', key: '4', heading: 'Sweep' },
  { nav: 'Runs', key: '5', heading: 'Runs' },
] as const;

test('every screen is reachable from the keyboard alone, with visible focus', async ({ app }) => {
  for (const s of SCREENS) {
    await app.keyboard.press(`Control+${s.key}`);
    await expect(app.getByRole('heading', { level: 1, name: s.heading })).toBeVisible();
  }
  // Tab from the top: the skip link first, then the navigation, each with a visible outline.
  await app.keyboard.press('Control+1');
  // The skip link is the first stop in the page; Tab goes on into the navigation.
  await app.getByRole('link', { name: 'Skip to content' }).focus();
  await app.keyboard.press('Tab');
  const first = app.getByRole('navigation', { name: 'Main' }).getByRole('button').first();
  await expect(first).toBeFocused();
  const outline = await app.evaluate<string>(
    'getComputedStyle(document.activeElement).outlineStyle',
  );
  expect(outline).not.toBe('none');
  await app.keyboard.press('Tab');
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
});

test('the application menu drives navigation', async ({ app, host }) => {
  await expect(app.getByRole('heading', { level: 1, name: 'Connections' })).toBeVisible();
  // The page may not listen yet when it first shows: the "menu" sends again until it is heard
  // (no fixed wait); once it is, every later command is heard at once.
  await expect(async () => {
    host.emit('app:menu', { command: 'go-runs' });
    await expect(app.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible({
      timeout: 500,
    });
  }).toPass({ timeout: 15_000 });
  host.emit('app:menu', { command: 'go-export' });
  await expect(app.getByRole('heading', { level: 1, name: 'Export' })).toBeVisible();
});

test('at 150 % zoom no screen scrolls sideways; dark mode follows the OS', async ({ app }) => {
  // 150 % zoom of a 1280 × 840 window leaves a 853 × 560 CSS-pixel viewport.
  await app.setViewportSize({ width: 853, height: 560 });
  for (const s of SCREENS) {
    await app
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: s.nav })
      .click();
    await expect(app.getByRole('heading', { level: 1, name: s.heading })).toBeVisible();
    const overflow = await app.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow, `${s.nav} scrolls sideways at 150 %`).toBeLessThanOrEqual(0);
  }
  await app.screenshot({ path: join(SHOTS, '60-zoom-150-runs.png'), fullPage: true });

  await app.setViewportSize({ width: 1280, height: 840 });
  await app.emulateMedia({ colorScheme: 'dark' });
  await app
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click();
  const background = await app.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
  expect(r + g + b, `dark background, got ${background}`).toBeLessThan(200);
  await app.screenshot({ path: join(SHOTS, '61-dark-import.png'), fullPage: true });
});
