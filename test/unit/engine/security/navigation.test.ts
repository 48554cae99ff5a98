import { describe, expect, it } from 'vitest';
import { isOwnPage } from '../../../../electron/main/policy/own-page';
import {
  isAllowedNavigation,
  isPermissionAllowed,
  windowOpenDecision,
} from '../../../../electron/main/policy/navigation';
import { isTrustedSender } from '../../../../electron/main/policy/sender';

const FILE_PAGE = 'file:///opt/SCIM%20Porter/resources/app/out/renderer/index.html';
const DEV_PAGE = 'http://localhost:5173/';

describe('isOwnPage / isAllowedNavigation', () => {
  it.each([
    [FILE_PAGE, FILE_PAGE, true],
    [`${FILE_PAGE}#/connections`, FILE_PAGE, true],
    [`${FILE_PAGE}?x=1`, FILE_PAGE, true],
    ['file:///opt/SCIM%20Porter/resources/app/out/renderer/other.html', FILE_PAGE, false],
    ['file:///etc/passwd', FILE_PAGE, false],
    ['https://evil.example/index.html', FILE_PAGE, false],
    ['http://localhost:5173/src/app.tsx', DEV_PAGE, true],
    ['http://localhost:5174/', DEV_PAGE, false],
    ['http://localhost.evil.example:5173/', DEV_PAGE, false],
    ['https://localhost:5173/', DEV_PAGE, false],
    ['javascript:alert(1)', FILE_PAGE, false],
    ['not a url', FILE_PAGE, false],
    ['', DEV_PAGE, false],
  ])('%s against %s → %s', (target, page, expected) => {
    expect(isOwnPage(target, page)).toBe(expected);
    expect(isAllowedNavigation(target, page)).toBe(expected);
  });

  it('treats a Windows drive letter case difference as the same page', () => {
    expect(
      isOwnPage('file:///c:/App/out/renderer/index.html', 'file:///C:/App/out/renderer/index.html'),
    ).toBe(true);
  });

  it('refuses pages loaded over anything but file:, http: or https:', () => {
    expect(isOwnPage('data:text/html,hi', 'data:text/html,hi')).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const ok = { frameUrl: FILE_PAGE, isTopFrame: true, isOurWindow: true };

  it('accepts the top frame of our window showing our page', () => {
    expect(isTrustedSender(ok, FILE_PAGE)).toBe(true);
  });

  it.each([
    ['an iframe', { ...ok, isTopFrame: false }],
    ['another window', { ...ok, isOurWindow: false }],
    ['a destroyed frame', { ...ok, frameUrl: undefined }],
    ['a page navigated away', { ...ok, frameUrl: 'https://evil.example/' }],
  ])('refuses %s', (_what, sender) => {
    expect(isTrustedSender(sender, FILE_PAGE)).toBe(false);
  });
});

describe('window.open and permissions', () => {
  it('never opens new windows', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'clipboard-read',
    'fullscreen',
  ])('denies %s even to our own page', (permission) => {
    expect(isPermissionAllowed(permission, FILE_PAGE, FILE_PAGE)).toBe(false);
  });

  it('allows clipboard writes from our own page only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', FILE_PAGE, FILE_PAGE)).toBe(true);
    expect(
      isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', FILE_PAGE),
    ).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, FILE_PAGE)).toBe(false);
  });
});
