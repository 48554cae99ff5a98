/**
 * One reading of a run's recorded counts for every screen that shows them (results, Runs), so they
 * cannot disagree: rows the run changed, failed, left unknown or not sent, and rows it left alone
 * (unchanged, skipped — never counted as "done"); the passes likewise. The CLI's `runs show` and
 * the result of `apply` read them the same way.
 */
import { CHANGING_ACTIONS } from '../import/types';
import { formatNumber } from './plan-words';

/** A run's recorded counts: per plan kind (rows) and per pass, as run.json and `RunView` hold them. */
export type RecordedCounts = {
  counts: Partial<
    Record<string, { done: number; failed: number; pending: number; unknown?: number }>
  >;
  passes?: Record<string, { done: number; failed: number; unknown: number; pending: number }>;
};

type RunSummary = {
  changed: number;
  failed: number;
  unknown: number;
  /** Planned but not sent (pending, unknown excluded). */
  notSent: number;
  leftAlone: number;
  /** Pass operations (group creates, member changes, manager links). */
  passes: { done: number; failed: number; unknown: number; notSent: number };
};

const CHANGING: ReadonlySet<string> = new Set(CHANGING_ACTIONS);

export function runSummary(run: RecordedCounts): RunSummary {
  const s: RunSummary = {
    changed: 0,
    failed: 0,
    unknown: 0,
    notSent: 0,
    leftAlone: 0,
    passes: { done: 0, failed: 0, unknown: 0, notSent: 0 },
  };
  for (const [action, c] of Object.entries(run.counts)) {
    if (!c) continue;
    if (!CHANGING.has(action)) {
      s.leftAlone += c.done + c.failed + c.pending;
      continue;
    }
    const unknown = c.unknown ?? 0;
    s.changed += c.done;
    s.failed += c.failed;
    s.unknown += unknown;
    s.notSent += Math.max(0, c.pending - unknown);
  }
  for (const c of Object.values(run.passes ?? {})) {
    s.passes.done += c.done;
    s.passes.failed += c.failed;
    s.passes.unknown += c.unknown;
    s.passes.notSent += c.pending;
  }
  return s;
}

/** "3 changed · 1 failed · 0 unknown · 0 not sent · 2 left alone". */
export function rowsText(s: RunSummary): string {
  return [
    `${formatNumber(s.changed)} changed`,
    `${formatNumber(s.failed)} failed`,
    `${formatNumber(s.unknown)} unknown`,
    `${formatNumber(s.notSent)} not sent`,
    `${formatNumber(s.leftAlone)} left alone`,
  ].join(' · ');
}

/** "12 done · 1 failed · 0 unknown · 0 not sent" (group and manager operations). */
export function passesText(s: RunSummary): string {
  const p = s.passes;
  return [
    `${formatNumber(p.done)} done`,
    `${formatNumber(p.failed)} failed`,
    `${formatNumber(p.unknown)} unknown`,
    `${formatNumber(p.notSent)} not sent`,
  ].join(' · ');
}

/** A run is clean only when nothing failed, nothing is unknown and nothing was left unsent. */
export function isClean(s: RunSummary): boolean {
  const p = s.passes;
  return s.failed + s.unknown + s.notSent + p.failed + p.unknown + p.notSent === 0;
}
