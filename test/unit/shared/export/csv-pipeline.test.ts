/**
 * The CSV export path end to end, as the exporter composes it: discover columns, flatten, escape
 * formulas, format rows; and back: parse the file (papaparse), unescape, parse headers, unflatten.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  escapeFormula,
  formatCsvRow,
  unescapeFormula,
  UTF8_BOM,
} from '../../../../engine/csv/csv-format';
import { createColumnCollector } from '../../../../engine/columns/column-discovery';
import { parseColumnHeader } from '../../../../shared/columns/columns';
import { flattenResource } from '../../../../engine/columns/flatten';
import { unflattenRow } from '../../../../engine/columns/unflatten';
import { canonical, randomUser, representable, rng } from './fixtures';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Writes resources as CSV text the way the exporter does (formula escaping on). */
function toCsv(resources: readonly Record<string, unknown>[], kind = 'User'): string {
  const collector = createColumnCollector({ resourceKind: kind });
  for (const r of resources) collector.observe(r);
  const columns = collector.columns();
  let text = formatCsvRow(columns.map((c) => escapeFormula(c.header)));
  for (const r of resources) {
    text += formatCsvRow(flattenResource(r, columns).cells.map(escapeFormula));
  }
  return text;
}

/** Reads CSV text back into SCIM fragments. */
function fromCsv(text: string): Record<string, unknown>[] {
  const parsed = Papa.parse<string[]>(text.replace(/\r\n$/, ''), {
    delimiter: ',',
    newline: '\r\n',
  });
  expect(parsed.errors).toEqual([]);
  const [header = [], ...rows] = parsed.data;
  const columns = header.map((h) => parseColumnHeader(unescapeFormula(h)));
  return rows.map((row) => unflattenRow(columns, row.map(unescapeFormula)));
}

const YAMADA = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '1',
  userName: 'yamada@example.jp',
  name: { familyName: '山田', givenName: '太郎' },
  displayName: '山田 太郎',
  title: 'He said "hi", twice',
  emails: [{ type: 'work', value: 'yamada@example.jp', primary: true }],
  phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
  groups: [{ value: 'g1', display: 'R&D; EU' }],
  meta: { resourceType: 'User', version: 'W/"1"' },
};

const ZOE = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
  id: '2',
  userName: 'zoe',
  name: { familyName: 'Ñuñez', givenName: 'Zoë' },
  displayName: '=HYPERLINK("http://x","y")',
  active: false,
  addresses: [{ type: 'work', streetAddress: 'Line 1\r\nLine 2', locality: 'Αθήνα' }],
  [ENT]: { employeeNumber: '-5', department: 'العربية' },
  groups: [
    { value: 'g3', display: '@admins' },
    { value: 'g2', display: 'Ελένη' },
  ],
};

const EXPECTED_CSV =
  'id,userName,name.givenName,name.familyName,displayName,title,active,' +
  '"emails[type eq ""work""].value","emails[type eq ""work""].primary",' +
  '"phoneNumbers[type eq ""mobile""].value",' +
  '"addresses[type eq ""work""].streetAddress","addresses[type eq ""work""].locality",' +
  `${ENT}:employeeNumber,${ENT}:department,groups\r\n` +
  '1,yamada@example.jp,太郎,山田,山田 太郎,"He said ""hi"", twice",,' +
  "yamada@example.jp,true,'+14155550100,,,,,R&D\\; EU\r\n" +
  '2,zoe,Zoë,Ñuñez,"\'=HYPERLINK(""http://x"",""y"")",,false,,,,' +
  '"Line 1\r\nLine 2",Αθήνα,\'-5,العربية,\'@admins;Ελένη\r\n';

describe('CSV export pipeline', () => {
  it('writes tricky values byte for byte', () => {
    expect(toCsv([YAMADA, ZOE])).toBe(EXPECTED_CSV);
  });

  it('encodes as UTF-8 with an optional BOM', () => {
    const bytes = new TextEncoder().encode(UTF8_BOM + toCsv([YAMADA]));
    expect([...bytes.slice(0, 5)]).toEqual([0xef, 0xbb, 0xbf, 0x69, 0x64]); // BOM, "id"
    const yamada = new TextEncoder().encode('山田');
    expect([...yamada]).toEqual([0xe5, 0xb1, 0xb1, 0xe7, 0x94, 0xb0]);
  });

  it('reads its own file back into the same resources', () => {
    expect(fromCsv(EXPECTED_CSV)).toEqual([
      {
        id: '1',
        userName: 'yamada@example.jp',
        name: { givenName: '太郎', familyName: '山田' },
        displayName: '山田 太郎',
        title: 'He said "hi", twice',
        emails: [{ type: 'work', value: 'yamada@example.jp', primary: true }],
        phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
        groups: [{ display: 'R&D; EU' }],
      },
      {
        id: '2',
        userName: 'zoe',
        name: { familyName: 'Ñuñez', givenName: 'Zoë' },
        displayName: '=HYPERLINK("http://x","y")',
        active: false,
        addresses: [{ type: 'work', streetAddress: 'Line 1\r\nLine 2', locality: 'Αθήνα' }],
        [ENT]: { employeeNumber: '-5', department: 'العربية' },
        groups: [{ display: '@admins' }, { display: 'Ελένη' }],
      },
    ]);
  });

  it('round-trips random users through the file', () => {
    const next = rng(4180);
    const users = Array.from({ length: 200 }, (_, i) => randomUser(next, i));
    const back = fromCsv(toCsv(users));
    expect(back.map(canonical)).toEqual(users.map((u) => canonical(representable(u))));
  });
});
