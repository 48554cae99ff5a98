import { isPermissionAllowed } from './navigation';

/** What Electron passes to the session's permission request and check handlers. */
type PermissionQuery = {
  permission: string;
  /** `details.requestingUrl`: the URL the asking frame last loaded (may be absent on checks). */
  requestingUrl: string | undefined;
  /** The check handler's `requestingOrigin` (for file: pages just `file:///`). */
  requestingOrigin?: string;
  /** `details.isMainFrame`. */
  isMainFrame: boolean;
};

/**
 * The session's answer to a permission request or check. Only the top frame of our own page is
 * ever considered, and `isPermissionAllowed` grants it nothing but clipboard writes. The full
 * URL is preferred over the origin: a file: page's origin (`file:///`) does not say which file.
 */
export function permissionDecision(query: PermissionQuery, appPageUrl: string): boolean {
  if (!query.isMainFrame) return false;
  const url = query.requestingUrl ?? query.requestingOrigin;
  return isPermissionAllowed(query.permission, url, appPageUrl);
}
