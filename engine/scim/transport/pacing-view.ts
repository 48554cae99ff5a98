/**
 * How the pacing looks from outside (the `throttle` of a job's progress): the rate requests went
 * at lately, the tightest bound on it and its source, and the wait that explains a pause best.
 */
import type { JobThrottle } from '../../../shared/ipc/schemas/jobs';

type Wait = NonNullable<JobThrottle['waiting']>;
type Source = NonNullable<JobThrottle['source']>;

/** The window the sent rate is measured over. */
export const RECENT_MS = 3000;

type SendLog = {
  /** A request went at `t`. */
  note(t: number): void;
  /** Requests per second over the last {@link RECENT_MS}, to one decimal. */
  rate(t: number): number;
};

/** Send times of the last few seconds, oldest first, pruned as it is read. */
export function createSendLog(): SendLog {
  let sent: number[] = [];
  let head = 0;
  const rate = (t: number): number => {
    while (head < sent.length && (sent[head] ?? 0) <= t - RECENT_MS) head += 1;
    if (head > 4096) {
      sent = sent.slice(head);
      head = 0;
    }
    return Math.round(((sent.length - head) * 10_000) / RECENT_MS) / 10;
  };
  return {
    note(t) {
      sent.push(t);
      if (sent.length - head > 50_000) rate(t);
    },
    rate,
  };
}

/**
 * The wait to show at `t`: among the retries asleep, an unreachable server wins over a rate
 * limit, then the longest; a pause (Retry-After, an empty header window) shows as a rate-limit
 * wait unless the server is unreachable.
 */
export function currentWait(waits: Iterable<Wait>, pause: number, t: number): Wait | undefined {
  let best: Wait | undefined;
  for (const w of waits) {
    if (w.untilEpochMs <= t) continue;
    if (
      !best ||
      (w.cause === 'unreachable' && best.cause !== 'unreachable') ||
      w.untilEpochMs > best.untilEpochMs
    )
      best = { ...w };
  }
  if (pause > t && (!best || best.cause !== 'unreachable'))
    return {
      cause: 'rate-limit',
      untilEpochMs: Math.max(pause, best?.untilEpochMs ?? 0),
      ...(best?.attempt ? { attempt: best.attempt } : {}),
    };
  return best;
}

/** The lowest of the known bounds and where it comes from (the first wins a tie). */
export function tightestBound(
  bounds: readonly (readonly [number | undefined, Source])[],
): [number, Source] | undefined {
  let allowed: [number, Source] | undefined;
  for (const [rate, source] of bounds) {
    if (rate !== undefined && (!allowed || rate < allowed[0])) allowed = [rate, source];
  }
  return allowed;
}

type ThrottleParts = {
  /** Cap, learned rate and header rate, in the order a tie is decided. */
  bounds: readonly (readonly [number | undefined, Source])[];
  /** Until when requests are held (0 or past: not held). */
  pausedUntil: number;
  waits: Iterable<Wait>;
  sent: SendLog;
  counts: { rateLimited: number; retried: number };
};

/** The throttle a job's progress shows at `t`. */
export function throttleView(t: number, parts: ThrottleParts): JobThrottle {
  const allowed = tightestBound(parts.bounds);
  const waiting = currentWait(parts.waits, parts.pausedUntil, t);
  return {
    requestsPerSecond: parts.sent.rate(t),
    ...(allowed ? { allowedPerSecond: Math.round(allowed[0] * 10) / 10, source: allowed[1] } : {}),
    rateLimited: parts.counts.rateLimited,
    retried: parts.counts.retried,
    ...(waiting ? { waiting } : {}),
  };
}
