import { parseArgs } from 'node:util';
import type { ScimResource } from '../../shared/scim/types';
import type { Engine } from '../../engine/create-engine';
import { validateFilter } from '../../engine/scim/filter-parse';
import { CONNECTION_OPTIONS, connectFromFlags } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import { formatTable, type CliIo } from '../io';

export const GET_HELP = `Usage: scim-porter get users|groups (--connection NAME | --url URL)
        [--filter FILTER] [--attributes a,b,...] [--limit N] [--json]

Lists resources, following the server's paging. --filter takes a SCIM filter
(RFC 7644 §3.4.2.2), e.g. --filter 'userName sw "a"'. --json prints JSON Lines
(one resource per line) on stdout.`;

const ENDPOINTS = { users: '/Users', groups: '/Groups' } as const;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function primaryEmail(r: ScimResource): string {
  const emails = Array.isArray(r['emails'])
    ? (r['emails'] as { value?: unknown; primary?: unknown }[])
    : [];
  return text((emails.find((e) => e.primary === true) ?? emails[0])?.value);
}

function row(kind: 'users' | 'groups', r: ScimResource): string[] {
  if (kind === 'groups') {
    const members = Array.isArray(r['members']) ? r['members'].length : 0;
    return [text(r.id), text(r['displayName']), text(r.externalId), String(members)];
  }
  return [
    text(r.id),
    text(r['userName']),
    text(r['displayName']),
    primaryEmail(r),
    text(r['active']),
  ];
}

export async function runGet(engine: Engine, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...CONNECTION_OPTIONS,
      json: { type: 'boolean' },
      filter: { type: 'string' },
      attributes: { type: 'string' },
      limit: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const kind = positionals[0];
  if ((kind !== 'users' && kind !== 'groups') || positionals.length > 1)
    throw new UsageError(GET_HELP);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit > 0)) throw new UsageError('--limit must be a positive number.');
  if (values.filter !== undefined) validateFilter(values.filter);
  const conn = await connectFromFlags(engine, values, io);
  try {
    const header =
      kind === 'users'
        ? ['ID', 'USERNAME', 'DISPLAY NAME', 'EMAIL', 'ACTIVE']
        : ['ID', 'DISPLAY NAME', 'EXTERNAL ID', 'MEMBERS'];
    const rows: string[][] = [];
    let count = 0;
    const started = Date.now();
    for await (const resource of conn.client.list(ENDPOINTS[kind], {
      ...(values.filter !== undefined ? { filter: values.filter } : {}),
      ...(values.attributes
        ? {
            attributes: values.attributes
              .split(',')
              .map((a) => a.trim())
              .filter(Boolean),
          }
        : {}),
    })) {
      count++;
      if (values.json) io.out(JSON.stringify(resource));
      else rows.push(row(kind, resource));
      if (count % 200 === 0) io.progress(`${count} ${kind} read…`);
      if (count >= limit) break;
    }
    if (!values.json) {
      if (rows.length) for (const line of formatTable([header, ...rows])) io.out(line);
    }
    io.err(`${count} ${kind} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return EXIT.ok;
  } finally {
    await conn.close();
  }
}
