import { memo } from 'react';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { describePlan } from '../../../../shared/plan/plan-words';

/** The plan in sentences, as the CLI prints them ("1,594 people will lose access (deactivate)"). */
export const PlanWordsList = memo(function PlanWordsList({
  info,
  label,
}: {
  info: PlanInfo;
  label: string;
}) {
  const s = info.summary;
  const lines = describePlan({
    mode: info.mode,
    counts: info.counts,
    memberships: s.memberships,
    protect: s.protect,
    safeguards: s.safeguards,
  });
  return (
    <ul className="plan-words" aria-label={label} data-testid="plan-words">
      {lines.map((l) => (
        <li key={l.key} className={`tone-${l.tone}`} data-kind={l.key}>
          {l.text}
        </li>
      ))}
    </ul>
  );
});
