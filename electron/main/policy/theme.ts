/**
 * The window's own background, painted before the page's CSS has loaded. It must equal `--bg` of
 * `renderer/src/styles.css` for the matching colour scheme (a unit test checks), or the window
 * flashes white (or dark) on start.
 */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#14171c' } as const;

/** `dark`: Electron's `nativeTheme.shouldUseDarkColors` (themeSource 'system'). */
export function windowBackground(dark: boolean): string {
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}
