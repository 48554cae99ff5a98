/**
 * isEmailAddress checks plain ASCII text without its Unicode-aware expressions (validate-row.ts).
 * Property test: on generated text built from the characters that matter (letters, digits, dots,
 * hyphens, `@`, specials, spaces and control characters, a few non-ASCII letters), it answers as
 * the Unicode rules do.
 */
import { describe, expect, it } from 'vitest';
import { isEmailAddress } from '../../../../engine/plan/validate-row';
import { prng } from '../../shared/plan/helpers';

/** The check as written with Unicode expressions only (before the ASCII path). */
function reference(text: string): boolean {
  if (/[\s\p{Cc}]/u.test(text)) return false;
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (/[()<>[\]\\,;:"]/.test(local)) return false;
  if (domain.toLowerCase() === 'localhost') return true;
  const labels = domain.split('.');
  return (
    labels.length >= 2 &&
    labels.every((l) => /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u.test(l))
  );
}

const PIECES = [
  'a',
  'Z',
  '0',
  '9',
  '.',
  '.',
  '-',
  '_',
  '+',
  '@',
  '@',
  'example',
  'com',
  'localhost',
  'LocalHost',
  ' ',
  '\t',
  '\x7f',
  '\x00',
  '\x1f',
  '!',
  '(',
  ';',
  '"',
  '\\',
  'é',
  'ü',
  '\u00a0',
  '\u0301',
  '٣',
  'x',
  'mail',
];

describe('isEmailAddress', () => {
  it('answers as the Unicode rules on generated text', () => {
    const rand = prng(5);
    for (let run = 0; run < 20000; run++) {
      let text = '';
      const n = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
      expect(isEmailAddress(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it.each([
    ['ada@example.com', true],
    ['a.b-c_d+e@sub.example-1.com', true],
    ['ada@localhost', true],
    ['.ada@example.com', false],
    ['ada@-example.com', false],
    ['ada @example.com', false],
    ['ada@exa_mple.com', false],
    ['zoë@exämple.com', true],
  ])('%s → %s', (text, ok) => {
    expect(isEmailAddress(text)).toBe(ok);
    expect(reference(text)).toBe(ok);
  });
});
