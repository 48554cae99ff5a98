/**
 * What the run screen shows, as pure functions of the engine's progress, the samples the screen
 * kept, and the time now (issue 19): the state sentence ("waiting 12 s — the server is
 * rate-limiting"), counts per pass, the rate now, a time left that counts waits (never "0 s" while
 * work is left), and the throughput / 429 series of the chart. Unit-tested without a browser.
 */
import type { JobProgress } from '../../../../shared/ipc/schemas/jobs';
import { formatNumber } from '../../../../shared/plan/plan-words';
import { formatDuration } from './plan-text';

/** One point of the run's history, taken at each progress event and each tick of the screen. */
export type RunSample = { atMs: number; finished: number; rateLimited: number };

type RunStateKind = 'starting' | 'running' | 'paused' | 'rate-limited' | 'unreachable';
type RunState = { kind: RunStateKind; text: string };

const PASS_LABELS: Record<string, string> = {
  rows: 'People (rows)',
  groups: 'Groups created',
  members: 'Group members',
  managers: 'Managers',
};
const PASS_ORDER = ['rows', 'groups', 'members', 'managers'];

export type PassRow = {
  pass: string;
  label: string;
  done: number;
  failed: number;
  unknown: number;
  total: number;
};

/** The passes with planned work, in run order. */
export function passRows(p: JobProgress | undefined): PassRow[] {
  const by = p?.byPass ?? {};
  const names = [...PASS_ORDER, ...Object.keys(by).filter((k) => !PASS_ORDER.includes(k))];
  return names.flatMap((pass) => {
    const c = by[pass];
    if (!c || c.total === 0) return [];
    return [{ pass, label: PASS_LABELS[pass] ?? pass, ...c }];
  });
}

/** Operations answered (done, failed or unknown) and planned, over every pass. */
export function overall(p: JobProgress | undefined): { finished: number; total: number } {
  const rows = passRows(p);
  if (rows.length === 0) return { finished: p?.done ?? 0, total: p?.total ?? 0 };
  let finished = 0;
  let total = 0;
  for (const r of rows) {
    finished += r.done + r.failed + r.unknown;
    total += r.total;
  }
  return { finished, total };
}

/** Seconds until the wait ends (at least 1 while it lasts), or undefined when not waiting. */
function waitLeft(p: JobProgress | undefined, nowMs: number): number | undefined {
  const w = p?.throttle?.waiting;
  if (!w) return undefined;
  return Math.max(1, Math.ceil((w.untilEpochMs - nowMs) / 1000));
}

/** The sentence at the top of the screen. */
export function runState(p: JobProgress | undefined, nowMs: number): RunState {
  if (!p) return { kind: 'starting', text: 'Starting: reading the plan…' };
  if (p.paused) {
    return { kind: 'paused', text: 'Paused — nothing is sent until you resume.' };
  }
  const w = p.throttle?.waiting;
  const left = waitLeft(p, nowMs);
  if (w && left !== undefined && w.cause === 'rate-limit') {
    return { kind: 'rate-limited', text: `Waiting ${left} s — the server is rate-limiting.` };
  }
  if (w && left !== undefined) {
    const attempt = w.attempt !== undefined ? ` (attempt ${w.attempt})` : '';
    return {
      kind: 'unreachable',
      text: `Server unreachable, retrying${attempt} in ${left} s.`,
    };
  }
  return { kind: 'running', text: p.phase };
}

/** Operations a second over the last `windowMs` of wall time (waits included), if known. */
export function recentRate(
  samples: readonly RunSample[],
  nowMs: number,
  windowMs = 30_000,
): number | undefined {
  const last = samples.at(-1);
  const first = samples.find((s) => s.atMs >= nowMs - windowMs);
  if (!last || !first) return undefined;
  const span = nowMs - first.atMs;
  if (span < 1000) return undefined;
  return Math.max(0, last.finished - first.finished) / (span / 1000);
}

/** Time left: the wait now plus the work left at the recent rate (which counts earlier waits). */
export function timeLeft(
  p: JobProgress | undefined,
  samples: readonly RunSample[],
  nowMs: number,
): string {
  if (!p) return '—';
  if (p.paused) return 'Paused — counting again when you resume';
  const { finished, total } = overall(p);
  const left = total - finished;
  const wait = waitLeft(p, nowMs) ?? 0;
  if (total === 0)
    return wait > 0 ? `at least ${formatDuration(wait)} (waiting for the server)` : '—';
  if (left <= 0) return wait > 0 ? `about ${formatDuration(wait)}` : 'Finishing…';
  const rate = recentRate(samples, nowMs) ?? p.opsPerSecond;
  if (rate === undefined || rate <= 0) {
    return wait > 0
      ? `at least ${formatDuration(wait)} (waiting for the server)`
      : 'Unknown — nothing answered recently';
  }
  return `about ${formatDuration(Math.max(1, wait + left / rate))}`;
}

/** "42.0 operations a second · 1,204 answered 429 (allowed 50 a second, learned)". */
export function rateText(p: JobProgress | undefined, samples: readonly RunSample[], nowMs: number) {
  const rate = recentRate(samples, nowMs) ?? p?.opsPerSecond;
  const parts = [rate !== undefined ? `${rate.toFixed(1)} operations a second` : '—'];
  const t = p?.throttle;
  if (t && t.rateLimited > 0) parts.push(`${formatNumber(t.rateLimited)} answered 429`);
  if (t && t.retried > 0) parts.push(`${formatNumber(t.retried)} retried`);
  if (t?.allowedPerSecond !== undefined) {
    parts.push(`server allows about ${t.allowedPerSecond.toFixed(1)} a second`);
  }
  return parts.join(' · ');
}

/** The chart's bucket: a point every 2 s over the last minute. */
export const CHART_BUCKET_MS = 2_000;

export type ChartPoint = { atMs: number; perSecond: number; rateLimited: number };

/** Throughput and 429s per bucket over the last `buckets × bucketMs`, oldest first. */
export function chartSeries(
  samples: readonly RunSample[],
  nowMs: number,
  bucketMs = CHART_BUCKET_MS,
  buckets = 30,
): ChartPoint[] {
  const out: ChartPoint[] = [];
  const start = nowMs - buckets * bucketMs;
  const at = (t: number): RunSample | undefined => {
    let best: RunSample | undefined;
    for (const s of samples) if (s.atMs <= t) best = s;
    return best;
  };
  for (let i = 0; i < buckets; i++) {
    const from = at(start + i * bucketMs);
    const to = at(start + (i + 1) * bucketMs);
    if (!from || !to) continue;
    out.push({
      atMs: start + (i + 1) * bucketMs,
      perSecond: (to.finished - from.finished) / (bucketMs / 1000),
      rateLimited: to.rateLimited - from.rateLimited,
    });
  }
  return out;
}

/** Adds a sample, keeping at most `max` (the oldest go first). */
export function addSample(samples: readonly RunSample[], s: RunSample, max = 600): RunSample[] {
  const next = [...samples, s];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** The sample for `p` at `nowMs`. */
export function sampleOf(p: JobProgress | undefined, nowMs: number): RunSample {
  return { atMs: nowMs, finished: overall(p).finished, rateLimited: p?.throttle?.rateLimited ?? 0 };
}
