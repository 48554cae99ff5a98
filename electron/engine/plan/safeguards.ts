/**
 * Safeguards against mass deactivation or deletion, checked when a plan is made and again before
 * it runs. Like Microsoft Entra's accidental-deletion threshold (500 by default) and the
 * percentage guards of Okta and Google, a plan whose deactivations or deletions exceed a limit is
 * blocked until the admin types the count back (`--override-safeguards COUNT`).
 */
import type { PlanAction } from '../../../shared/import/types';

export type SafeguardLimit = {
  /** Most accounts one plan may change this way (absolute). */
  maxCount: number;
  /** Most of the in-scope population, in percent. */
  maxPercent: number;
};

export type SafeguardSettings = { deactivate: SafeguardLimit; delete: SafeguardLimit };

/**
 * Defaults: 20 % of the in-scope accounts or 500 accounts, whichever is lower. The percentage
 * applies from 10 accounts up, so removing 1 of 3 test users is not blocked.
 */
export const DEFAULT_SAFEGUARDS: SafeguardSettings = {
  deactivate: { maxCount: 500, maxPercent: 20 },
  delete: { maxCount: 500, maxPercent: 20 },
};

const PERCENT_APPLIES_FROM = 10;

export type SafeguardCheck = {
  action: Extract<PlanAction, 'deactivate' | 'delete'>;
  count: number;
  /** Accounts in scope on the server (the denominator). */
  population: number;
  percent: number;
  limit: SafeguardLimit;
  exceeded: boolean;
  /** Why it is blocked, as a sentence; absent when within limits. */
  reason?: string;
};

export type SafeguardStatus = {
  checks: SafeguardCheck[];
  /** True when a limit is exceeded: running needs the override. */
  blocked: boolean;
  /** The number the admin must type back to override (deactivations + deletions). */
  overrideCount: number;
};

function check(
  action: SafeguardCheck['action'],
  count: number,
  population: number,
  limit: SafeguardLimit,
): SafeguardCheck {
  const percent = population > 0 ? (count / population) * 100 : count > 0 ? 100 : 0;
  const overCount = count > limit.maxCount;
  const overPercent = count >= PERCENT_APPLIES_FROM && percent > limit.maxPercent;
  const verb = action === 'deactivate' ? 'deactivates' : 'deletes';
  let reason: string | undefined;
  if (overCount) {
    reason = `The plan ${verb} ${count} accounts, more than the limit of ${limit.maxCount}.`;
  } else if (overPercent) {
    reason = `The plan ${verb} ${count} of ${population} accounts in scope (${percent.toFixed(1)} %), more than the limit of ${limit.maxPercent} %.`;
  }
  return {
    action,
    count,
    population,
    percent: Math.round(percent * 10) / 10,
    limit,
    exceeded: overCount || overPercent,
    ...(reason ? { reason } : {}),
  };
}

/** Checks a plan's deactivations and deletions against the limits. */
export function checkSafeguards(
  counts: { deactivate: number; delete: number },
  population: number,
  settings: SafeguardSettings = DEFAULT_SAFEGUARDS,
): SafeguardStatus {
  const checks = [
    check('deactivate', counts.deactivate, population, settings.deactivate),
    check('delete', counts.delete, population, settings.delete),
  ];
  return {
    checks,
    blocked: checks.some((c) => c.exceeded),
    overrideCount: counts.deactivate + counts.delete,
  };
}
