import { describe, expect, it } from 'vitest';
import type { DesiredCell, MappedRow } from '../../../../shared/import/types';
import { createValueSafety } from '../../../../engine/resources/value-safety';
import { cols, ENT } from './helpers';

const targets = cols(
  'userName',
  'displayName',
  'emails[type eq "work"].value',
  `${ENT}:employeeNumber`,
  'emails',
  `${ENT}:manager.value`,
);
const safety = createValueSafety({
  file: '/data/hr.csv',
  targets,
  matchKeys: [[`${ENT}:employeeNumber`], ['userName']],
  sources: [['Email'], ['Name'], ['Work'], ['Id'], ['All emails'], ['Manager']],
  managerTarget: 5,
  headers: ['Email', 'Name', 'Work', 'Id', 'All emails', 'Manager'],
});

function row(cells: DesiredCell[], extra: Partial<MappedRow> = {}): MappedRow {
  return { row: 4, line: 5, cells, problems: [], ...extra };
}

function codes(m: MappedRow, raw?: string[]): string[] {
  return safety
    .check(m, raw ? { row: m.row, line: m.line, cells: raw } : undefined)
    .map((p) => `${p.code}:${p.severity}:${p.column ?? '-'}`);
}

describe('createValueSafety', () => {
  it('keys are the match keys, userName and the manager', () => {
    expect([...safety.keyTargets].sort()).toEqual([0, 3, 5]);
  });

  it('clean values pass untouched', () => {
    const m = row([
      'ada@example.com',
      'Ada\tLovelace\nPhD',
      'ada@example.com',
      '000123',
      'a@x.io;b@x.io',
      'E2',
    ]);
    expect(codes(m)).toEqual([]);
    expect(m.cells[1]).toBe('Ada\tLovelace\nPhD');
  });

  it('control characters: refused anywhere; line breaks and tabs refused in keys and emails', () => {
    expect(codes(row([undefined, 'Red\x1b[31m']))).toEqual(['control_character:error:Name']);
    expect(codes(row(['ada@example.com\n']))).toEqual(['control_character:error:Email']);
    expect(codes(row([undefined, undefined, 'a\t@x.io']))).toEqual([
      'control_character:error:Work',
    ]);
  });

  it('invisible characters at the edges of a key are trimmed with a warning', () => {
    const m = row(['\u200Bada@example.com\u200F', undefined, undefined, '\u2060E1']);
    expect(codes(m)).toEqual(['invisible_trimmed:warning:Email', 'invisible_trimmed:warning:Id']);
    expect(m.cells).toEqual(['ada@example.com', undefined, undefined, 'E1']);
  });

  it('edges the mapping trim already removed (NBSP, BOM) still get the warning', () => {
    const m = row(['ada@example.com']);
    expect(codes(m, ['\u00A0ada@example.com\uFEFF', '', '', '', '', ''])).toEqual([
      'invisible_trimmed:warning:Email',
    ]);
    const email = row([undefined, undefined, 'ada@example.com']);
    expect(codes(email, ['', '', 'ada@example.com\u00A0', '', '', ''])).toEqual([
      'invisible_trimmed:warning:Work',
    ]);
  });

  it('inside a key or email: refused, because removing it would change the key', () => {
    expect(codes(row(['a\u200Bda@example.com']))).toEqual(['invisible_in_key:error:Email']);
    expect(codes(row([undefined, undefined, undefined, 'E\u00A01']))).toEqual([
      'invisible_in_key:error:Id',
    ]);
    expect(codes(row([undefined, undefined, 'ada@ex\u202Eample.com']))).toEqual([
      'invisible_in_key:error:Work',
    ]);
  });

  it('invisible characters in other values are the data (ZWJ in a name)', () => {
    expect(codes(row([undefined, 'Eve\u200D', undefined]))).toEqual([]);
  });

  it('the manager key is trimmed on the mapped manager too', () => {
    const m = row([undefined, undefined, undefined, undefined, undefined, 'E2\u200B'], {
      manager: { by: 'employeeNumber', value: 'E2\u200B' },
    });
    expect(codes(m)).toEqual(['invisible_trimmed:warning:Manager']);
    expect(m.manager).toEqual({ by: 'employeeNumber', value: 'E2' });
  });

  it('RFC 5321: local part 64 octets, whole address 254 (octets, so accents count twice)', () => {
    const local = (n: number) => `${'x'.repeat(n)}@example.com`;
    expect(codes(row([undefined, undefined, local(64)]))).toEqual([]);
    expect(codes(row([undefined, undefined, local(65)]))).toEqual(['email_too_long:error:Work']);
    expect(codes(row([undefined, undefined, `${'é'.repeat(33)}@example.com`]))).toEqual([
      'email_too_long:error:Work',
    ]);
    const long = `a@${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.com`;
    expect(long.length).toBe(249);
    expect(codes(row([undefined, undefined, `abcde${long}`]))).toEqual([]);
    expect(codes(row([undefined, undefined, `abcdef${long}`]))).toEqual([
      'email_too_long:error:Work',
    ]);
  });

  it('a userName written as an address is held to the same limits; a joined emails cell per address', () => {
    expect(codes(row([`${'x'.repeat(70)}@example.com`]))).toEqual(['email_too_long:error:Email']);
    expect(
      codes(row([undefined, undefined, undefined, undefined, `a@x.io;${'y'.repeat(65)}@x.io`])),
    ).toEqual(['email_too_long:error:All emails']);
  });

  it('group names: edges trimmed, inner invisible characters refused', () => {
    const m = row([], { groups: ['Engineering\u200B', 'Ops'] });
    expect(codes(m)).toEqual(['invisible_trimmed:warning:-']);
    expect(m.groups).toEqual(['Engineering', 'Ops']);
    expect(codes(row([], { groups: ['Eng\u200Bineering'] }))).toEqual(['invisible_in_key:error:-']);
  });

  it('messages name the file, row, line and column; the value shows the hidden character', () => {
    const [p] = safety.check(row(['a\u200Bda@example.com']));
    expect(p).toMatchObject({
      file: '/data/hr.csv',
      row: 4,
      line: 5,
      column: 'Email',
      value: 'a[U+200B]da@example.com',
      message:
        'Row 4 (line 5) of hr.csv: the value of userName in column "Email" has an invisible character (zero-width space U+200B) inside it; the row is held back, because removing it would change which account the row names.',
    });
  });
});
