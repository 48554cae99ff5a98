/**
 * Input for the apply benchmark: an HR CSV of N new hires (no managers, no groups, so every row is
 * exactly one create), an empty server snapshot to plan against offline, and the mapping.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Zoë',
  'José',
  'Søren',
  '美咲',
];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', "O'Brien", 'Müller', '佐藤'];
const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Analyst', 'Director', 'Specialist'];
const DEPTS = ['Engineering', 'Sales', 'Finance', 'People', 'Legal', 'Marketing, EMEA'];

type ApplyFiles = { csv: string; snapshot: string; mapping: string; rows: number };

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes `hires.csv`, an empty `snapshot.jsonl` and `mapping.json` for `n` new users into `dir`. */
export async function writeApplyFiles(dir: string, n: number): Promise<ApplyFiles> {
  const csv = join(dir, 'hires.csv');
  const snapshot = join(dir, 'snapshot.jsonl');
  const mapping = join(dir, 'mapping.json');
  const out = createWriteStream(csv, { encoding: 'utf8' });
  await write(
    out,
    'Employee ID,First Name,Last Name,Work Email,Job Title,Department,Employment Status\r\n',
  );
  for (let i = 0; i < n; i++) {
    const cells = [
      `E${String(i).padStart(7, '0')}`,
      FIRST[i % FIRST.length] ?? 'A',
      LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'B',
      `hire${i}@example.com`,
      TITLES[(i * 7) % TITLES.length] ?? 'Engineer',
      DEPTS[i % DEPTS.length] ?? 'Sales',
      'Active',
    ];
    await write(out, `${cells.map(csvField).join(',')}\r\n`);
  }
  out.end();
  await once(out, 'finish');
  await writeFile(snapshot, '');
  await writeFile(
    mapping,
    JSON.stringify(
      {
        version: 1,
        resourceType: 'User',
        attributes: [
          { target: 'userName', source: { column: 'Work Email' }, transforms: ['trim', 'lower'] },
          { target: 'name.givenName', source: { column: 'First Name' } },
          { target: 'name.familyName', source: { column: 'Last Name' } },
          { target: 'displayName', source: { template: '{First Name} {Last Name}' } },
          {
            target: 'emails[type eq "work"].value',
            source: { column: 'Work Email' },
            transforms: ['lower'],
          },
          { target: 'title', source: { column: 'Job Title' } },
          { target: `${ENT}:employeeNumber`, source: { column: 'Employee ID' } },
          { target: `${ENT}:department`, source: { column: 'Department' } },
        ],
        active: { column: 'Employment Status' },
        match: { keys: [[`${ENT}:employeeNumber`], ['userName']] },
      },
      null,
      2,
    ),
  );
  return { csv, snapshot, mapping, rows: n };
}
