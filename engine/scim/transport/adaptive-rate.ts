/**
 * Learns the request rate a server sustains from its 429s, for servers that throttle without
 * saying their limit. Pure logic on an injected clock; the transport feeds it sends and answers
 * and asks it for the rate to pace at (rate-limit.ts does the pacing).
 *
 * Modelled on the AWS SDKs' "adaptive" retry mode (a client-side token bucket whose fill rate
 * follows CUBIC: drop on a throttle, grow back slowly, probe beyond), with two changes that
 * matter for SaaS caps, where every 429 can cost a Retry-After pause of a second or more:
 * - the drop is not blind (AWS: 0.7 × the rate sent) but aimed: what the server *accepted* over
 *   the last second (since the last Retry-After pause ended, when that is more recent) is what a
 *   per-second cap let through, so the new rate is a margin below that; a second throttle soon
 *   after means the guess was wrong and the rate drops by 0.7;
 * - a rate is held for 30 s before probing upward, and the hold doubles (up to a minute) each
 *   time the server throttles at about the same rate: each probe's 429 costs a Retry-After pause
 *   of the whole connection, so a stable cap costs fewer and fewer 429s as the run goes on;
 * - a first throttle while holding is taken for jitter (a small step down); another means the
 *   estimate was high, as a fixed window's is (the previous window's tail counts too): what got
 *   through since the refused request's calendar second began is then the estimate, exact for a
 *   window per epoch second.
 * Before the first throttle the rate starts low and doubles every quarter second while requests
 * wait for it (TCP's slow start), so the first overshoot is a few requests, not a storm; past
 * {@link UNBOUNDED_RATE} it stops bounding anything until a throttle comes.
 */

type AdaptiveRateOptions = {
  now: () => number;
  /** Slow-start rate (requests/s) before anything is known. Default 20. */
  initialRate?: number;
};

type AdaptiveRate = {
  /**
   * Requests/s to pace at now; undefined while nothing bounds the rate. `demand`: a request is
   * waiting for it (only then does slow start grow: an idle client learns nothing).
   */
  allowed(demand?: boolean): number | undefined;
  /** Whether a throttle has taught it a rate (false while still in slow start). */
  learned(): boolean;
  /** The answer to a request sent at `sentAt` came back; `throttled` for 429 and the like. */
  onAnswer(sentAt: number, throttled: boolean): void;
  /** Requests are held until `until` (a Retry-After): what came before it says nothing of the cap. */
  onPause(until: number): void;
};

/** Slow start ends here: a server that takes this many requests a second is not being paced. */
const UNBOUNDED_RATE = 5000;
/** Below this the learner does not go (a server answering 429 to everything gets a crawl). */
const MIN_RATE = 0.2;
const MARGIN = 0.97;
const REPEAT_DROP = 0.7;
const HOLD_DROP = 0.85;
/** The step after a first throttle while holding: a server stall bunches requests now and then. */
const JITTER_STEP = 0.95;
const SLOW_START_STEP_MS = 250;
/** A throttle this soon after the last drop means the drop was not enough. */
const REPEAT_WINDOW_MS = 2000;
const HOLD_FIRST_MS = 30_000;
const HOLD_MAX_MS = 60_000;
/** A new ceiling within this share of the last one confirms it (the hold doubles). */
const SAME_CEILING = 0.15;
/** Window over which accepted answers are counted to estimate the server's cap. */
const ACCEPT_WINDOW_MS = 1000;
/** Fewer accepted answers than this in the window make no estimate. */
const MIN_SAMPLE = 4;

/** Growth after the hold: +1 % of the ceiling per second plus a convex term (CUBIC-like probing). */
function probeFactor(sinceHoldEndMs: number): number {
  const s = Math.max(0, sinceHoldEndMs) / 1000;
  return MARGIN + 0.01 * s + 0.002 * s * s;
}

/** What the learner knows once a throttle taught it a rate. */
export type LearnedRate = {
  /** The rate the server accepted at the last throttle. */
  ceiling: number;
  /** The rate held after the last drop. */
  base: number;
  droppedAt: number;
  holdMs: number;
  isLearned: boolean;
  /** Throttles while holding since the ceiling was last learned (the first is taken for jitter). */
  holdThrottles?: number;
};

/** What a throttle at `t` saw: the accepted answers of the last window and the rate before it. */
type ThrottleSample = {
  t: number;
  acceptedCount: number;
  acceptedRate: number;
  /**
   * Accepted answers since the calendar second of `t` began: a fixed window's cap when the
   * server counts per epoch second (the last second's count then overstates it). Optional: absent,
   * a throttle while holding steps down blindly.
   */
  calendarCount?: number;
  before: number;
};

/**
 * The new rate after a throttle that leaves an estimate: a repeat soon after the last drop, or
 * too few accepted answers, drops by {@link REPEAT_DROP}; a throttle while holding a rate steps
 * down and keeps the hold; otherwise the server's accepted rate becomes the ceiling, and the
 * hold doubles when it confirms the last one.
 */
export function dropAfterThrottle(
  l: LearnedRate,
  s: ThrottleSample,
): Pick<LearnedRate, 'ceiling' | 'base' | 'holdMs' | 'holdThrottles'> {
  const repeat = l.isLearned && s.t - l.droppedAt < REPEAT_WINDOW_MS;
  if (repeat || s.acceptedCount < MIN_SAMPLE) {
    const base = Math.max(MIN_RATE, s.before * REPEAT_DROP);
    return { base, ceiling: base / MARGIN, holdMs: HOLD_FIRST_MS };
  }
  if (l.isLearned && s.t - l.droppedAt < l.holdMs) {
    // Throttled while holding a rate that should have been safe: the estimate was high (a
    // fixed window lets the tail of the previous one count too). Step down, keep the hold.
    return holdDrop(l, s);
  }
  const ceiling = Math.min(s.acceptedRate, s.before);
  const same = l.isLearned && Math.abs(ceiling - l.ceiling) <= SAME_CEILING * l.ceiling;
  return {
    ceiling,
    base: Math.max(MIN_RATE, ceiling * MARGIN),
    holdMs: same ? Math.min(HOLD_MAX_MS, l.holdMs * 2) : HOLD_FIRST_MS,
    holdThrottles: 0,
  };
}

/**
 * A throttle while holding a rate that should have been safe. The first one is taken for jitter
 * (a server that stalls for a moment takes the requests sent meanwhile all at once, and a sliding
 * window then counts more than a second's worth): a small step down. Another one means the
 * estimate was high, which is what a fixed window gives (the previous window's tail counted too):
 * what got through since the refused request's calendar second began is then the estimate, exact
 * for a window per epoch second and never above the cap for any other, trusted down to
 * {@link HOLD_DROP} of the held rate; without that count the rate steps down by {@link HOLD_DROP}.
 */
function holdDrop(
  l: LearnedRate,
  s: ThrottleSample,
): Pick<LearnedRate, 'ceiling' | 'base' | 'holdMs' | 'holdThrottles'> {
  const seen = l.holdThrottles ?? 0;
  const counted = s.calendarCount !== undefined && s.calendarCount >= MIN_SAMPLE;
  const estimate =
    seen === 0
      ? Math.min(s.acceptedRate * MARGIN, l.base * JITTER_STEP)
      : counted
        ? Math.min(Math.max(s.calendarCount ?? 0, l.base * HOLD_DROP), l.base) * MARGIN
        : Math.min(s.acceptedRate * MARGIN, l.base * HOLD_DROP);
  const base = Math.max(MIN_RATE, estimate);
  return { base, ceiling: base / MARGIN, holdMs: HOLD_FIRST_MS, holdThrottles: seen + 1 };
}

/**
 * Accepted answers within the last {@link ACCEPT_WINDOW_MS} (by answer time, pruned as it goes),
 * each with the time its request was sent.
 */
function createAcceptedLog(): {
  add(t: number, sentAt: number): void;
  countAfter(from: number, t: number): number;
  /** Of those, how many were sent at or after `from`. */
  sentSince(from: number, t: number): number;
} {
  const answered: number[] = [];
  const sent: number[] = [];
  let head = 0;
  const prune = (t: number): void => {
    while (head < answered.length && (answered[head] ?? 0) <= t - ACCEPT_WINDOW_MS) head += 1;
    if (head > 1024 && head * 2 > answered.length) {
      answered.splice(0, head);
      sent.splice(0, head);
      head = 0;
    }
  };
  return {
    add(t, sentAt) {
      answered.push(t);
      sent.push(sentAt);
      prune(t);
    },
    countAfter(from, t) {
      prune(t);
      let n = 0;
      for (let i = answered.length - 1; i >= head && (answered[i] ?? 0) > from; i--) n += 1;
      return n;
    },
    sentSince(from, t) {
      prune(t);
      let n = 0;
      for (let i = head; i < sent.length; i++) if ((sent[i] ?? 0) >= from) n += 1;
      return n;
    },
  };
}

export function createAdaptiveRate(options: AdaptiveRateOptions): AdaptiveRate {
  const { now } = options;
  let slowStart: number | undefined = options.initialRate ?? 20;
  let stepAt = now();
  const l: LearnedRate = {
    ceiling: 0,
    base: 0,
    droppedAt: Number.NEGATIVE_INFINITY,
    holdMs: HOLD_FIRST_MS,
    isLearned: false,
  };
  /** Send time of requests after which a throttle counts (earlier ones were sent too fast already). */
  let epochStart = Number.NEGATIVE_INFINITY;
  const accepted = createAcceptedLog();
  let pauseEnd = Number.NEGATIVE_INFINITY;

  const current = (t: number, demand: boolean): number | undefined => {
    if (l.isLearned) {
      const since = t - l.droppedAt - l.holdMs;
      return since <= 0 ? l.base : Math.max(l.base, l.ceiling * probeFactor(since));
    }
    if (slowStart === undefined) return undefined;
    if (demand && t - stepAt >= SLOW_START_STEP_MS) {
      slowStart *= 2;
      stepAt = t;
      if (slowStart > UNBOUNDED_RATE) slowStart = undefined;
    }
    return slowStart;
  };

  const onThrottle = (t: number, sentAt: number): void => {
    if (sentAt < epochStart) return;
    // Only answers since the last pause ended: a fixed window restarts there, and counting the
    // tail of the window before would take the client's own rate for the server's cap.
    const acceptedCount = accepted.countAfter(
      pauseEnd <= t ? pauseEnd : Number.NEGATIVE_INFINITY,
      t,
    );
    const acceptedRate = (acceptedCount * 1000) / ACCEPT_WINDOW_MS;
    // The server counted the refused request about when it was sent, not when its answer came.
    const calendarCount = accepted.sentSince(Math.floor(sentAt / 1000) * 1000, t);
    const before = current(t, false) ?? acceptedRate;
    epochStart = t;
    if (acceptedCount < MIN_SAMPLE && !l.isLearned) {
      // Throttled before anything got through: no estimate yet, slow start again from half.
      slowStart = Math.max(MIN_RATE, before / 2);
      stepAt = t;
      return;
    }
    Object.assign(
      l,
      dropAfterThrottle(l, { t, acceptedCount, acceptedRate, calendarCount, before }),
    );
    l.droppedAt = t;
    l.isLearned = true;
    slowStart = undefined;
  };

  return {
    allowed: (demand = false) => current(now(), demand),
    learned: () => l.isLearned,
    onPause(until) {
      if (until > pauseEnd) pauseEnd = until;
    },
    onAnswer(sentAt, throttled) {
      const t = now();
      if (throttled) onThrottle(t, sentAt);
      else accepted.add(t, sentAt);
    },
  };
}
