import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND, windowBackground } from '../../../electron/main/policy/theme';

const css = readFileSync(new URL('../../../renderer/src/styles.css', import.meta.url), 'utf8');

/** The first `--bg:` after `from` in styles.css. */
function bgAfter(from: number): string | undefined {
  return /--bg:\s*(#[0-9a-fA-F]{3,8})/.exec(css.slice(from))?.[1]?.toLowerCase();
}

describe('windowBackground', () => {
  it('picks the dark or light colour', () => {
    expect(windowBackground(true)).toBe(WINDOW_BACKGROUND.dark);
    expect(windowBackground(false)).toBe(WINDOW_BACKGROUND.light);
  });

  it("equals the page's --bg in both colour schemes (no flash before the CSS loads)", () => {
    const dark = css.indexOf('@media (prefers-color-scheme: dark)');
    expect(dark).toBeGreaterThan(0);
    expect(bgAfter(css.indexOf(':root'))).toBe(WINDOW_BACKGROUND.light);
    expect(bgAfter(dark)).toBe(WINDOW_BACKGROUND.dark);
  });
});
