import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../../engine/mapping/compile';
import { parseMappingSpec } from '../../../../shared/mapping/spec';
import type { CsvRow } from '../../../../shared/import/types';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const HEADERS = [
  'Employee ID',
  'First Name',
  'Last Name',
  'Preferred Name',
  'Work Email',
  'Job Title',
  'Department',
  'Manager ID',
  'Status',
  'Hire Date',
  'Location',
  'Cost Center',
  'Phone',
  'Groups',
  'Country',
];

describe('mapRow throughput', () => {
  it('maps 100k rows of 15 columns quickly', () => {
    const spec = parseMappingSpec({
      version: 1,
      attributes: [
        { target: `${ENT}:employeeNumber`, source: { column: 'Employee ID' } },
        { target: 'userName', source: { column: 'Work Email' }, transforms: ['lower'] },
        { target: 'emails[type eq "work"].value', source: { column: 'Work Email' } },
        { target: 'name.givenName', source: { column: 'First Name' } },
        { target: 'name.familyName', source: { column: 'Last Name' } },
        { target: 'nickName', source: { columns: ['Preferred Name', 'First Name'] } },
        {
          target: 'displayName',
          source: { template: '{First Name} {Last Name}' },
          transforms: ['normalizeDiacritics'],
        },
        { target: 'title', source: { column: 'Job Title' }, empty: 'clear' },
        { target: `${ENT}:department`, source: { column: 'Department' } },
        { target: `${ENT}:costCenter`, source: { column: 'Cost Center' } },
        { target: 'addresses[type eq "work"].locality', source: { column: 'Location' } },
        {
          target: 'addresses[type eq "work"].country',
          source: { column: 'Country' },
          transforms: [{ op: 'lookup', table: { France: 'FR', Germany: 'DE' }, otherwise: 'keep' }],
        },
        {
          target: 'phoneNumbers[type eq "work"].value',
          source: { column: 'Phone' },
          transforms: [{ op: 'regexReplace', pattern: '[^+\\d]', flags: 'g', replacement: '' }],
        },
        {
          target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
          source: { column: 'Hire Date' },
          transforms: [{ op: 'date', from: ['M/D/YYYY'], to: 'iso-date' }],
        },
      ],
      active: { column: 'Status' },
      groups: { column: 'Groups' },
      manager: { column: 'Manager ID', by: 'employeeNumber' },
    });
    const m = compileMapping(spec, HEADERS);
    const rows: CsvRow[] = [];
    for (let i = 0; i < 100_000; i++) {
      rows.push({
        row: i + 1,
        line: i + 2,
        cells: [
          `E${i}`,
          i % 10 === 0 ? 'José' : 'Ada',
          'Lovelace',
          i % 3 === 0 ? '' : 'Addie',
          `Ada.${i}@Example.com`,
          'Engineer',
          'R&D',
          `E${i >> 1}`,
          i % 7 === 0 ? 'Terminated' : 'Active',
          `${(i % 12) + 1}/${(i % 28) + 1}/2019`,
          'London',
          'CC-42',
          '+44 (20) 7946 0000',
          'Staff;Engineering',
          i % 2 ? 'France' : 'Germany',
        ],
      });
    }
    const started = performance.now();
    let problems = 0;
    for (const r of rows) problems += m.mapRow(r).problems.length;
    const ms = performance.now() - started;
    console.log(
      `mapRow: 100,000 rows × 15 columns in ${ms.toFixed(0)} ms (${Math.round(100_000 / (ms / 1000)).toLocaleString('en')} rows/s)`,
    );
    expect(problems).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });
});
