import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../../engine/create-engine';
import {
  exportResources,
  type ExportFormat,
  type ExportSummary,
} from '../../engine/export/exporter';
import { validateFilter } from '../../engine/scim/filter-parse';
import { CONNECTION_OPTIONS, connectFromFlags } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import type { CliIo } from '../io';
import { createProgressMeter } from '../progress';

export const EXPORT_HELP = `Usage: scim-porter export users|groups|TYPE (--connection NAME | --url URL) --out FILE
        [--format csv|jsonl] [--attributes a,b,...] [--filter F] [--sort-by ATTR [--descending]]
        [--excel] [--no-escape-formulas] [--no-groups] [--full] [--verify auto|always|never]
        [--paging auto|index|cursor] [--snapshot FILE] [--concurrency N] [--json]

Exports every resource of a type to CSV (default) or JSON Lines, streaming.

CSV headers are SCIM attribute paths (userName, name.givenName, emails[type eq "work"].value,
urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber, groups), so the file
maps straight back onto SCIM when imported. JSON Lines keeps every attribute exactly (one resource
per line) and is the snapshot format planning and undo read.

  --format csv|jsonl       output format (default: from the file extension, else csv)
  --attributes a,b,...     only these attributes/columns (e.g. userName,name.givenName,emails,groups)
  --filter F               SCIM filter, e.g. 'active eq true and userName sw "a"'
  --sort-by ATTR           sort on the server, when it supports sorting
  --excel                  CSV starts with a UTF-8 byte-order mark so Excel reads accents correctly
  --no-escape-formulas     do not neutralise cells starting with = + - @ (they are prefixed with ' by
                           default, which SCIM Porter's import reverses)
  --no-groups              users: skip the groups column (saves one pass over Groups)
  --full                   GET each resource after listing it (servers whose lists omit attributes)
  --verify MODE            re-read the list if the server changed during the export (default auto)
  --paging MODE            auto (default: concurrent index pages when the server pages by index),
                           index, or cursor (sequential, drift-safe)
  --snapshot FILE          CSV exports: also keep the JSON Lines snapshot
  --concurrency N          requests and pages in flight (default 8)
  --json                   print the summary as JSON on stdout`;

function formatFor(out: string, flag: string | undefined): ExportFormat {
  if (flag !== undefined) {
    if (flag !== 'csv' && flag !== 'jsonl') throw new UsageError('--format must be csv or jsonl.');
    return flag;
  }
  return /\.jsonl?$/i.test(out) || /\.ndjson$/i.test(out) ? 'jsonl' : 'csv';
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  // Split on commas outside [...] so `emails[type eq "work"].value` stays one item.
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  items.push(current.trim());
  return items.filter(Boolean);
}

function summaryLines(s: ExportSummary): string[] {
  const seconds = s.durationMs / 1000;
  const lines = [
    `Exported ${s.exported.toLocaleString('en-US')} ${s.resourceType.toLowerCase()} resources to ${s.outFile} in ${seconds.toFixed(1)} s (${Math.round(s.exported / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s).`,
    `  pages: ${s.pages} (${s.paging} paging${s.paging === 'index' ? `, up to ${s.concurrentPages} at a time` : ''}) · requests: ${s.requests} · retries: ${s.retries} · throttled: ${s.throttled}`,
    `  duplicates dropped: ${s.duplicatesDropped} · possibly missing: ${s.possiblyMissing}${s.verification?.ran ? ` · verification pass found ${s.verification.found} more` : ''}`,
  ];
  if (s.columns !== undefined) lines.push(`  columns: ${s.columns}`);
  if (s.groups)
    lines.push(`  groups read: ${s.groups.groups} (${s.groups.memberships} memberships)`);
  if (s.snapshotFile) lines.push(`  snapshot: ${s.snapshotFile}`);
  for (const w of s.warnings) lines.push(`Warning: ${w}`);
  return lines;
}

export async function runExport(
  engine: Engine,
  argv: string[],
  io: CliIo,
  stop?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...CONNECTION_OPTIONS,
      out: { type: 'string', short: 'o' },
      format: { type: 'string' },
      attributes: { type: 'string' },
      filter: { type: 'string' },
      'sort-by': { type: 'string' },
      descending: { type: 'boolean' },
      excel: { type: 'boolean' },
      'no-escape-formulas': { type: 'boolean' },
      'no-groups': { type: 'boolean' },
      full: { type: 'boolean' },
      verify: { type: 'string' },
      paging: { type: 'string' },
      snapshot: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const kind = positionals[0];
  if (!kind || positionals.length > 1) throw new UsageError(EXPORT_HELP);
  if (!values.out) throw new UsageError('export needs --out FILE.');
  const verify = values.verify ?? 'auto';
  if (verify !== 'auto' && verify !== 'always' && verify !== 'never')
    throw new UsageError('--verify must be auto, always or never.');
  const paging = values.paging ?? 'auto';
  if (paging !== 'auto' && paging !== 'index' && paging !== 'cursor')
    throw new UsageError('--paging must be auto, index or cursor.');
  if (values.filter !== undefined) validateFilter(values.filter);
  const outFile = resolve(io.cwd, values.out);
  const format = formatFor(outFile, values.format);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);

  const conn = await connectFromFlags(engine, values, io);
  const label = kind.toLowerCase();
  const meter = createProgressMeter(io, label, Date.now, {
    throttle: () => conn.http.pacing(),
  });
  try {
    const summary = await exportResources(conn, {
      resourceType: kind,
      format,
      outFile,
      ...(list(values.attributes) ? { attributes: list(values.attributes) } : {}),
      ...(values.filter !== undefined ? { filter: values.filter } : {}),
      ...(values['sort-by']
        ? {
            sortBy: values['sort-by'],
            sortOrder: values.descending ? ('descending' as const) : ('ascending' as const),
          }
        : {}),
      excel: values.excel === true,
      escapeFormulas: values['no-escape-formulas'] !== true,
      includeGroups: values['no-groups'] !== true,
      fullFidelity: values.full === true,
      verify,
      paging,
      ...(concurrency !== undefined && concurrency > 0 ? { concurrency } : {}),
      ...(values.snapshot ? { snapshotFile: resolve(io.cwd, values.snapshot) } : {}),
      ...(stop ? { signal: stop } : {}),
      onProgress: (p) => {
        if (p.phase === 'groups') meter.update(0, undefined, 'reading group memberships');
        else if (p.phase === 'listing') meter.update(p.exported, p.total);
        else meter.update(p.exported, p.total, 'writing CSV');
      },
    });
    meter.finish();
    if (values.json) io.out(JSON.stringify(summary, null, 2));
    for (const line of summaryLines(summary)) io.err(line);
    return summary.possiblyMissing > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    meter.finish();
    await conn.close();
  }
}
