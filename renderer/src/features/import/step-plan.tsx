import { ErrorNotice } from '../../components/error-notice';
import { rateLine } from '../../components/job-rate';
import { useJobsStore } from '../jobs/jobs-store';
import { PlanFlow } from '../plan/plan-flow';
import { useImportStore } from './import-store';
import { StepHeading } from './step-heading';

/** Step 4: the plan being built (progress, cancel), then the plan flow for the result. */
export function StepPlan() {
  const plan = useImportStore((s) => s.plan);
  const connectionId = useImportStore((s) => s.connectionId);
  const goTo = useImportStore((s) => s.goTo);
  const startOver = useImportStore((s) => s.startOver);
  const spec = useImportStore((s) => s.spec);
  const addStatusWord = useImportStore((s) => s.addStatusWord);

  if (plan.status === 'done') {
    return (
      <section className="import-step" aria-labelledby="import-plan-heading">
        <StepHeading id="import-plan-heading">Plan</StepHeading>
        {connectionId ? (
          <PlanFlow
            planId={plan.planId}
            connectionId={connectionId}
            onClose={startOver}
            onFixProblem={
              spec?.active
                ? (fix, active) => {
                    addStatusWord(fix.word, active, true);
                  }
                : undefined
            }
          />
        ) : (
          <p className="empty-state">Choose a server on the first step to run this plan.</p>
        )}
      </section>
    );
  }

  return (
    <section className="import-step" aria-labelledby="import-plan-heading">
      <StepHeading id="import-plan-heading">Building the plan</StepHeading>
      {plan.status === 'failed' ? (
        <>
          <ErrorNotice error={plan.error} title="The plan could not be built" />
          <div className="form-actions">
            {spec && (
              <button
                type="button"
                className="button primary"
                onClick={() => {
                  goTo('mapping');
                }}
              >
                Back to the mapping
              </button>
            )}
          </div>
        </>
      ) : (
        <PlanProgress jobId={plan.status === 'running' ? plan.jobId : undefined} />
      )}
    </section>
  );
}

function PlanProgress({ jobId }: { jobId: string | undefined }) {
  const progress = useJobsStore((s) => (jobId ? s.progress[jobId] : undefined));
  const cancelPlan = useImportStore((s) => s.cancelPlan);
  const total = progress?.total;
  const done = progress?.done ?? 0;
  const rate = rateLine(progress, 'rows a second');
  return (
    <div className="import-progress">
      <p className="hint">
        SCIM Porter reads the server and works out what each row would change. Nothing is written to
        the server yet.
      </p>
      <progress
        aria-label="Planning progress"
        max={total ?? undefined}
        value={total ? Math.min(done, total) : undefined}
      />
      <p role="status" className="import-progress-text">
        {progress ? progress.phase : 'Starting…'}
        {progress && (
          <>
            {' '}
            — {done.toLocaleString()}
            {total !== undefined ? ` / ${total.toLocaleString()}` : ''}
          </>
        )}
      </p>
      {rate && <p className="muted job-rate">{rate}</p>}
      <button
        type="button"
        className="button"
        disabled={!jobId}
        onClick={() => {
          void cancelPlan();
        }}
      >
        Cancel planning
      </button>
    </div>
  );
}
