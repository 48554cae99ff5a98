import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApplyResult } from '../../engine/apply/apply-run';
import {
  applyPlanFile,
  checkPlanFileToApply,
  type ApplyRequest,
} from '../../engine/use-cases/apply';
import type { ProgressUpdate } from '../../engine/use-cases/context';
import { planFileOfRun, resumeRun } from '../../engine/use-cases/resume';
import { canaryEvidence } from '../../engine/use-cases/canary';
import { checkProductionWrite } from '../../engine/use-cases/production';
import { writeUndoPlan } from '../../engine/use-cases/undo';
import { environmentOf, type Environment } from '../../shared/connections/environment';
import { describePlan } from '../../shared/plan/plan-words';
import { listRuns, loadRun } from '../../engine/apply/run-store';
import { writeFailedRows } from '../../engine/apply/failed-rows';
import type { Engine } from '../../engine/create-engine';
import { openPlan } from '../../engine/plan/plan-file';
import { canaryLines } from '../canary-lines';
import { runCountLines } from '../run-lines';
import { CONNECTION_OPTIONS, connectFromFlags, type ConnectionFlags } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import { EXIT_INTERRUPTED } from '../interrupt';
import { formatTable, type CliIo } from '../io';
import { createProgressMeter } from '../progress';
import { copyFile } from 'node:fs/promises';

export const APPLY_HELP = `Usage: scim-porter apply plan.jsonl (--connection NAME | --url URL) [--concurrency N]
        [--max-rps R | --rate-preset entra-scim|okta-users|slack|miro-create|miro-delete|sap-ias|deel|zoom]
        [--canary N] [--max-members N] [--batch-size N] [--override-safeguards COUNT]
        [--confirm-production NAME] [--yes] [--json]

Runs a plan made by "scim-porter plan": creates, updates, reactivations, deactivations and
deletions in batches
(Bulk when the server has it, concurrent requests otherwise), then group memberships, then managers
created in the same run. Every operation is journalled in the data folder before it is sent, so an
interrupted run resumes with nothing lost and nothing duplicated ("scim-porter runs resume ID").

  --canary N                  apply the first N changing rows, then stop so you can check the
                              target; "runs resume ID" continues
  --max-members N             members added or removed per group request (default 100; Microsoft
                              Entra's SCIM server takes 20, AWS IAM Identity Center 100)
  --batch-size N              rows per journalled batch, and so per Bulk request (default: the
                              server's Bulk maxOperations, at most 1000; 100 without Bulk). Smaller
                              batches stop sooner on Ctrl+C and suit servers slow with big requests
  --override-safeguards COUNT the count of the exceeded safeguards (deactivations, deletions or
                              reactivations), typed back, to run a plan that exceeds them

Before anything is sent the plan is re-checked: counts and safeguards are recomputed from its
rows, each row's operations must follow from its changes, and a plan changed after it was made
(or cut short, or for another server) is refused with a sentence saying what changed.
  --confirm-production NAME   the connection's name, typed back: required to write to a
                              connection labelled production (apply and runs resume; --yes does
                              not replace it)
  --yes                       do not ask for confirmation
  --json                      print the result as JSON on stdout

Ctrl+C stops safely: requests in flight finish and are journalled, the run is recorded as
"interrupted", and "scim-porter runs resume ID" continues it; Ctrl+C twice stops at once.

Exit codes: 0 done; 3 something failed, stayed unknown, is still pending (a canary included) or
was answered differently (rows, group creates, member changes or managers — see the report);
1 the run could not start; 130 interrupted.`;

export const RUNS_HELP = `Usage: scim-porter runs list [--json]
       scim-porter runs show ID [--json]
       scim-porter runs resume ID (--connection NAME | --url URL) [--confirm-production NAME] [--yes]
       scim-porter runs report ID --out FILE
       scim-porter runs failed ID --out FILE      rows that failed, in the CSV's own columns
       scim-porter runs undo ID (--connection NAME | --url URL) --out undo-plan.jsonl

Runs live in the data folder (runs/ID: run.json, journal.jsonl, prior.jsonl, report.csv).
"undo" writes a plan that reverses the run — deletes what it created, restores the attributes it
changed from the saved prior states, reactivates, and re-creates what it deleted (with NEW ids) —
to preview, then run with "scim-porter apply undo-plan.jsonl".`;

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.interactive) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const PASS_NAMES: Record<string, string> = {
  groupsCreated: 'groups created',
  membersAdded: 'members added',
  membersRemoved: 'members removed',
  managersSet: 'managers set',
};

function resultLines(r: ApplyResult): string[] {
  const lines = [`Run ${r.run.id}: ${r.run.status}.`, ...runCountLines(r.run)];
  const passes = Object.entries(r.run.passes ?? {});
  if (passes.length) {
    const table: string[][] = [['PASS', 'DONE', 'FAILED', 'UNKNOWN', 'PENDING']];
    for (const [pass, c] of passes) {
      table.push([
        PASS_NAMES[pass] ?? pass,
        ...[c.done, c.failed, c.unknown, c.pending].map(String),
      ]);
    }
    lines.push(...formatTable(table).map((l) => `  ${l}`));
  }
  if (r.differences) {
    lines.push(
      `${r.differences} rows were answered without some attributes that were sent (status "differs" in the report).`,
    );
  }
  if (r.pending) {
    lines.push(`${r.pending} group changes were not sent yet; resume the run to send them.`);
  }
  lines.push(`Report: ${r.reportFile}`);
  if (r.stoppedForCanary) {
    lines.push(`Canary done. Check the target, then: scim-porter runs resume ${r.run.id} …`);
  }
  if (r.unknown)
    lines.push(`${r.unknown} rows have an unknown outcome; resume the run to settle them.`);
  return lines;
}

/**
 * A saved connection labelled production is written to only with `--confirm-production NAME` (the
 * app's typed name on Confirm; the same rule). Checked before connecting; returns the label.
 */
async function checkProductionFlag(
  engine: Engine,
  values: ConnectionFlags & { 'confirm-production'?: string },
): Promise<Environment | undefined> {
  if (!values.connection) return undefined;
  const profile = await engine.connections.find(values.connection);
  checkProductionWrite(profile, values['confirm-production'], {
    field: '--confirm-production',
    nextStep: `pass --confirm-production "${profile.name}" to write to it.`,
  });
  return environmentOf(profile);
}

async function run(
  engine: Engine,
  io: CliIo,
  values: ConnectionFlags & {
    canary?: string;
    'max-members'?: string;
    'batch-size'?: string;
    'override-safeguards'?: string;
    'confirm-production'?: string;
    yes?: boolean;
    json?: boolean;
  },
  target: { planFile?: string; runId?: string },
  stop?: AbortSignal,
): Promise<number> {
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
  const canary = values.canary !== undefined ? Number(values.canary) : undefined;
  const maxMembers =
    values['max-members'] !== undefined ? Number(values['max-members']) : undefined;
  if (maxMembers !== undefined && !(Number.isInteger(maxMembers) && maxMembers > 0)) {
    throw new UsageError('--max-members must be a whole number above 0.');
  }
  const batchSize = values['batch-size'] !== undefined ? Number(values['batch-size']) : undefined;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new UsageError('--batch-size must be a whole number above 0.');
  }
  const override =
    values['override-safeguards'] !== undefined ? Number(values['override-safeguards']) : undefined;
  const planFile =
    target.planFile ?? (target.runId ? await planFileOfRun(engine.dataDir, target.runId) : '');
  const plan = await checkPlanFileToApply(
    planFile,
    target.runId ? 'resume' : { ...(override !== undefined ? { override } : {}) },
  );
  io.err(`Plan ${planFile} (${plan.header.resourceType}, ${plan.header.mode}):`);
  const lines = describePlan({
    mode: plan.header.mode,
    counts: plan.counts,
    memberships: plan.summary.memberships,
    protect: plan.summary.protect,
    safeguards: plan.summary.safeguards,
  });
  for (const line of lines) io.err(`  ${line.text}`);
  const environment = await checkProductionFlag(engine, values);
  const conn = await connectFromFlags(engine, values, io);
  try {
    if (values.yes !== true) {
      const ok = await confirm(io, `Apply it to ${conn.discovery.baseUrl}?`);
      if (!ok) {
        io.err('Not applied. Pass --yes to run without asking.');
        return EXIT.usage;
      }
    }
    const meter = createProgressMeter(io, 'operations', Date.now, {
      throttle: () => conn.http.pacing(),
      startNote: 'sending the first batch…',
    });
    const request: ApplyRequest = {
      conn,
      dataDir: engine.dataDir,
      target: {
        ...(values.connection ? { connection: values.connection } : {}),
        baseUrl: conn.discovery.baseUrl,
        ...(environment ? { environment } : {}),
      },
      ...(concurrency && concurrency > 0 ? { concurrency } : {}),
      ...(canary && canary > 0 ? { canary } : {}),
      ...(maxMembers ? { maxMembersPerRequest: maxMembers } : {}),
      ...(batchSize ? { batchSize } : {}),
      ...(override !== undefined ? { overrideSafeguards: override } : {}),
      ...(stop ? { stoppedStatus: 'interrupted' as const } : {}),
    };
    const ctx = {
      ...(stop ? { signal: stop } : {}),
      progress: (p: ProgressUpdate) => {
        meter.update(p.done, p.total, p.phase.toLowerCase());
      },
    };
    const result = target.runId
      ? await resumeRun({ ...request, runId: target.runId }, ctx)
      : await applyPlanFile({ ...request, planFile }, ctx);
    meter.finish();
    // After a canary, each changed account is read back from the server (at most 50 GETs).
    const canaryEvidenceRead = result.stoppedForCanary
      ? await canaryEvidence({ conn, dataDir: engine.dataDir, runId: result.run.id })
      : undefined;
    if (values.json) {
      const out = canaryEvidenceRead ? { ...result, canary: canaryEvidenceRead } : result;
      io.out(JSON.stringify(out, null, 2));
    }
    for (const line of resultLines(result)) io.err(line);
    if (canaryEvidenceRead) for (const line of canaryLines(canaryEvidenceRead)) io.err(line);
    if (result.run.status === 'interrupted') {
      io.err(`Interrupted. Resume with: scim-porter runs resume ${result.run.id}`);
      return EXIT_INTERRUPTED;
    }
    // A canary leaves the rest of the plan pending: partly done (3), as the help says.
    const problems = result.failed + result.unknown + result.pending + result.differences;
    return problems > 0 || result.stoppedForCanary ? EXIT.partial : EXIT.ok;
  } finally {
    await conn.close();
  }
}

export async function runApply(
  engine: Engine,
  argv: string[],
  io: CliIo,
  stop?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...CONNECTION_OPTIONS,
      canary: { type: 'string' },
      'max-members': { type: 'string' },
      'batch-size': { type: 'string' },
      'override-safeguards': { type: 'string' },
      'confirm-production': { type: 'string' },
      yes: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(APPLY_HELP);
  return run(engine, io, values, { planFile: resolve(io.cwd, file) }, stop);
}

export async function runRuns(
  engine: Engine,
  argv: string[],
  io: CliIo,
  stop?: AbortSignal,
): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_OPTIONS,
      'confirm-production': { type: 'string' },
      yes: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'list') {
    const runs = await listRuns(engine.dataDir);
    if (values.json) {
      io.out(JSON.stringify(runs, null, 2));
      return EXIT.ok;
    }
    const rows = [['ID', 'STATUS', 'STARTED', 'PLAN']];
    for (const r of runs) rows.push([r.id, r.status, r.startedAt, r.planFile]);
    for (const line of formatTable(rows)) io.out(line);
    return EXIT.ok;
  }
  const id = positionals[0];
  if (!id) throw new UsageError(RUNS_HELP);
  if (sub === 'show') {
    const r = await loadRun(engine.dataDir, id);
    if (values.json) io.out(JSON.stringify(r, null, 2));
    else {
      io.out(`${r.id}: ${r.status} (started ${r.startedAt}; plan ${r.planFile})`);
      for (const line of runCountLines(r)) io.out(`  ${line}`);
    }
    return EXIT.ok;
  }
  if (sub === 'resume') return run(engine, io, values, { runId: id }, stop);
  if (sub === 'failed') {
    if (!values.out) throw new UsageError('runs failed needs --out FILE.');
    const r = await loadRun(engine.dataDir, id);
    const n = await writeFailedRows({
      planFile: r.planFile,
      reportFile: resolve(engine.dataDir, 'runs', r.id, 'report.csv'),
      outFile: resolve(io.cwd, values.out),
    });
    io.err(
      `${n} failed or pending rows of run ${r.id} written to ${values.out}, in the original columns.`,
    );
    return EXIT.ok;
  }
  if (sub === 'undo') {
    if (!values.out) throw new UsageError('runs undo needs --out FILE (the undo plan).');
    const conn = await connectFromFlags(engine, values, io);
    try {
      const outFile = resolve(io.cwd, values.out);
      const undo = await writeUndoPlan({ dataDir: engine.dataDir, runId: id, conn, outFile });
      const plan = await openPlan(undo.file);
      const lines = describePlan({
        mode: plan.header.mode,
        counts: plan.counts,
        memberships: plan.summary.memberships,
        safeguards: plan.summary.safeguards,
      });
      plan.close();
      io.err(`Undo plan for run ${id} written to ${undo.file}:`);
      for (const line of lines) io.err(`  ${line.text}`);
      for (const note of undo.notes) io.err(`Note: ${note}`);
      io.err(`Review it, then: scim-porter apply ${values.out} …`);
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  }
  if (sub === 'report') {
    if (!values.out) throw new UsageError('runs report needs --out FILE.');
    const r = await loadRun(engine.dataDir, id);
    const from = resolve(engine.dataDir, 'runs', r.id, 'report.csv');
    await copyFile(from, resolve(io.cwd, values.out));
    io.err(`Report of run ${r.id} written to ${values.out}.`);
    return EXIT.ok;
  }
  throw new UsageError(RUNS_HELP);
}
