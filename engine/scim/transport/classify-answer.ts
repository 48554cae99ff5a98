/**
 * Pure reading of one HTTP answer for the request loop (exchange.ts): is it throttling, what does
 * it teach the concurrency limiter, is it a redirect to follow, does a refusal leave the outcome
 * unknown. No I/O, so every branch is unit-tested.
 */
import { isQuotaForbidden } from '../quirks/wire';
import type { SlotOutcome } from './adaptive-concurrency';
import type { RetryDecision } from './retry';
import type { HttpMethod } from './types';

/** The parts of an answer these rules look at. */
type AnswerFacts = { status: number; text: string; headers: Record<string, string> };

export const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** 429 and quota-403 answers: the server's rate limit (quirk: quota-as-403) refused the request. */
export function isRateLimited(answer: AnswerFacts): boolean {
  return answer.status === 429 || isQuotaForbidden(answer.status, answer.text);
}

/** 429, 503 and quota-403 answers: the server is shedding load and did not process the request. */
export function isThrottle(answer: AnswerFacts): boolean {
  return isRateLimited(answer) || answer.status === 503;
}

/**
 * What an answer tells the concurrency limiter. A rate limit is the pacing's to learn (halving
 * slots cannot bound a rate: one slot at loopback latency exceeds any SaaS cap); an overloaded
 * server (503) sheds slots; any other answer below 500 confirms the slots.
 */
export function slotOutcomeOf(answer: AnswerFacts): SlotOutcome {
  if (isThrottle(answer)) return isRateLimited(answer) ? 'neutral' : 'throttled';
  return answer.status < 500 ? 'success' : 'neutral';
}

/** The status the retry policy sees: a quota 403 is throttling in disguise, retried like a 429. */
export function retryStatusOf(answer: AnswerFacts): number {
  return isQuotaForbidden(answer.status, answer.text) ? 429 : answer.status;
}

/** The request path below the base URL, for the pacing bucket (`/Users/abc` of `…/scim/v2/Users/abc`). */
export function pathBelowBase(url: URL, basePath: string): string {
  return url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
}

type RedirectStep = { follow: boolean; target: URL };

/**
 * A redirect answer: followed only for a GET to the same origin, at most {@link MAX_REDIRECTS}
 * times; any other is refused (a write or a credential must not go to an address nobody entered).
 * Undefined when the answer is not a redirect with a Location.
 */
export function redirectStep(
  answer: AnswerFacts,
  url: URL,
  method: HttpMethod,
  redirectsSoFar: number,
): RedirectStep | undefined {
  const location = answer.headers['location'];
  if (!REDIRECTS.has(answer.status) || !location) return undefined;
  const target = new URL(location, url);
  const follow = method === 'GET' && target.origin === url.origin && redirectsSoFar < MAX_REDIRECTS;
  return { follow, target };
}

/**
 * Whether a final refusal leaves the outcome unknown: the retry policy says so, or a conditional
 * write retried after a 5xx or a lost answer is now refused with 412 (the earlier attempt may have
 * been applied and moved the version).
 */
export function refusalIsUnknown(
  status: number,
  decision: RetryDecision,
  retriesSoFar: number,
  ifMatch: string | undefined,
): boolean {
  if (status === 412 && retriesSoFar > 0 && ifMatch !== undefined) return true;
  return decision.action === 'unknown';
}
