/**
 * Reads the rate-limit headers servers send with their answers, in the three forms seen in the
 * wild, into one shape. Pure: no clock of its own, `now` is passed in.
 *
 * - `X-RateLimit-Limit / -Remaining / -Reset` (Okta, GitHub; Okta also spells it `X-Rate-Limit-*`):
 *   Reset is epoch seconds. A Reset below 10⁹ is read as delta-seconds (some servers do that).
 * - IETF draft (draft-ietf-httpapi-ratelimit-headers-08 and later), structured fields:
 *   `RateLimit-Policy: "default";q=100;w=60` (quota q per window w seconds) and
 *   `RateLimit: "default";r=50;t=30` (r left, reset in t seconds).
 * - Older drafts (≤ 06): `RateLimit-Limit: 100` (optionally `100, 100;w=60`), `RateLimit-Remaining`,
 *   `RateLimit-Reset` in delta-seconds.
 */

/** What a server said about the quota the request counted against. */
export type RateHeaderInfo = {
  /** Requests allowed per window. */
  limit?: number;
  /** Window length in seconds, when the server says it. */
  windowSeconds?: number;
  /** Requests left in the current window. */
  remaining: number;
  /** When the window resets (epoch ms). */
  resetAtMs: number;
};

/** Epoch seconds start here (2001-09-09); smaller Reset values are delta-seconds. */
const EPOCH_SECONDS_FLOOR = 1e9;

function num(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** One member of a structured-field list: its name (or bare value) and its parameters. */
type Item = { value: string; params: Record<string, string> };

/** Parses an RFC 8941 list loosely enough for these headers (names have no commas or semicolons). */
export function parseSfList(text: string): Item[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [head = '', ...rest] = part.split(';');
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
        if (key) params[key] = eq < 0 ? '?1' : p.slice(eq + 1).trim();
      }
      return { value: head.trim().replace(/^"(.*)"$/, '$1'), params };
    });
}

function fromXRateLimit(h: Record<string, string>, now: number): RateHeaderInfo | undefined {
  const limit = num(h['x-ratelimit-limit'] ?? h['x-rate-limit-limit']);
  const remaining = num(h['x-ratelimit-remaining'] ?? h['x-rate-limit-remaining']);
  const reset = num(h['x-ratelimit-reset'] ?? h['x-rate-limit-reset']);
  if (remaining === undefined || reset === undefined) return undefined;
  const resetAtMs = reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : now + reset * 1000;
  return { ...(limit !== undefined ? { limit } : {}), remaining, resetAtMs };
}

function fromIetf(h: Record<string, string>, now: number): RateHeaderInfo | undefined {
  const current = h['ratelimit'];
  if (current === undefined) return undefined;
  const items = parseSfList(current);
  // Draft 07 wrote `RateLimit: limit=10, remaining=1, reset=7` as a dictionary.
  const dict = Object.fromEntries(
    items.map((i) => {
      const eq = i.value.indexOf('=');
      return eq < 0 ? [i.value, ''] : [i.value.slice(0, eq).toLowerCase(), i.value.slice(eq + 1)];
    }),
  ) as Record<string, string>;
  if (dict['remaining'] !== undefined) {
    const remaining = num(dict['remaining']);
    const reset = num(dict['reset']);
    const limit = num(dict['limit']);
    if (remaining === undefined || reset === undefined) return undefined;
    return { ...(limit !== undefined ? { limit } : {}), remaining, resetAtMs: now + reset * 1000 };
  }
  const policies = parseSfList(h['ratelimit-policy'] ?? '');
  let best: RateHeaderInfo | undefined;
  for (const item of items) {
    const remaining = num(item.params['r']);
    const reset = num(item.params['t']) ?? 1;
    if (remaining === undefined) continue;
    const policy = policies.find((p) => p.value === item.value) ?? policies[0];
    const limit = num(policy?.params['q']);
    const windowSeconds = num(policy?.params['w']);
    const info: RateHeaderInfo = {
      ...(limit !== undefined ? { limit } : {}),
      ...(windowSeconds !== undefined && windowSeconds > 0 ? { windowSeconds } : {}),
      remaining,
      resetAtMs: now + reset * 1000,
    };
    if (!best || allowedRate(info, now, 0) < allowedRate(best, now, 0)) best = info;
  }
  return best;
}

function fromLegacyIetf(h: Record<string, string>, now: number): RateHeaderInfo | undefined {
  const remaining = num(h['ratelimit-remaining']);
  const reset = num(h['ratelimit-reset']);
  if (remaining === undefined || reset === undefined) return undefined;
  const [first, ...more] = parseSfList(h['ratelimit-limit'] ?? '');
  const limit = num(first?.value);
  const windowSeconds = num(more.find((m) => m.params['w'])?.params['w']);
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(windowSeconds !== undefined && windowSeconds > 0 ? { windowSeconds } : {}),
    remaining,
    resetAtMs: now + reset * 1000,
  };
}

/** The server's rate-limit headers in one shape, or undefined when it sent none we can read. */
export function readRateHeaders(
  headers: Record<string, string>,
  now: number,
): RateHeaderInfo | undefined {
  return fromIetf(headers, now) ?? fromLegacyIetf(headers, now) ?? fromXRateLimit(headers, now);
}

/**
 * Requests per second that spend what is left of the window evenly until it resets, keeping
 * `inFlight` requests (sent, not yet counted in an answer) in reserve. 0 means "wait for the reset".
 */
export function allowedRate(info: RateHeaderInfo, now: number, inFlight: number): number {
  const left = Math.max(0, info.remaining - inFlight);
  const seconds = Math.max(0.05, (info.resetAtMs - now) / 1000);
  return left / seconds;
}

/**
 * The rate to pace at from what the headers say: the policy's average (limit ÷ window) when the
 * limit and the window are known (from the header or the longest time-to-reset seen), which
 * holds for fixed and sliding windows alike; otherwise what is left spent evenly until reset.
 * Running out is handled by the caller (it waits for the reset).
 */
export function policyRate(
  info: RateHeaderInfo,
  observedWindowMs: number,
  now: number,
  inFlight: number,
): number {
  const windowMs = info.windowSeconds !== undefined ? info.windowSeconds * 1000 : observedWindowMs;
  if (info.limit !== undefined && windowMs >= 500) return (info.limit * 1000) / windowMs;
  return allowedRate(info, now, inFlight);
}
