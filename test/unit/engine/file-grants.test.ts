import { describe, expect, it } from 'vitest';
import { createFileGrants } from '../../../engine/workspace/file-grants';

describe('file grants', () => {
  it('in the app, only paths the admin chose pass (normalised), with a sentence otherwise', () => {
    const grants = createFileGrants('chosen');
    expect(() => grants.check('/home/admin/.ssh/id_ed25519', 'read')).toThrow(
      /only reads files you open/,
    );
    grants.grant('/data/in/../hr.csv', 'read');
    expect(grants.check('/data/hr.csv', 'read')).toBe('/data/hr.csv');
    expect(() => grants.check('/data/hr.csv.bak', 'read')).toThrow();
  });

  it('binds each grant to its purpose: an opened file is never written, a save target never read', () => {
    const grants = createFileGrants('chosen');
    grants.grant('/data/hr.csv', 'read');
    grants.grant('/data/out.csv', 'write');
    expect(() => grants.check('/data/hr.csv', 'write')).toThrow(/only writes where you choose/);
    expect(() => grants.check('/data/out.csv', 'read')).toThrow(/only reads files you open/);
    expect(grants.check('/data/out.csv', 'write')).toBe('/data/out.csv');
    expect(grants.isGranted('/data/hr.csv')).toBe(true);
    expect(grants.isGranted('/data/other.csv')).toBe(false);
    // Both purposes, when the admin chose the same file in an Open and in a Save dialog.
    grants.grant('/data/hr.csv', 'write');
    expect(grants.check('/data/hr.csv', 'write')).toBe('/data/hr.csv');
  });

  it('for the CLI and tests without dialogs, any path passes', () => {
    expect(createFileGrants('any').check('/tmp/x.csv', 'write')).toBe('/tmp/x.csv');
  });
});
