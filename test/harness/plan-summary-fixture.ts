/** A valid summary line for hand-made plans in tests: the rows' totals and their safeguards. */
import type { PlanRow } from '../../shared/import/types';
import type { PlanFileSummary, PlanMode } from '../../shared/plan/plan-format';
import { createPlanSummary } from '../../engine/plan/summary';
import { safeguardsOfRows } from '../../engine/plan/safeguards';

export function summaryOfRows(
  rows: readonly PlanRow[],
  opts: { mode?: PlanMode; inScope?: number } = {},
): PlanFileSummary {
  const builder = createPlanSummary();
  for (const row of rows) builder.add(row);
  const result = builder.result();
  return {
    ...result,
    mode: opts.mode ?? 'upsert',
    resourceType: 'User',
    ...(opts.inScope !== undefined
      ? {
          server: {
            source: 'snapshot',
            accounts: opts.inScope,
            inScope: opts.inScope,
            snapshot: 's.jsonl',
          },
        }
      : {}),
    protect: { entries: 0, spared: 0, unmatched: [], unmatchedCount: 0, checked: true },
    safeguards: safeguardsOfRows(result, builder.attributeRows(), opts.inScope),
    warnings: [],
    durationMs: 0,
  };
}
