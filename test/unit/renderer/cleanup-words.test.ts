import { describe, expect, it } from 'vitest';
import { resultSentence, sizeText } from '../../../renderer/src/features/runs/cleanup-words';

describe('cleanup words', () => {
  it('sizes in bytes and binary units', () => {
    expect(sizeText(0)).toBe('0 bytes');
    expect(sizeText(1536)).toBe('1.5 KiB');
    expect(sizeText(3 * 1024 * 1024)).toBe('3 MiB');
  });

  it('says what was removed and what could not be', () => {
    expect(resultSentence({ removed: [], removedBytes: 0, failed: [] })).toBe(
      'Nothing was removed from the data folder.',
    );
    const removed = [
      { id: 'plans/a.jsonl', kind: 'plan' as const, bytes: 1024 },
      { id: 'snapshots/b.jsonl', kind: 'snapshot' as const, bytes: 1024 },
    ];
    expect(resultSentence({ removed, removedBytes: 2048, failed: [] })).toBe(
      'Removed 2 files (2 KiB) from the data folder.',
    );
    expect(
      resultSentence({
        removed: removed.slice(0, 1),
        removedBytes: 1024,
        failed: [{ id: 'snapshots/b.jsonl', message: 'EACCES' }],
      }),
    ).toBe(
      'Removed 1 file (1 KiB) from the data folder. 1 file could not be removed: snapshots/b.jsonl (EACCES).',
    );
  });
});
