import { CHANGING_ACTIONS, PLAN_ACTIONS } from '../shared/import/types';
import { passesText, rowsText, runSummary, type RecordedCounts } from '../shared/plan/run-summary';
import { formatTable } from './io';

const CHANGING: ReadonlySet<string> = new Set(CHANGING_ACTIONS);

/**
 * A run's counts as `runs show` and `apply` print them, read the way the app's results and Runs
 * screens read them (shared/plan/run-summary.ts): rows changed, failed, unknown, not sent, and rows
 * left alone — unchanged or skipped rows are never "done".
 */
export function runCountLines(run: RecordedCounts): string[] {
  const summary = runSummary(run);
  const lines = [`Rows: ${rowsText(summary)}`];
  if (Object.keys(run.passes ?? {}).length > 0) {
    lines.push(`Groups and managers: ${passesText(summary)}`);
  }
  const kinds = [
    ...PLAN_ACTIONS.filter((a) => run.counts[a]),
    ...Object.keys(run.counts).filter((k) => !(PLAN_ACTIONS as readonly string[]).includes(k)),
  ];
  const table = [['KIND', 'CHANGED', 'FAILED', 'UNKNOWN', 'NOT SENT', 'LEFT ALONE']];
  for (const kind of kinds) {
    const c = run.counts[kind];
    if (!c) continue;
    if (!CHANGING.has(kind)) {
      table.push([kind, '-', '-', '-', '-', String(c.done + c.failed + c.pending)]);
      continue;
    }
    const unknown = c.unknown ?? 0;
    const notSent = Math.max(0, c.pending - unknown);
    table.push([kind, String(c.done), String(c.failed), String(unknown), String(notSent), '-']);
  }
  if (table.length > 1) lines.push(...formatTable(table).map((l) => `  ${l}`));
  return lines;
}
