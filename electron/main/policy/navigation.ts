import { isOwnPage } from './own-page';

/** `will-navigate` / `will-redirect`: the window may only ever show our own page. */
export function isAllowedNavigation(targetUrl: string, appPageUrl: string): boolean {
  return isOwnPage(targetUrl, appPageUrl);
}

/**
 * `setWindowOpenHandler`: never open a new Electron window. Links that should reach the user's
 * browser must go through an explicit, allowlisted IPC action instead.
 */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Permission requests and checks (camera, geolocation, notifications, …). The app needs none
 * except writing to the clipboard from its own page (the "copy raw answer" button).
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  appPageUrl: string,
): boolean {
  if (permission !== 'clipboard-sanitized-write') return false;
  return requestingUrl !== undefined && isOwnPage(requestingUrl, appPageUrl);
}
