import { useEffect, useState, type ComponentType } from 'react';
import type { JobFinished, JobProgress } from '../../../../shared/ipc/schemas/jobs';
import { client } from '../../api/client';
import { useJobsStore } from '../jobs/jobs-store';
import { Results } from './run-results';
import { Running } from './run-running';

/**
 * The view that takes an undo plan from preview to results: `PlanFlow`, passed in by whoever
 * shows the run (PlanFlow itself, the Runs panel), so this module does not import plan-flow.tsx,
 * which imports this one.
 */
type UndoPlanView = ComponentType<{ planId: string; connectionId: string }>;

/** Progress of a running apply job, then its results (report, failed rows, undo). */
export function RunMonitor(props: {
  jobId: string;
  connectionId: string;
  planView: UndoPlanView;
  onClose?: () => void;
}) {
  const PlanView = props.planView;
  const [jobId, setJobId] = useState(props.jobId);
  const [known, setKnown] = useState<{ progress?: JobProgress; finished?: JobFinished }>({});
  const [undo, setUndo] = useState<{ planId: string; notes: string[] }>();
  const live = useJobsStore((s) => s.progress[jobId]);
  const liveFinished = useJobsStore((s) => s.finished[jobId]);

  // A job started before this view mounted (Runs → Resume) may have progressed or finished.
  useEffect(() => {
    let alive = true;
    void client.invoke('jobs:list', {}).then((r) => {
      if (!alive || !r.ok) return;
      const job = r.value.find((j) => j.jobId === jobId);
      if (job) {
        setKnown({
          ...(job.progress ? { progress: job.progress } : {}),
          ...(job.finished ? { finished: job.finished } : {}),
        });
      }
    });
    return () => {
      alive = false;
    };
  }, [jobId]);

  const progress = live ?? known.progress;
  const finished = liveFinished ?? known.finished;

  if (undo) {
    return (
      <div className="undo-flow">
        <section className="undo-notes" aria-labelledby={`undo-${undo.planId}`}>
          <h2 id={`undo-${undo.planId}`}>Undo plan</h2>
          <p>
            This plan reverses the run. Review it like any plan, then apply it. Nothing has been
            changed yet.
          </p>
          {undo.notes.length > 0 && (
            <ul className="undo-note-list">
              {undo.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setUndo(undefined);
            }}
          >
            Back to the results
          </button>
        </section>
        <PlanView planId={undo.planId} connectionId={props.connectionId} />
      </div>
    );
  }
  if (!finished) return <Running jobId={jobId} progress={progress} />;
  return (
    <Results
      finished={finished}
      progress={progress}
      connectionId={props.connectionId}
      onContinue={(next) => {
        setKnown({});
        setJobId(next);
      }}
      onUndoPlan={setUndo}
      onClose={props.onClose}
    />
  );
}
