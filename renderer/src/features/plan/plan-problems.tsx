import { memo } from 'react';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import type { ProblemFix } from '../../../../shared/problems/group';
import { GroupedProblems } from '../../components/grouped-problems';

export type FixProblem = (fix: ProblemFix, active: boolean) => void;

/** The plan's row problems grouped by cause, with the fix (e.g. add a status word and re-plan). */
export const PlanProblems = memo(function PlanProblems(props: {
  info: PlanInfo;
  onFix?: FixProblem | undefined;
}) {
  const grouped = props.info.summary.problemGroups;
  if (!grouped || grouped.groups.length === 0) return null;
  return (
    <section className="plan-problems" aria-labelledby="plan-problems-heading">
      <h3 id="plan-problems-heading">Problems by cause</h3>
      {props.onFix && <p className="hint">A fix changes the mapping and builds the plan again.</p>}
      <GroupedProblems
        title="Plan problems by cause"
        groups={grouped.groups}
        otherCount={grouped.otherCount}
        onFix={props.onFix}
      />
    </section>
  );
});
