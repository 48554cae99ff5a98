import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseColumnHeader } from '../../../../shared/columns/columns';
import { renderCsv } from '../../../../engine/export/csv-render';
import type { LineFileWriter } from '../../../../engine/files/line-file';

function memoryWriter(): LineFileWriter & { text: () => string } {
  const parts: string[] = [];
  return {
    write: (t) => {
      parts.push(t);
      return Promise.resolve();
    },
    commit: () => Promise.resolve(),
    abort: () => Promise.resolve(),
    bytes: () => parts.join('').length,
    text: () => parts.join(''),
  };
}

describe('renderCsv', () => {
  let dir = '';
  let snapshot = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-render-'));
    snapshot = join(dir, 'users.jsonl');
    const users = [
      { schemas: [], id: '1', userName: '=cmd', emails: [{ type: 'work', value: 'a@x.org' }] },
      {
        schemas: [],
        id: '2',
        userName: 'bo',
        emails: [
          { type: 'work', value: 'b@x.org' },
          { type: 'work', value: 'b2@x.org' },
        ],
      },
    ];
    await writeFile(snapshot, users.map((u) => JSON.stringify(u)).join('\n') + '\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const columns = ['userName', 'emails[type eq "work"].value'].map((h) => parseColumnHeader(h));

  it('writes the header and one row per line, escaping formulas by default', async () => {
    const out = memoryWriter();
    const unrepresentable = await renderCsv(snapshot, columns, out, {});
    const lines = out.text().split('\r\n');
    expect(lines[0]).toBe('userName,"emails[type eq ""work""].value"');
    expect(lines[1]).toBe("'=cmd,a@x.org");
    expect(lines[2]).toBe('bo,b@x.org');
    // The second work email has no column.
    expect(unrepresentable).toBe(1);
  });

  it('keeps formulas and starts with a BOM when asked', async () => {
    const out = memoryWriter();
    await renderCsv(snapshot, columns, out, { escapeFormulas: false, excel: true });
    expect(out.text().startsWith('\uFEFFuserName,')).toBe(true);
    expect(out.text().split('\r\n')[1]).toBe('=cmd,a@x.org');
  });
});
