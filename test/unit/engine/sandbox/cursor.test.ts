import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../../../sandbox/cursor';
import { SandboxError } from '../../../../sandbox/sandbox-error';

const scimTypeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof SandboxError ? e.scimType : 'not-a-sandbox-error';
  }
  return undefined;
};

describe('cursor codec', () => {
  const codec = createCursorCodec();
  const cursor = codec.encode({ kind: 'seq', value: 42, issuedAt: 1000, query: 'q' });

  it('round-trips its own cursors', () => {
    expect(codec.decode(cursor, 'q', 1500, 10_000)).toEqual({
      kind: 'seq',
      value: 42,
      issuedAt: 1000,
      query: 'q',
    });
  });
  it('rejects tampering, another query and another server', () => {
    expect(scimTypeOf(() => codec.decode(`${cursor}x`, 'q', 1500, 10_000))).toBe('invalidCursor');
    expect(scimTypeOf(() => codec.decode(cursor, 'other', 1500, 10_000))).toBe('invalidCursor');
    expect(scimTypeOf(() => createCursorCodec().decode(cursor, 'q', 1500, 10_000))).toBe(
      'invalidCursor',
    );
    expect(scimTypeOf(() => codec.decode('garbage', 'q', 1500, 10_000))).toBe('invalidCursor');
  });
  it('expires after the timeout', () => {
    expect(scimTypeOf(() => codec.decode(cursor, 'q', 12_000, 10_000))).toBe('expiredCursor');
  });
});
