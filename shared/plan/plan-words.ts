/**
 * What a plan does, in words: the lines the CLI prints and the app's preview and Confirm step show
 * ("1,594 people will lose access (deactivate)", "3 listed accounts were not found", "2 protected
 * accounts were left alone (1 protect entry matches nobody)", "412 accounts change
 * `department`"). One function, so every surface says the same thing.
 */
import type { PlanAction, PlanRow } from '../import/types';
import {
  isUnlistedMode,
  type PlanMode,
  type PlanSummary,
  type ProtectFacts,
  type SafeguardCheck,
  type SafeguardStatus,
} from './plan-format';

/** Short names of the kinds (table badges, filters, counts). */
export const KIND_LABELS: Record<PlanAction, string> = {
  create: 'Create',
  update: 'Update',
  reactivate: 'Reactivate',
  deactivate: 'Deactivate',
  delete: 'Delete',
  unchanged: 'Unchanged',
  'not-found': 'Not found',
  protected: 'Protected',
  conflict: 'Conflict',
  invalid: 'Invalid',
};

/** What each mode does, in words. */
export const MODE_LABELS: Record<PlanMode, string> = {
  upsert: 'Create and update (upsert)',
  'deactivate-listed': 'Deactivate the accounts listed',
  'delete-listed': 'Delete the accounts listed',
  'deactivate-unlisted': 'Deactivate accounts not in the file',
  'delete-unlisted': 'Delete accounts not in the file',
};

// One formatter for all numbers: `toLocaleString()` builds a new one on every call.
const NUMBER = new Intl.NumberFormat('en-US');

/** `1594` → `1,594`. */
export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

/** `1 account`, `1,594 accounts`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(n)} ${n === 1 ? one : many}`;
}

/** How a line should stand out: loses access or data, needs a look, changes, or only informs. */
type PlanLineTone = 'danger' | 'warning' | 'change' | 'neutral';

/** One sentence about the plan; `key` is stable (a kind, `memberships`, `attribute:<path>`). */
type PlanLine = { key: string; tone: PlanLineTone; text: string };

/** What {@link describePlan} reads: a plan summary or the equivalent facts. */
type PlanFacts = {
  mode: PlanMode;
  counts: Readonly<Record<PlanAction, number>>;
  memberships?: PlanSummary['memberships'];
  protect?: ProtectFacts;
  safeguards?: SafeguardStatus;
};

/** Rows and memberships that write something to the server. */
export function changingCount(facts: Pick<PlanFacts, 'counts' | 'memberships'>): number {
  const c = facts.counts;
  const m = facts.memberships;
  return (
    c.create + c.update + c.reactivate + c.deactivate + c.delete + (m?.add ?? 0) + (m?.remove ?? 0)
  );
}

function people(n: number): string {
  return plural(n, 'person', 'people');
}

function unchangedText(mode: PlanMode, n: number): string {
  if (mode === 'deactivate-listed') {
    return `${plural(n, 'listed account')} ${n === 1 ? 'is' : 'are'} already inactive (unchanged)`;
  }
  if (isUnlistedMode(mode)) {
    return `${plural(n, 'account')} in the file ${n === 1 ? 'is' : 'are'} kept (unchanged)`;
  }
  return `${plural(n, 'account')} ${n === 1 ? 'is' : 'are'} already as the file says (unchanged)`;
}

function notFoundText(mode: PlanMode, n: number): string {
  if (isUnlistedMode(mode)) {
    return `${plural(n, 'account')} in the keep list ${n === 1 ? 'was' : 'were'} not found`;
  }
  return `${plural(n, 'listed account')} ${n === 1 ? 'was' : 'were'} not found`;
}

/** `2 protected accounts were left alone (1 protect entry matches nobody)`. */
function protectText(spared: number, protect: ProtectFacts | undefined): string {
  const unmatched = protect?.unmatchedCount ?? 0;
  const note =
    unmatched > 0
      ? ` (${plural(unmatched, 'protect entry', 'protect entries')} ${unmatched === 1 ? 'matches' : 'match'} nobody)`
      : '';
  if (spared === 0) return `No account needed the protect list${note}`;
  return `${plural(spared, 'protected account')} ${spared === 1 ? 'was' : 'were'} left alone${note}`;
}

const KIND_TEXT: Record<PlanAction, (n: number, mode: PlanMode) => string> = {
  create: (n) => `${plural(n, 'account')} will be created`,
  update: (n) => `${plural(n, 'account')} will be updated`,
  reactivate: (n) => `${people(n)} will get access back (reactivate)`,
  deactivate: (n) => `${people(n)} will lose access (deactivate)`,
  delete: (n) => `${plural(n, 'account')} will be deleted (delete)`,
  unchanged: (n, mode) => unchangedText(mode, n),
  'not-found': (n, mode) => notFoundText(mode, n),
  protected: (n) => `${plural(n, 'protected account')} ${n === 1 ? 'was' : 'were'} left alone`,
  conflict: (n) =>
    `${plural(n, 'row')} ${n === 1 ? 'matches' : 'match'} more than one account and ${n === 1 ? 'is' : 'are'} skipped (conflict)`,
  invalid: (n) =>
    `${plural(n, 'row')} ${n === 1 ? 'has' : 'have'} problems and ${n === 1 ? 'is' : 'are'} skipped (invalid)`,
};

const KIND_TONE: Record<PlanAction, PlanLineTone> = {
  create: 'change',
  update: 'change',
  reactivate: 'warning',
  deactivate: 'danger',
  delete: 'danger',
  unchanged: 'neutral',
  'not-found': 'warning',
  protected: 'neutral',
  conflict: 'warning',
  invalid: 'warning',
};

/** `412 accounts change `department``, for an attribute check. */
function attributeText(check: Pick<SafeguardCheck, 'attribute' | 'count'>): string {
  return `${plural(check.count, 'account')} change \`${check.attribute ?? '?'}\``;
}

/**
 * The plan in sentences, most consequential first: what changes (creates, updates, reactivations,
 * deactivations, deletions), memberships, attributes that change on many accounts, then what is
 * left alone (unchanged, not found, protected) and what is skipped (conflicts, invalid rows).
 */
export function describePlan(facts: PlanFacts): PlanLine[] {
  const lines: PlanLine[] = [];
  const add = (kind: PlanAction): void => {
    const n = facts.counts[kind];
    if (kind === 'protected') {
      if (n > 0 || (facts.protect?.unmatchedCount ?? 0) > 0) {
        lines.push({ key: kind, tone: 'neutral', text: protectText(n, facts.protect) });
      }
      return;
    }
    if (n > 0)
      lines.push({ key: kind, tone: KIND_TONE[kind], text: KIND_TEXT[kind](n, facts.mode) });
  };
  for (const kind of ['create', 'update', 'reactivate', 'deactivate', 'delete'] as const) add(kind);
  const m = facts.memberships;
  if (m && (m.add > 0 || m.remove > 0)) {
    const groups = m.groupsToCreate > 0 ? `; ${plural(m.groupsToCreate, 'new group')}` : '';
    lines.push({
      key: 'memberships',
      tone: 'change',
      text: `${plural(m.add, 'group membership')} added and ${formatNumber(m.remove)} removed${groups}`,
    });
  }
  for (const check of facts.safeguards?.checks ?? []) {
    if (check.kind !== 'attribute' || !check.exceeded) continue;
    lines.push({
      key: `attribute:${check.attribute ?? ''}`,
      tone: 'warning',
      text: attributeText(check),
    });
  }
  for (const kind of ['unchanged', 'not-found', 'protected', 'conflict', 'invalid'] as const) {
    add(kind);
  }
  return lines;
}

const CHECK_NOUN: Record<SafeguardCheck['kind'], string> = {
  deactivate: 'Deactivations',
  delete: 'Deletions',
  reactivate: 'Reactivations',
  attribute: 'Changes',
};

/** One access check in words: `Deactivations: 12 of 1,000 accounts in scope (1.2 %); limit 500 or 20 %`. */
function checkText(check: SafeguardCheck): string {
  const of =
    check.population !== undefined
      ? ` of ${formatNumber(check.population)} accounts in scope (${(check.percent ?? 0).toFixed(1)} %)`
      : '';
  const limit = `limit ${formatNumber(check.limit.maxCount)}${check.population !== undefined ? ` or ${check.limit.maxPercent} %` : ''}`;
  return `${CHECK_NOUN[check.kind]}: ${formatNumber(check.count)}${of}; ${limit} — ${check.exceeded ? 'over the limit' : 'within it'}`;
}

/**
 * The safeguard verdict in words: when blocked, each exceeded limit's reason; otherwise one line
 * per access change the plan makes (or that it makes none).
 */
export function describeSafeguards(status: SafeguardStatus): PlanLine[] {
  const access = status.checks.filter((c) => c.kind !== 'attribute');
  if (status.blocked) {
    return access
      .filter((c) => c.exceeded && c.blocks)
      .map((c) => ({
        key: `safeguard:${c.kind}`,
        tone: 'danger' as const,
        text: c.reason ?? checkText(c),
      }));
  }
  const counted = access.filter((c) => c.count > 0);
  if (counted.length === 0) {
    return [
      {
        key: 'safeguard:none',
        tone: 'neutral',
        text: 'The plan deactivates, reactivates and deletes nothing.',
      },
    ];
  }
  return counted.map((c) => ({
    key: `safeguard:${c.kind}`,
    tone: 'neutral' as const,
    text: checkText(c),
  }));
}

/** `Type 1,594 to run it anyway` context: what the override count is made of. */
export function overrideText(status: SafeguardStatus): string {
  const parts = status.checks
    .filter((c) => c.exceeded && c.blocks)
    .map(
      (c) =>
        `${formatNumber(c.count)} ${c.kind === 'delete' ? 'deletions' : c.kind === 'reactivate' ? 'reactivations' : 'deactivations'}`,
    );
  return `The plan is over its safeguards with ${parts.join(' and ')}; running it anyway needs the count ${status.overrideCount} typed back.`;
}

/** `loses access` / `gets access back` for a row that switches an account off or on. */
export function accessChangeText(row: Pick<PlanRow, 'action'>): string | undefined {
  if (row.action === 'deactivate') return 'loses access';
  if (row.action === 'reactivate') return 'gets access back';
  return undefined;
}

/**
 * What a deactivate or reactivate row does, with the other changes it makes: `This person loses
 * access (active → false); the row also changes title, department.`
 */
export function rowAccessSentence(row: Pick<PlanRow, 'action' | 'changes'>): string | undefined {
  const access = accessChangeText(row);
  if (!access) return undefined;
  const others = (row.changes ?? []).map((c) => c.path).filter((p) => p.toLowerCase() !== 'active');
  const also = others.length ? `; the row also changes ${others.join(', ')}` : '';
  return `This person ${access} (active → ${row.action === 'deactivate' ? 'false' : 'true'})${also}.`;
}
