/**
 * Safeguards against mass changes, checked when a plan is made and recomputed from the rows when
 * it is applied (apply/plan-integrity.ts). Like Microsoft Entra's accidental-deletion threshold
 * (500 by default) and the percentage guards of Okta and Google:
 *
 * - access changes — deactivations, deletions and reactivations, from every mode (an upsert row
 *   whose status word means inactive is a deactivation) — each block the plan above 500 accounts
 *   or above 20 % of the accounts in scope, until the admin types the count back
 *   (`--override-safeguards COUNT`, or the Confirm step's field);
 * - an attribute that changes on more than 200 existing accounts, or on more than 20 % of the
 *   existing accounts the plan compared, gets its own warning line ("412 accounts change
 *   `department`"), so a mapping that rewrites a whole column is seen before it is sent; it does
 *   not block (attribute changes do not change who has access, and undo restores them).
 *
 * Percentages apply from 10 accounts up, so removing 1 of 3 test users is not blocked.
 */
import type {
  PlanSummary,
  SafeguardCheck,
  SafeguardKind,
  SafeguardLimit,
  SafeguardStatus,
} from '../../shared/plan/plan-format';
import { formatNumber, plural } from '../../shared/plan/plan-words';
import { isActivePath } from './plan-kinds';

/** Limits per kind of mass change. */
export type SafeguardSettings = {
  deactivate: SafeguardLimit;
  delete: SafeguardLimit;
  reactivate: SafeguardLimit;
  attribute: SafeguardLimit;
};

/** The defaults (see the file comment). */
export const DEFAULT_SAFEGUARDS: SafeguardSettings = {
  deactivate: { maxCount: 500, maxPercent: 20 },
  delete: { maxCount: 500, maxPercent: 20 },
  reactivate: { maxCount: 500, maxPercent: 20 },
  attribute: { maxCount: 200, maxPercent: 20 },
};

/** Percentages count from this many accounts up. */
const PERCENT_APPLIES_FROM = 10;

/** What the checks count. */
type SafeguardInput = {
  counts: { deactivate: number; delete: number; reactivate: number };
  /** Accounts in scope on the server; absent when unknown (undo plans: counts only). */
  population?: number;
  /** Existing accounts changed per attribute (target header). */
  attributes?: ReadonlyMap<string, number>;
  /** Existing accounts the plan compared (the attributes' population). */
  compared?: number;
};

const VERB: Record<Exclude<SafeguardKind, 'attribute'>, string> = {
  deactivate: 'deactivates',
  delete: 'deletes',
  reactivate: 'reactivates',
};

function measure(count: number, population: number | undefined, limit: SafeguardLimit) {
  const percent =
    population === undefined ? undefined : population > 0 ? (count / population) * 100 : 0;
  const overCount = count > limit.maxCount;
  const overPercent =
    percent !== undefined && count >= PERCENT_APPLIES_FROM && percent > limit.maxPercent;
  return { percent, overCount, overPercent };
}

function accessCheck(
  kind: Exclude<SafeguardKind, 'attribute'>,
  count: number,
  population: number | undefined,
  limit: SafeguardLimit,
): SafeguardCheck {
  const { percent, overCount, overPercent } = measure(count, population, limit);
  let reason: string | undefined;
  if (overCount) {
    reason = `The plan ${VERB[kind]} ${plural(count, 'account')}, more than the limit of ${formatNumber(limit.maxCount)}.`;
  } else if (overPercent) {
    reason = `The plan ${VERB[kind]} ${formatNumber(count)} of ${formatNumber(population ?? 0)} accounts in scope (${(percent ?? 0).toFixed(1)} %), more than the limit of ${limit.maxPercent} %.`;
  }
  return {
    kind,
    count,
    ...(population !== undefined ? { population } : {}),
    ...(percent !== undefined ? { percent: Math.round(percent * 10) / 10 } : {}),
    limit,
    exceeded: overCount || overPercent,
    blocks: true,
    ...(reason ? { reason } : {}),
  };
}

/** The attribute checks that are exceeded, most accounts first. */
function attributeChecks(input: SafeguardInput, limit: SafeguardLimit): SafeguardCheck[] {
  const checks: SafeguardCheck[] = [];
  for (const [attribute, count] of input.attributes ?? []) {
    if (isActivePath(attribute)) continue; // counted by the access checks
    const { percent, overCount, overPercent } = measure(count, input.compared, limit);
    if (!overCount && !overPercent) continue;
    checks.push({
      kind: 'attribute',
      attribute,
      count,
      ...(input.compared !== undefined ? { population: input.compared } : {}),
      ...(percent !== undefined ? { percent: Math.round(percent * 10) / 10 } : {}),
      limit,
      exceeded: true,
      blocks: false,
      reason: `${attribute} changes on ${formatNumber(count)} of ${formatNumber(input.compared ?? 0)} existing accounts compared.`,
    });
  }
  return checks.sort(
    (a, b) => b.count - a.count || ((a.attribute ?? '') < (b.attribute ?? '') ? -1 : 1),
  );
}

/** Checks a plan's access changes and attribute changes against the limits. */
export function checkSafeguards(
  input: SafeguardInput,
  settings: Partial<SafeguardSettings> = {},
): SafeguardStatus {
  const limits = { ...DEFAULT_SAFEGUARDS, ...settings };
  const access = (['deactivate', 'delete', 'reactivate'] as const).map((kind) =>
    accessCheck(kind, input.counts[kind], input.population, limits[kind]),
  );
  const exceeded = access.filter((c) => c.exceeded);
  return {
    checks: [...access, ...attributeChecks(input, limits.attribute)],
    blocked: exceeded.length > 0,
    overrideCount: exceeded.reduce((sum, c) => sum + c.count, 0),
  };
}

/**
 * The limits a plan was checked with, never looser than `ceiling` (the engine's): apply honours
 * stricter limits a plan was made with, and an edited plan cannot loosen them.
 */
export function limitsOf(
  checks: readonly SafeguardCheck[],
  ceiling: SafeguardSettings = DEFAULT_SAFEGUARDS,
): SafeguardSettings {
  const capped = (kind: SafeguardKind): SafeguardLimit => {
    const recorded = checks.find((c) => c.kind === kind)?.limit ?? ceiling[kind];
    return {
      maxCount: Math.min(recorded.maxCount, ceiling[kind].maxCount),
      maxPercent: Math.min(recorded.maxPercent, ceiling[kind].maxPercent),
    };
  };
  return {
    deactivate: capped('deactivate'),
    delete: capped('delete'),
    reactivate: capped('reactivate'),
    attribute: capped('attribute'),
  };
}

/**
 * The safeguards of a plan's rows: its access counts against the population in scope (absent for
 * undo plans), and the attributes it changes on existing accounts.
 */
export function safeguardsOfRows(
  summary: Pick<PlanSummary, 'counts' | 'compared'>,
  attributes: ReadonlyMap<string, number>,
  population: number | undefined,
  settings: Partial<SafeguardSettings> = {},
): SafeguardStatus {
  const { deactivate, reactivate } = summary.counts;
  return checkSafeguards(
    {
      counts: { deactivate, delete: summary.counts.delete, reactivate },
      ...(population !== undefined ? { population } : {}),
      attributes,
      compared: summary.compared,
    },
    settings,
  );
}
