import { describe, expect, it } from 'vitest';
import { permissionDecision } from '../../../electron/main/policy/permissions';
import permissionNames from '../../fixtures/electron-permissions.json' with { type: 'json' };

const PAGE = 'file:///opt/SCIM%20Porter/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

// Every permission name Electron 45's session handlers can be asked about (shared with the
// smoke test).
const ELECTRON_PERMISSIONS: string[] = permissionNames;

describe('permissionDecision', () => {
  it.each(ELECTRON_PERMISSIONS.filter((p) => p !== 'clipboard-sanitized-write'))(
    'denies %s even to our own page',
    (permission) => {
      expect(permissionDecision({ permission, requestingUrl: PAGE, isMainFrame: true }, PAGE)).toBe(
        false,
      );
    },
  );

  it('allows clipboard writes to the top frame of our own page', () => {
    const q = { permission: 'clipboard-sanitized-write', isMainFrame: true };
    expect(permissionDecision({ ...q, requestingUrl: PAGE }, PAGE)).toBe(true);
    expect(permissionDecision({ ...q, requestingUrl: `${DEV}#/runs` }, DEV)).toBe(true);
  });

  it('prefers the full URL: a file: origin alone does not name our page', () => {
    const q = { permission: 'clipboard-sanitized-write', isMainFrame: true };
    expect(
      permissionDecision({ ...q, requestingUrl: PAGE, requestingOrigin: 'file:///' }, PAGE),
    ).toBe(true);
    expect(
      permissionDecision({ ...q, requestingUrl: undefined, requestingOrigin: 'file:///' }, PAGE),
    ).toBe(false);
    // On the dev server the origin is enough.
    expect(
      permissionDecision(
        { ...q, requestingUrl: undefined, requestingOrigin: 'http://localhost:5173' },
        DEV,
      ),
    ).toBe(true);
  });

  it('denies clipboard writes to sub-frames and other pages', () => {
    const q = { permission: 'clipboard-sanitized-write' };
    expect(permissionDecision({ ...q, requestingUrl: PAGE, isMainFrame: false }, PAGE)).toBe(false);
    expect(
      permissionDecision({ ...q, requestingUrl: 'https://evil.example/', isMainFrame: true }, PAGE),
    ).toBe(false);
    expect(
      permissionDecision(
        { ...q, requestingUrl: 'file:///tmp/other.html', isMainFrame: true },
        PAGE,
      ),
    ).toBe(false);
    expect(permissionDecision({ ...q, requestingUrl: undefined, isMainFrame: true }, PAGE)).toBe(
      false,
    );
  });
});
