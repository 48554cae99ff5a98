import { describe, expect, it } from 'vitest';
import type { CanaryAccount, CanaryEvidence } from '../../../../shared/ipc/schemas/canary';
import { afterText, canaryHeading } from '../../../../shared/plan/canary-words';

const account = (after: CanaryAccount['after']): CanaryAccount => ({
  op: 's0:update',
  kind: 'update',
  display: 'ann@example.com',
  outcome: 'ok',
  after,
});

describe('canary words', () => {
  it('says how many accounts are shown, and "the first N of M" when capped', () => {
    const e = (total: number, shown: number): CanaryEvidence => ({
      runId: 'r',
      total,
      accounts: Array.from({ length: shown }, () => account({ state: 'gone' })),
    });
    expect(canaryHeading(e(3, 3))).toBe(
      'The canary changed 3 accounts; as the server holds them now:',
    );
    expect(canaryHeading(e(120, 50))).toBe(
      'The canary changed the first 50 of 120 accounts; as the server holds them now:',
    );
    expect(canaryHeading(e(0, 0))).toBe('The canary changed no account.');
  });

  it('puts the server value first, friendly name first, and the plan value when they differ', () => {
    const a = account({
      state: 'present',
      active: false,
      attributes: [
        { path: 'title', planned: 'Lead', now: 'Lead' },
        { path: 'name.givenName', planned: 'Ann', now: 'Anne' },
      ],
    });
    expect(afterText(a)).toBe('inactive · Job title: Lead · First name: Anne (planned Ann)');
    expect(afterText(account({ state: 'gone' }))).toBe('not on the server');
    expect(afterText(account({ state: 'unread', message: 'HTTP 500' }))).toBe(
      'not read back: HTTP 500',
    );
  });
});
