import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../../engine/files/data-dir';

describe('resolveDataDir', () => {
  it('prefers SCIM_PORTER_DATA_DIR', () => {
    expect(resolveDataDir({ SCIM_PORTER_DATA_DIR: '/tmp/x' }, 'linux', '/home/a')).toBe('/tmp/x');
  });
  it('matches Electron userData on Linux, honouring XDG_CONFIG_HOME', () => {
    expect(resolveDataDir({}, 'linux', '/home/a')).toBe('/home/a/.config/SCIM Porter');
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/a')).toBe(
      '/cfg/SCIM Porter',
    );
  });
  it('matches Electron userData on macOS and Windows', () => {
    expect(resolveDataDir({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/SCIM Porter',
    );
    expect(resolveDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32', 'C:/Users/a')).toBe(
      'C:/Users/a/AppData/Roaming/SCIM Porter',
    );
  });
});
