/**
 * Deterministic HR data for the planning benchmark: a server snapshot of N users (JSON Lines, as
 * the exporter writes it), an HR CSV describing the same people with realistic drift (5 % changed
 * job titles, 1 % terminated, 2 % new hires), and the mapping between them.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
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
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  '美咲',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  "O'Brien",
  'Müller',
  'García',
  'Nguyễn',
  '佐藤',
];
const DEPTS = ['Engineering', 'Sales', 'Finance', 'People', 'Legal', 'Support', 'Marketing, EMEA'];
const TITLES = [
  'Engineer',
  'Senior Engineer',
  'Manager',
  'Analyst',
  'Director',
  'Associate',
  'Specialist',
];

function idOf(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

function employeeId(i: number): string {
  return `E${String(i).padStart(7, '0')}`;
}

function person(i: number): {
  first: string;
  last: string;
  email: string;
  dept: string;
  title: string;
  manager: number | undefined;
} {
  const first = FIRST[i % FIRST.length] ?? 'A';
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'B';
  return {
    first,
    last,
    email: `user${i}@example.com`,
    dept: DEPTS[i % DEPTS.length] ?? 'Sales',
    title: TITLES[(i * 7) % TITLES.length] ?? 'Engineer',
    manager: i === 0 ? undefined : Math.floor((i - 1) / 10),
  };
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function end(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export type HrFiles = {
  csv: string;
  snapshot: string;
  mapping: string;
  /** What a correct plan must count. */
  expected: { create: number; update: number; deactivate: number; unchanged: number; rows: number };
};

/** Writes `hr.csv`, `snapshot.jsonl` and `mapping.json` for `n` users into `dir`. */
export async function writeHrFiles(dir: string, n: number): Promise<HrFiles> {
  const snapshot = join(dir, 'snapshot.jsonl');
  const csv = join(dir, 'hr.csv');
  const mapping = join(dir, 'mapping.json');
  const snap = createWriteStream(snapshot, { encoding: 'utf8' });
  for (let i = 0; i < n; i++) {
    const p = person(i);
    const user = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      id: idOf(i),
      userName: p.email,
      name: { givenName: p.first, familyName: p.last },
      displayName: `${p.first} ${p.last}`,
      emails: [{ type: 'work', value: p.email, primary: true }],
      title: p.title,
      active: true,
      [ENT]: {
        employeeNumber: employeeId(i),
        department: p.dept,
        ...(p.manager !== undefined ? { manager: { value: idOf(p.manager) } } : {}),
      },
      meta: { resourceType: 'User', version: `W/"${i}"` },
    };
    await write(snap, `${JSON.stringify(user)}\n`);
  }
  await end(snap);

  const out = createWriteStream(csv, { encoding: 'utf8' });
  await write(
    out,
    'Employee ID,First Name,Last Name,Work Email,Job Title,Department,Manager Employee ID,Employment Status\r\n',
  );
  let update = 0;
  let deactivate = 0;
  let create = 0;
  let unchanged = 0;
  const hires = Math.floor(n * 0.02);
  for (let i = 0; i < n + hires; i++) {
    const p = person(i);
    let title = p.title;
    let status = 'Active';
    if (i < n) {
      if (i % 20 === 3) title = `${p.title} II`;
      if (i % 100 === 7) status = 'Terminated';
      // A terminated person active on the server is a deactivation, whatever else changes.
      if (status !== 'Active') deactivate += 1;
      else if (title !== p.title) update += 1;
      else unchanged += 1;
    } else create += 1;
    const cells = [
      employeeId(i),
      p.first,
      p.last,
      p.email,
      title,
      p.dept,
      p.manager !== undefined ? employeeId(p.manager) : '',
      status,
    ];
    await write(out, `${cells.map(csvField).join(',')}\r\n`);
  }
  await end(out);

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
        manager: { column: 'Manager Employee ID', by: 'employeeNumber' },
        match: { keys: [[`${ENT}:employeeNumber`], ['userName']] },
      },
      null,
      2,
    ),
  );
  return {
    csv,
    snapshot,
    mapping,
    expected: { create, update, deactivate, unchanged, rows: n + hires },
  };
}
