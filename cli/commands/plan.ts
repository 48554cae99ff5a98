import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors/errors';
import { parseMappingSpec, type MappingSpec } from '../../shared/mapping/spec';
import type { Engine } from '../../engine/create-engine';
import type { PlanSource } from '../../engine/plan/plan-input';
import { checkPlanRequest, makePlan } from '../../engine/use-cases/plan';
import { writeLeftOutReport, type LeftOut } from '../../engine/plan/left-out-report';
import { PLAN_ACTIONS } from '../../shared/import/types';
import { isUnlistedMode, PLAN_MODES, type PlanFileSummary } from '../../shared/plan/plan-format';
import { describePlan, describeSafeguards } from '../../shared/plan/plan-words';
import { readProtectedList } from '../../engine/plan/sweep-scope';
import { CONNECTION_OPTIONS, connectFromFlags } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import type { CliIo } from '../io';
import { createProgressMeter } from '../progress';
import { csvReadFlags } from './mapping';

export const PLAN_HELP = `Usage: scim-porter plan --csv FILE --mapping M.json (--connection NAME | --url URL | --snapshot S.jsonl)
        [--mode upsert|deactivate-listed|delete-listed|deactivate-unlisted|delete-unlisted]
        [--scope FILTER] [--protect FILE] [--lookup snapshot|per-row] --out plan.jsonl [--json]
        [--skip-lines N] [--no-header | --header] [--accept-excel-damage] [--accept-manager-cycles]

Compares a CSV with the server and writes the plan: what happens to each person — create,
update (attribute by attribute, old → new), reactivate, deactivate (any active true → false, with
the other changes listed), delete, unchanged, not-found (a listed key matching no account),
protected (spared by --protect), conflict or invalid — plus group membership changes, and says
it in words ("1,594 people will lose access (deactivate)"). NOTHING is written to the server;
"scim-porter apply" runs a plan.

  --csv FILE            the input (UTF-8/UTF-16/Windows-1252; , ; tab or | separated)
  --mapping FILE        the mapping spec (make one with "scim-porter mapping suggest")
  --snapshot FILE       plan offline against an export (scim-porter export --format jsonl)
  --mode MODE           upsert (default); deactivate-listed / delete-listed: the accounts the
                        CSV lists; deactivate-unlisted / delete-unlisted: the accounts it does not
                        list, within --scope
  --scope FILTER        sweeps of unlisted accounts touch only accounts this SCIM filter selects
  --protect FILE        accounts never touched (one userName, email, externalId or id per line)
  --lookup HOW          snapshot (default): read the server once in full (needed for the report
                        of accounts not in the CSV and for unlisted sweeps); per-row: query each
                        row's keys with filters — faster for a small CSV against a large server
  --out FILE            the plan (JSON Lines); FILE.orphans.csv lists server accounts not in the CSV
  --json                print the summary as JSON on stdout (counts per kind, safeguards, …)
  --skip-lines N        lines above the header row to skip (overrides the mapping's skipLines)
  --no-header           the file has no header row (columns are Column 1, Column 2, …)
  --header              the first line is the header, even if it looks like data
  --accept-excel-damage   send values Excel damaged (lost leading zeros, 4.41632E+11, date
                        serials) as they are; by default their rows are held back
  --accept-manager-cycles write managers that form a cycle; by default those rows are held back

Safeguards: more than 500 deactivations, deletions or reactivations (or more than 20 % of the
accounts in scope, from 10 accounts) block the plan until the count is typed back to apply
(--override-safeguards COUNT); an attribute changing on more than 200 existing accounts (or 20 %)
gets its own warning line.

Exit codes: 0 the plan is ready; 3 it left rows out (damaged in the file, invalid or
conflicting: each is listed in FILE.left-out.csv) or is blocked by a safeguard.`;

/** The summary as the CLI prints it: the same sentences as the app's preview and Confirm step. */
function summaryLines(s: PlanFileSummary, file: string): string[] {
  const lines = [
    `Plan written to ${file} (${s.mode}, ${s.resourceType}, ${(s.durationMs / 1000).toFixed(1)} s)`,
  ];
  if (s.csv && s.server) {
    lines.push(
      `  rows read: ${s.csv.rows} (${s.csv.damagedRows} damaged, excluded) · server accounts: ${s.server.accounts} (${s.server.source})`,
    );
  }
  lines.push(`  ${PLAN_ACTIONS.map((a) => `${a} ${s.counts[a]}`).join(' · ')}`);
  for (const line of describePlan(s)) lines.push(`  ${line.text}`);
  if (s.attributes.length) {
    lines.push(
      `  most changed: ${s.attributes
        .slice(0, 5)
        .map((a) => `${a.path} (${a.rows})`)
        .join(', ')}`,
    );
  }
  if (s.orphans) {
    lines.push(`  accounts not in the CSV: ${s.orphans.count} (report: ${s.orphans.file})`);
  }
  const verdict = describeSafeguards(s.safeguards).map((l) => l.text);
  if (s.safeguards.blocked) {
    lines.push(
      `Blocked: ${verdict.join(' ')} Applying needs --override-safeguards ${s.safeguards.overrideCount}.`,
    );
  } else {
    for (const text of verdict) lines.push(`  safeguards: ${text}`);
  }
  for (const p of [...s.invalid.first.slice(0, 10), ...s.conflicts.first.slice(0, 10)]) {
    for (const problem of p.problems ?? []) {
      if (problem.severity === 'error') lines.push(`  row ${p.row ?? '?'}: ${problem.message}`);
    }
  }
  for (const p of s.csv?.problems.slice(0, 10) ?? []) lines.push(`  ${p.message}`);
  const managers = s.managers;
  if (managers?.missing.length) lines.push(`  managers not found: ${managers.missing.length}`);
  for (const cycle of managers?.cycles.slice(0, 5) ?? [])
    lines.push(`  manager cycle: rows ${[...cycle, cycle[0]].join(' → ')}`);
  for (const w of s.warnings) lines.push(`Warning: ${w}`);
  return lines;
}

/** `Left out: 3 of 12 rows (1 damaged in the file, 2 invalid) — each is listed in FILE.` */
function leftOutLine(left: LeftOut, read: number): string {
  const parts = [
    left.damaged ? `${left.damaged} damaged in the file` : '',
    left.invalid ? `${left.invalid} invalid` : '',
    left.conflict ? `${left.conflict} in conflict` : '',
  ].filter(Boolean);
  const unlisted = left.unlisted
    ? ` (${left.unlisted} damaged rows beyond the first problems are counted, not listed)`
    : '';
  return `Left out: ${left.rows} of ${read} rows (${parts.join(', ')}); nothing is written for them. Each is listed with the reason in ${left.file}${unlisted}.`;
}

const PLAN_OPTIONS = {
  ...CONNECTION_OPTIONS,
  csv: { type: 'string' },
  mapping: { type: 'string' },
  snapshot: { type: 'string' },
  mode: { type: 'string' },
  scope: { type: 'string' },
  protect: { type: 'string' },
  lookup: { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  'skip-lines': { type: 'string' },
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  'accept-excel-damage': { type: 'boolean' },
  'accept-manager-cycles': { type: 'boolean' },
} as const;

/** The flags, checked: every usage error is reported before anything is read or connected. */
function planArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: PLAN_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(PLAN_HELP);
  const { csv, mapping, out } = values;
  if (!csv) throw new UsageError('plan needs --csv FILE.');
  if (!mapping)
    throw new UsageError('plan needs --mapping FILE (see "scim-porter mapping suggest").');
  if (!out) throw new UsageError('plan needs --out FILE.');
  const mode = PLAN_MODES.find((m) => m === (values.mode ?? 'upsert'));
  if (mode === undefined) throw new UsageError(`--mode must be one of ${PLAN_MODES.join(', ')}.`);
  const sources = [values.connection, values.url, values.snapshot].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('Give exactly one of --connection, --url or --snapshot.');
  const lookup = values.lookup ?? 'snapshot';
  if (lookup !== 'snapshot' && lookup !== 'per-row')
    throw new UsageError('--lookup must be snapshot or per-row.');
  if (values.scope !== undefined && !isUnlistedMode(mode)) {
    throw new UsageError('--scope applies to deactivate-unlisted and delete-unlisted.');
  }
  checkPlanRequest({ mode, ...(values.scope !== undefined ? { scope: values.scope } : {}) });
  const read = csvReadFlags(values);
  const accept = {
    ...(values['accept-excel-damage'] ? { excelDamage: true } : {}),
    ...(values['accept-manager-cycles'] ? { managerCycles: true } : {}),
  };
  return { values, csv, mapping, out, mode, lookup, read, accept } as const;
}

async function readMapping(file: string): Promise<MappingSpec> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError(
      'input',
      `Cannot read the mapping ${file}: ${(e as Error).message}`,
      {
        nextStep: 'Give a mapping JSON file, e.g. one written by "scim-porter mapping suggest".',
      },
      { cause: e },
    );
  }
  return parseMappingSpec(json, file);
}

export async function runPlan(
  engine: Engine,
  argv: string[],
  io: CliIo,
  stop?: AbortSignal,
): Promise<number> {
  const { values, csv, mapping, out, mode, lookup, read, accept } = planArgs(argv);
  const mappingFile = resolve(io.cwd, mapping);
  const spec = await readMapping(mappingFile);
  const protect = values.protect ? await readProtectedList(resolve(io.cwd, values.protect)) : [];
  const conn = values.snapshot ? undefined : await connectFromFlags(engine, values, io);
  const source: PlanSource = conn
    ? {
        kind: 'server',
        conn,
        workDir: join(engine.dataDir, 'snapshots'),
        ...(values.connection ? { connectionName: values.connection } : {}),
      }
    : { kind: 'snapshot', file: resolve(io.cwd, values.snapshot ?? '') };
  const meter = createProgressMeter(
    io,
    'rows',
    Date.now,
    conn ? { throttle: () => conn.http.pacing() } : {},
  );
  try {
    const result = await makePlan(
      {
        csvFile: resolve(io.cwd, csv),
        mapping: spec,
        mappingFile,
        mode,
        ...(values.scope !== undefined ? { scope: values.scope } : {}),
        protect,
        lookup,
        outFile: resolve(io.cwd, out),
        source,
        ...(Object.keys(read).length ? { csv: read } : {}),
        ...(Object.keys(accept).length ? { accept } : {}),
      },
      {
        ...(stop ? { signal: stop } : {}),
        progress: (p) => {
          meter.update(p.done, p.total, p.phase.toLowerCase());
        },
      },
    );
    meter.finish();
    if (values.json) io.out(JSON.stringify(result.summary, null, 2));
    for (const line of summaryLines(result.summary, result.file)) io.err(line);
    const snapshot = result.summary.server?.snapshot;
    if (conn && snapshot) {
      io.err(
        `Server state saved in ${snapshot} (reuse it offline with --snapshot; snapshots/ in the data folder can be emptied at any time).`,
      );
    }
    // Every row left out (damaged in the file, invalid, in conflict) is listed next to the plan.
    const left = await writeLeftOutReport(result.file, result.diagnostics);
    if (left.rows > 0) io.err(leftOutLine(left, result.diagnostics.rows));
    return result.summary.safeguards.blocked || left.rows > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    meter.finish();
    await conn?.close();
  }
}
