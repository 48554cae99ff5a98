/**
 * The value for Electron's `BrowserWindow.setProgressBar` from the DesktopPort's fraction: 0–1 is
 * a bar, a negative fraction (progress of unknown length) is Electron's indeterminate mode (> 1),
 * and `null` removes the bar (Electron: < 0).
 */
export function taskbarProgressValue(fraction: number | null): number {
  if (fraction === null) return -1;
  if (fraction < 0) return 2;
  return Math.min(1, fraction);
}
