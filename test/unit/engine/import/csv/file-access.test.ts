import { describe, expect, it } from 'vitest';
import {
  describeChange,
  fileAccessError,
  type FileStamp,
} from '../../../../../engine/csv/file-access';

const errno = (code: string): Error => Object.assign(new Error(code), { code });

describe('fileAccessError', () => {
  it.each([
    ['ENOENT', 'The file /d/x.csv does not exist.'],
    ['EISDIR', '/d/x.csv is a folder, not a CSV file.'],
    ['EACCES', 'SCIM Porter is not allowed to read /d/x.csv.'],
    ['EPERM', 'SCIM Porter is not allowed to read /d/x.csv.'],
    ['EBUSY', '/d/x.csv is locked by another program.'],
    ['EIO', 'SCIM Porter could not read /d/x.csv.'],
  ])('%s names the file in a sentence', (code, message) => {
    const e = fileAccessError('/d/x.csv', errno(code));
    expect(e.message).toBe(message);
  });
});

describe('describeChange', () => {
  const before: FileStamp = { dev: 1n, ino: 7n, nlink: 1n, size: 100n, mtimeNs: 5n };
  it.each([
    [{ ...before }, undefined, undefined],
    [{ ...before, size: 40n }, undefined, 'it was shortened from 100 to 40 bytes'],
    [{ ...before, size: 140n }, undefined, 'it grew from 100 to 140 bytes'],
    [{ ...before, mtimeNs: 6n }, undefined, 'it was modified'],
    [{ ...before, ino: 8n }, undefined, 'it was replaced by another file'],
    [{ ...before, nlink: 0n }, undefined, 'it was deleted'],
    [{ ...before, nlink: 0n }, { ...before, ino: 9n }, 'it was replaced by another file'],
  ] as const)('%o (path now %o) → %s', (now, atPath, what) => {
    expect(describeChange(before, now, atPath)).toBe(what);
  });
  it('a path that is gone', () => {
    expect(describeChange(before, undefined)).toBe('it was deleted');
  });
});
