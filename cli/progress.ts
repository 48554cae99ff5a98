/**
 * The terminal progress line: count, rate and ETA on stderr. On a terminal it redraws in place a
 * few times a second; in a log (CI, a pipe) it prints a plain line every 10 seconds.
 */
import type { CliIo } from './io';

export type ProgressMeter = {
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

export function createProgressMeter(
  io: CliIo,
  label: string,
  now: () => number = Date.now,
): ProgressMeter {
  const started = now();
  const everyMs = io.interactive ? 250 : 10_000;
  let last = 0;
  return {
    update(done, total, note) {
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      const line = formatProgress(label, done, total, t - started, note);
      if (io.interactive) io.progress(line);
      else io.err(line);
    },
    finish() {
      if (io.interactive) io.progress('');
    },
  };
}
