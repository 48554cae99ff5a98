/**
 * The rate cap of the deviation server (deviant-server.ts `rateLimit`): answers 429 with
 * Retry-After above `perSecond` requests per second, counted in calendar seconds (`fixed`, every
 * request counts, the default) or over a sliding second of accepted requests (`sliding`, as
 * Slack and Miro count). Optionally says its limit in headers, in one of the forms clients meet:
 * `x-ratelimit` (X-RateLimit-Limit/-Remaining/-Reset, Reset in epoch seconds, as Okta and
 * GitHub), `ietf` (RateLimit-Policy + RateLimit structured fields of the current draft) or
 * `ietf-legacy` (RateLimit-Limit/-Remaining/-Reset in delta-seconds).
 */
export type RateCapOptions = {
  perSecond: number;
  retryAfter: 'seconds' | 'http-date';
  window?: 'fixed' | 'sliding';
  headers?: 'x-ratelimit' | 'ietf' | 'ietf-legacy';
};

type RateCapAnswer = {
  /** True: answer 429. */
  refuse: boolean;
  /** Headers for the answer (the rate-limit ones, Retry-After on a refusal). */
  headers: Record<string, string>;
};

type RateCap = { check(now: number): RateCapAnswer };

function limitHeaders(
  o: RateCapOptions,
  remaining: number,
  resetAt: number,
  now: number,
): Record<string, string> {
  const delta = String(Math.max(0, Math.ceil((resetAt - now) / 1000)));
  switch (o.headers) {
    case undefined:
      return {};
    case 'x-ratelimit':
      return {
        'X-RateLimit-Limit': String(o.perSecond),
        'X-RateLimit-Remaining': String(remaining),
        'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
      };
    case 'ietf':
      return {
        'RateLimit-Policy': `"default";q=${String(o.perSecond)};w=1`,
        RateLimit: `"default";r=${String(remaining)};t=${delta}`,
      };
    case 'ietf-legacy':
      return {
        'RateLimit-Limit': `${String(o.perSecond)}, ${String(o.perSecond)};w=1`,
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': delta,
      };
  }
}

export function createRateCap(o: RateCapOptions): RateCap {
  let fixed = { second: 0, count: 0 };
  let log: number[] = [];
  let head = 0;
  const retryAfter = (resetAt: number, now: number): string =>
    o.retryAfter === 'seconds'
      ? String(Math.max(1, Math.ceil((resetAt - now) / 1000)))
      : new Date(resetAt + 1000).toUTCString();

  const checkFixed = (now: number): RateCapAnswer => {
    const second = Math.floor(now / 1000);
    fixed = fixed.second === second ? { second, count: fixed.count + 1 } : { second, count: 1 };
    const resetAt = (second + 1) * 1000;
    const refuse = fixed.count > o.perSecond;
    const headers = limitHeaders(o, Math.max(0, o.perSecond - fixed.count), resetAt, now);
    return refuse
      ? { refuse, headers: { ...headers, 'Retry-After': retryAfter(resetAt, now) } }
      : { refuse, headers };
  };

  const checkSliding = (now: number): RateCapAnswer => {
    while (head < log.length && (log[head] ?? 0) <= now - 1000) head += 1;
    if (head > 10_000) {
      log = log.slice(head);
      head = 0;
    }
    const used = log.length - head;
    const resetAt = (log[head] ?? now) + 1000;
    if (used >= o.perSecond) {
      const headers = limitHeaders(o, 0, resetAt, now);
      return { refuse: true, headers: { ...headers, 'Retry-After': retryAfter(resetAt, now) } };
    }
    log.push(now);
    return { refuse: false, headers: limitHeaders(o, o.perSecond - used - 1, resetAt, now) };
  };

  return { check: o.window === 'sliding' ? checkSliding : checkFixed };
}
