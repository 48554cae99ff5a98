import { describe, expect, it } from 'vitest';
import { createFileGrants } from '../../../electron/engine/workspace/file-grants';

describe('file grants', () => {
  it('in the app, only paths the admin chose pass (normalised), with a sentence otherwise', () => {
    const grants = createFileGrants('chosen');
    expect(() => grants.check('/home/admin/.ssh/id_ed25519')).toThrow(
      /only opens and writes files you choose/,
    );
    grants.grant('/data/in/../hr.csv');
    expect(grants.check('/data/hr.csv')).toBe('/data/hr.csv');
    expect(() => grants.check('/data/hr.csv.bak')).toThrow();
  });

  it('for the CLI and tests without dialogs, any path passes', () => {
    expect(createFileGrants('any').check('/tmp/x.csv')).toBe('/tmp/x.csv');
  });
});
