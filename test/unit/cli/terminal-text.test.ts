import { describe, expect, it } from 'vitest';
import { csvFixFlags } from '../../../cli/io';
import { terminalSafe, terminalValue } from '../../../cli/terminal-text';

describe('terminalSafe', () => {
  it('shows escape sequences, bells, lone CRs, C1 controls and bidi overrides as \\u escapes', () => {
    expect(terminalSafe('Red\x1b[31m Alert\x1b[0m')).toBe('Red\\u001b[31m Alert\\u001b[0m');
    expect(terminalSafe('\x1b]8;;http://evil\x07link\x1b]8;;\x07')).toBe(
      '\\u001b]8;;http://evil\\u0007link\\u001b]8;;\\u0007',
    );
    expect(terminalSafe('ok\rforged')).toBe('ok\\u000dforged');
    expect(terminalSafe('C1 \u009b2J')).toBe('C1 \\u009b2J');
    expect(terminalSafe('abc\u202Egnp.exe')).toBe('abc\\u202egnp.exe');
  });

  it('leaves text, tabs, line feeds and non-Latin scripts alone', () => {
    const text = 'José\tMüller\n李小龙 أمل 👩‍💻';
    expect(terminalSafe(text)).toBe(text);
  });

  it('keeps JSON valid and equal: a raw C1 or bidi character becomes its JSON escape', () => {
    const json = JSON.stringify({ displayName: 'x\u0085y\u202E', esc: '\x1b' });
    expect(JSON.parse(terminalSafe(json))).toEqual({ displayName: 'x\u0085y\u202E', esc: '\x1b' });
    expect(terminalSafe(json)).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
  });
});

describe('terminalValue and the marks terminals reorder or break on', () => {
  it('shows bidi marks and Unicode line separators as escapes, in lines and values', () => {
    expect(terminalSafe('a\u200Fb\u061Cc\u2028d\u2029e\u200E')).toBe(
      'a\\u200fb\\u061cc\\u2028d\\u2029e\\u200e',
    );
  });

  it('keeps one value on one line: a line feed or tab inside it cannot forge a line or column', () => {
    expect(terminalValue('Okta\nSaved connection "prod"\t(ok)\x1b[2J')).toBe(
      'Okta\\u000aSaved connection "prod"\\u0009(ok)\\u001b[2J',
    );
    expect(terminalValue('José Müller 李小龙')).toBe('José Müller 李小龙');
  });
});

describe('csvFixFlags', () => {
  it('names the flags that apply a read fix', () => {
    expect(csvFixFlags({ skipLines: 3 })).toBe(
      'run the command again with --skip-lines 3 (the mapping written by "scim-porter mapping suggest" then records it).',
    );
    expect(csvFixFlags({ header: false })).toMatch(/with --no-header /);
  });
});
