/**
 * An HR CSV describing the users of the synthetic SCIM server (synthetic-scim-server.ts) with
 * realistic drift — 5 % changed job titles, 1 % terminated, 2 % new hires — and the mapping
 * between them, so a plan built against that server matches, updates and creates like a real one.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { URN } from '../../shared/scim/urns';
import { syntheticUser } from './synthetic-scim-server';

export type SyntheticHrFiles = {
  csv: string;
  mapping: string;
  /** Data rows in the CSV (server users plus new hires). */
  rows: number;
};

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

type Person = {
  schemas: string[];
  userName: string;
  name: { givenName: string; familyName: string };
  title: string;
  [key: string]: unknown;
};

function cells(i: number, users: number): string[] {
  const u = syntheticUser(i, users, '') as Person;
  const ent = u[URN.enterpriseUser] as { employeeNumber: string; department: string };
  const title = i % 20 === 3 ? `${u.title} II` : u.title;
  const status = i % 100 === 7 ? 'Terminated' : 'Active';
  return [
    ent.employeeNumber,
    u.name.givenName,
    u.name.familyName,
    u.userName,
    title,
    ent.department,
    status,
  ];
}

/** Writes `hr.csv` and `mapping.json` into `dir` for a server of `users` synthetic users. */
export async function writeSyntheticHrFiles(dir: string, users: number): Promise<SyntheticHrFiles> {
  const csv = join(dir, 'hr.csv');
  const mapping = join(dir, 'mapping.json');
  const out = createWriteStream(csv, { encoding: 'utf8' });
  await write(
    out,
    'Employee ID,First Name,Last Name,Work Email,Job Title,Department,Employment Status\r\n',
  );
  const hires = Math.floor(users * 0.02);
  // Users are numbered from 1; the hires continue the numbering, so they are not on the server.
  for (let i = 1; i <= users + hires; i++) {
    await write(out, `${cells(i, users).map(csvField).join(',')}\r\n`);
  }
  out.end();
  await once(out, 'finish');
  const ent = URN.enterpriseUser;
  const spec = {
    version: 1,
    resourceType: 'User',
    attributes: [
      { target: 'userName', source: { column: 'Work Email' }, transforms: ['trim', 'lower'] },
      { target: 'name.givenName', source: { column: 'First Name' } },
      { target: 'name.familyName', source: { column: 'Last Name' } },
      { target: 'displayName', source: { template: '{First Name} {Last Name}' } },
      { target: 'title', source: { column: 'Job Title' } },
      { target: `${ent}:employeeNumber`, source: { column: 'Employee ID' } },
      { target: `${ent}:department`, source: { column: 'Department' } },
    ],
    active: { column: 'Employment Status' },
    match: { keys: [[`${ent}:employeeNumber`], ['userName']] },
  };
  await writeFile(mapping, JSON.stringify(spec, null, 2));
  return { csv, mapping, rows: users + hires };
}
