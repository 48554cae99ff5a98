import { describe, expect, it } from 'vitest';
import { makeHeaders } from '../../../../../engine/csv/headers';

describe('makeHeaders', () => {
  it('trims, keeps distinct names and reports nothing', () => {
    expect(makeHeaders([' userName ', 'name.givenName\t'], '/x/u.csv', 1)).toEqual({
      headers: ['userName', 'name.givenName'],
      problems: [],
    });
  });

  it('numbers duplicates, compared case-insensitively', () => {
    const { headers, problems } = makeHeaders(['Email', 'EMAIL', 'email', 'Name'], '/x/u.csv', 3);
    expect(headers).toEqual(['Email', 'EMAIL (2)', 'email (3)', 'Name']);
    expect(problems).toEqual([
      {
        file: '/x/u.csv',
        line: 3,
        column: 'EMAIL (2)',
        code: 'duplicate_header',
        severity: 'warning',
        message:
          'Column 2 of u.csv repeats the header "EMAIL" of column 1 (line 3); it is called "EMAIL (2)" here.',
        nextStep:
          'Rename one of the two columns in the file if they hold different data, or map the one you need.',
      },
      expect.objectContaining({ column: 'email (3)', code: 'duplicate_header' }),
    ]);
  });

  it('blank headers become "Column N" (N = position), never colliding with real names', () => {
    const { headers, problems } = makeHeaders(
      ['', 'Column 1', ' ', 'Column 3 (2)', ''],
      'u.csv',
      1,
    );
    expect(headers).toEqual(['Column 1 (2)', 'Column 1', 'Column 3', 'Column 3 (2)', 'Column 5']);
    expect(problems.map((p) => [p.code, p.column])).toEqual([
      ['blank_header', 'Column 1 (2)'],
      ['blank_header', 'Column 3'],
      ['blank_header', 'Column 5'],
    ]);
    expect(problems[0]?.message).toBe(
      'Column 1 of u.csv has no header (line 1); it is called "Column 1 (2)" here.',
    );
  });

  it('a generated duplicate name skips names used later in the file', () => {
    expect(makeHeaders(['a', 'a', 'a (2)'], 'u.csv', 1).headers).toEqual(['a', 'a (3)', 'a (2)']);
  });

  it('a header with undecodable bytes is named in a warning', () => {
    const { headers, problems } = makeHeaders(['userName', 'Pr\uFFFDnom'], '/x/u.csv', 1);
    expect(headers).toEqual(['userName', 'Pr\uFFFDnom']);
    expect(problems.map((p) => [p.code, p.column, p.severity])).toEqual([
      ['invalid_encoding', 'Pr\uFFFDnom', 'warning'],
    ]);
  });
});
