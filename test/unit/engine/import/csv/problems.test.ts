import { describe, expect, it } from 'vitest';
import { invalidEncoding } from '../../../../../engine/csv/problems';

const at = { file: '/data/hr.csv', line: 3, row: 2, headers: ['Name'], delimiter: ',' } as const;

describe('CSV reader problems', () => {
  it('keeps at most 200 characters of the offending cell, ending in …', () => {
    const p = invalidEncoding(at, 'Name', 'x'.repeat(500), 'UTF-8', false);
    expect(p.value).toBe(`${'x'.repeat(199)}…`);
  });

  it('never cuts a character in half (an emoji at the cut stays whole or goes)', () => {
    const p = invalidEncoding(at, 'Name', `${'x'.repeat(198)}😀${'y'.repeat(50)}`, 'UTF-8', false);
    expect(p.value).toBe(`${'x'.repeat(198)}😀…`);
  });
});
