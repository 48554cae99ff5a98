/**
 * The last stage of planning: the summary line — the rows' totals, the CSV as read, the server
 * state, the orphan report, managers, the protect list's effect and the safeguards — with a
 * warning for each protect-list entry that matches nobody.
 */
import type { CsvDiagnostics } from '../../shared/import/types';
import type { PlanFileSummary, PlanMode, ProtectFacts } from '../../shared/plan/plan-format';
import { plural } from '../../shared/plan/plan-words';
import type { PlanSummaryBuilder } from './summary';
import type { OrphanReport } from './orphan-report';
import { safeguardsOfRows, type SafeguardSettings } from './safeguards';
import type { ProtectedList } from './sweep-scope';

/** CSV problems kept in the summary (the count stays exact). */
const CSV_PROBLEMS_KEPT = 200;
/** Protect entries that match nobody, listed by name. */
const UNMATCHED_KEPT = 50;

type SummaryParts = {
  mode: PlanMode;
  resourceType: string;
  builder: PlanSummaryBuilder;
  csvFile: string;
  diagnostics: CsvDiagnostics;
  server: { source: 'server' | 'snapshot'; accounts: number; inScope: number; snapshot: string };
  /** The server was not read in full: protect entries matching nobody cannot be known. */
  partial: boolean;
  orphans: OrphanReport;
  managers: PlanFileSummary['managers'];
  protectedList: ProtectedList;
  safeguards?: Partial<SafeguardSettings>;
  warnings: readonly string[];
  durationMs: number;
};

function protectFacts(parts: SummaryParts, spared: number): ProtectFacts {
  const unmatched = parts.partial ? [] : parts.protectedList.unmatched();
  return {
    entries: parts.protectedList.size,
    spared,
    unmatched: unmatched.slice(0, UNMATCHED_KEPT),
    unmatchedCount: unmatched.length,
    checked: !parts.partial,
  };
}

function protectWarning(p: ProtectFacts): string | undefined {
  if (p.unmatchedCount === 0) return undefined;
  const names = p.unmatched.slice(0, 5).join(', ');
  const more = p.unmatchedCount > 5 ? ` and ${p.unmatchedCount - 5} more` : '';
  return `${plural(p.unmatchedCount, 'protect entry', 'protect entries')} ${p.unmatchedCount === 1 ? 'matches' : 'match'} no account on the server: ${names}${more}. Check them for typos: an entry that matches nobody protects nobody.`;
}

/** The summary line of a plan made from a CSV (see the file comment). */
export function summarizePlan(parts: SummaryParts): PlanFileSummary {
  const result = parts.builder.result();
  const d = parts.diagnostics;
  const protect = protectFacts(parts, result.counts.protected);
  const warning = protectWarning(protect);
  return {
    ...result,
    mode: parts.mode,
    resourceType: parts.resourceType,
    csv: {
      file: parts.csvFile,
      rows: d.rows,
      damagedRows: d.damagedRows,
      encoding: d.encoding,
      delimiter: d.delimiter,
      problems: d.problems.slice(0, CSV_PROBLEMS_KEPT),
      problemsOmitted: d.problemsOmitted + Math.max(0, d.problems.length - CSV_PROBLEMS_KEPT),
    },
    server: parts.server,
    orphans: {
      count: parts.orphans.count(),
      file: parts.orphans.file,
      sample: parts.orphans.sample(),
    },
    ...(parts.managers ? { managers: parts.managers } : {}),
    protect,
    safeguards: safeguardsOfRows(
      result,
      parts.builder.attributeRows(),
      parts.server.inScope,
      parts.safeguards,
    ),
    warnings: [...parts.warnings, ...(warning ? [warning] : [])],
    durationMs: parts.durationMs,
  };
}
