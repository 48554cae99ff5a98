/**
 * The terminal progress line: count, rate and ETA on stderr. On a terminal it redraws in place a
 * few times a second; in a log (CI, a pipe) it prints a plain line every 10 seconds.
 */
import type { JobThrottle } from '../shared/ipc/schemas/jobs';
import { realTicker, type Ticker } from '../engine/files/ticker';
import type { CliIo } from './io';

type ProgressMeter = {
  update(done: number, total?: number, note?: string): void;
  /** Clears the in-place line (call before printing the summary). */
  finish(): void;
};

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "12,345 / 100,000 users · 2,310/s · ETA 38s" */
export function formatProgress(
  label: string,
  done: number,
  total: number | undefined,
  elapsedMs: number,
  note?: string,
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const parts = [
    total !== undefined ? `${fmt(done)} / ${fmt(total)} ${label}` : `${fmt(done)} ${label}`,
  ];
  parts.push(`${fmt(rate)}/s`);
  if (total !== undefined && rate > 0 && total > done)
    parts.push(`ETA ${formatDuration((total - done) / rate)}`);
  if (note) parts.push(note);
  return parts.join(' · ');
}

const SOURCE: Record<NonNullable<JobThrottle['source']>, string> = {
  learned: 'learned',
  headers: "from the server's headers",
  cap: 'cap',
};

/**
 * "rate 48/s (learned), 429s: 3, waiting 12 s for the server's rate limit"; undefined while
 * nothing paces the connection (no cap, nothing learned, no 429, no retry, no wait).
 */
export function formatThrottle(t: JobThrottle, now: number): string | undefined {
  const parts: string[] = [];
  if (t.allowedPerSecond !== undefined && t.source) {
    const shown = t.allowedPerSecond >= 10 ? Math.round(t.allowedPerSecond) : t.allowedPerSecond;
    parts.push(`rate ${String(shown)}/s (${SOURCE[t.source]})`);
  }
  if (t.rateLimited > 0) parts.push(`429s: ${t.rateLimited.toLocaleString('en-US')}`);
  if (t.retried > 0) parts.push(`retries: ${t.retried.toLocaleString('en-US')}`);
  if (t.waiting && t.waiting.untilEpochMs > now) {
    const seconds = Math.max(1, Math.ceil((t.waiting.untilEpochMs - now) / 1000));
    parts.push(
      t.waiting.cause === 'rate-limit'
        ? `waiting ${String(seconds)} s for the server's rate limit`
        : `server unreachable, trying again in ${String(seconds)} s${t.waiting.attempt ? ` (attempt ${String(t.waiting.attempt)})` : ''}`,
    );
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

type ProgressMeterOptions = {
  /** The connection's pacing (`conn.http.pacing()`), shown after the count. */
  throttle?: () => JobThrottle;
  /** Redraws the line once a second between updates, so a pause shows (default: setInterval). */
  ticker?: Ticker;
  /**
   * Shown instead of the rate while nothing is done yet (a first Bulk batch of 1,000 operations
   * can take a while to answer), with the time since it started: "sending the first batch… (12s)".
   */
  startNote?: string;
};

/** "0 / 5,000 operations · sending the first batch… (12s) · applying rows" */
function startLine(
  label: string,
  latest: { total?: number },
  startNote: string,
  elapsedMs: number,
  note: string | undefined,
): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const count = latest.total !== undefined ? `0 / ${fmt(latest.total)} ${label}` : `0 ${label}`;
  const waited = elapsedMs >= 1000 ? ` (${formatDuration(elapsedMs / 1000)})` : '';
  return [count, `${startNote}${waited}`, ...(note ? [note] : [])].join(' · ');
}

export function createProgressMeter(
  io: CliIo,
  label: string,
  now: () => number = Date.now,
  options: ProgressMeterOptions = {},
): ProgressMeter {
  const started = now();
  const everyMs = io.interactive ? 250 : 10_000;
  let last = 0;
  let latest: { done: number; total?: number; note?: string } | undefined;
  const draw = (): void => {
    if (!latest) return;
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    const paced = options.throttle ? formatThrottle(options.throttle(), t) : undefined;
    const note = [latest.note, paced].filter(Boolean).join(' · ') || undefined;
    const line =
      latest.done === 0 && options.startNote !== undefined
        ? startLine(label, latest, options.startNote, t - started, note)
        : formatProgress(label, latest.done, latest.total, t - started, note);
    if (io.interactive) io.progress(line);
    else io.err(line);
  };
  const stopTicker = options.throttle ? (options.ticker ?? realTicker)(1000, draw) : undefined;
  return {
    update(done, total, note) {
      latest = {
        done,
        ...(total !== undefined ? { total } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      draw();
    },
    finish() {
      stopTicker?.();
      if (io.interactive) io.progress('');
    },
  };
}
