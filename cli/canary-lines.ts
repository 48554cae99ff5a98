import type { CanaryEvidence } from '../shared/ipc/schemas/canary';
import { afterText, canaryHeading, outcomeWord } from '../shared/plan/canary-words';
import { formatTable } from './io';

/**
 * The accounts a canary changed, as printed after `apply --canary N`: who, what kind, the outcome
 * and the server's state now (read back), in the same words as the app's canary results.
 */
export function canaryLines(e: CanaryEvidence): string[] {
  const lines = [canaryHeading(e)];
  if (e.accounts.length === 0) return lines;
  const rows = [['ACCOUNT', 'CHANGE', 'OUTCOME', 'ON THE SERVER NOW']];
  for (const a of e.accounts) rows.push([a.display, a.kind, outcomeWord(a.outcome), afterText(a)]);
  lines.push(...formatTable(rows).map((l) => `  ${l}`));
  return lines;
}
