/** The canary's evidence in words, the same in the app and the CLI (issue 19 item 6). */
import type { CanaryAccount, CanaryAttribute, CanaryEvidence } from '../ipc/schemas/canary';
import { attributeLabel } from '../mapping/friendly-names';
import { formatNumber, plural } from './plan-words';

const OUTCOMES: Record<CanaryAccount['outcome'], string> = {
  ok: 'done',
  failed: 'failed',
  unknown: 'unknown',
};

export function outcomeWord(outcome: CanaryAccount['outcome']): string {
  return OUTCOMES[outcome];
}

/** "3 accounts changed by the canary", or "the first 50 of 120 accounts …" when capped. */
export function canaryHeading(e: CanaryEvidence): string {
  if (e.total === 0) return 'The canary changed no account.';
  const shown = e.accounts.length;
  const what =
    shown < e.total
      ? `the first ${formatNumber(shown)} of ${plural(e.total, 'account')}`
      : plural(e.total, 'account');
  return `The canary changed ${what}; as the server holds them now:`;
}

/** One attribute as the server holds it, friendly name first: `Job title: Lead`, with the plan's value when they differ. */
export function attributeText(a: CanaryAttribute): string {
  const now = a.now ?? '(no value)';
  return a.now === a.planned
    ? `${attributeLabel(a.path)}: ${now}`
    : `${attributeLabel(a.path)}: ${now} (planned ${a.planned ?? 'no value'})`;
}

/** Whether the account is active now, or why its state is not known. */
export function stateText(a: CanaryAccount): string {
  const after = a.after;
  if (after.state === 'gone') return 'not on the server';
  if (after.state === 'unread') return `not read back: ${after.message}`;
  if (after.active === undefined) return 'on the server';
  return after.active ? 'active' : 'inactive';
}

/** The account's state after, in one line: `active · title: Lead`. */
export function afterText(a: CanaryAccount): string {
  const attrs = a.after.state === 'present' ? a.after.attributes.map(attributeText) : [];
  return [stateText(a), ...attrs].join(' · ');
}
