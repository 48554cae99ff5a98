import { useState } from 'react';
import type { JobProgress } from '../../../../shared/ipc/schemas/jobs';
import { useJobsStore } from '../jobs/jobs-store';
import { formatNumber } from '../../../../shared/plan/plan-words';
import { RecentErrors } from './recent-errors';
import { RunChart } from './run-chart';
import { CountsTable } from './run-counts';
import { PassesTable } from './run-passes';
import { chartSeries, overall, passRows, rateText, runState, timeLeft } from './run-view-model';
import { useRunSamples } from './use-run-samples';

function RunControls({ jobId, paused }: { jobId: string; paused: boolean }) {
  const control = useJobsStore((s) => s.control);
  const [cancelling, setCancelling] = useState(false);
  return (
    <div className="form-actions">
      {paused ? (
        <button
          type="button"
          className="button primary"
          onClick={() => {
            void control(jobId, 'resume');
          }}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => {
            void control(jobId, 'pause');
          }}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="button danger"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          void control(jobId, 'cancel');
        }}
      >
        Cancel run
      </button>
    </div>
  );
}

/** A run in progress: state, bar, counts per pass, rate, chart, time left, failures, controls. */
export function Running({ jobId, progress }: { jobId: string; progress: JobProgress | undefined }) {
  const { samples, nowMs } = useRunSamples(jobId);
  const state = runState(progress, nowMs);
  const { finished, total } = overall(progress);
  const percent = total > 0 ? Math.min(100, Math.round((finished / total) * 100)) : 0;
  const failed = passRows(progress).reduce((n, r) => n + r.failed, 0) || (progress?.failed ?? 0);
  return (
    <section className="plan-step" aria-labelledby={`run-${jobId}`}>
      <h2 id={`run-${jobId}`}>Running</h2>
      <p
        className={`run-phase run-state state-${state.kind}`}
        role="status"
        data-state={state.kind}
      >
        {state.text}
      </p>
      <div
        className="run-progress"
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={total || 100}
        aria-valuenow={total > 0 ? finished : 0}
        aria-valuetext={
          total > 0 ? `${finished} of ${total} operations (${percent} %)` : 'Starting'
        }
      >
        <span className="run-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <dl className="facts run-facts">
        <dt>Operations</dt>
        <dd>
          {formatNumber(finished)} of {formatNumber(total)} ({percent} %)
        </dd>
        <dt>Rate now</dt>
        <dd className="run-rate">{rateText(progress, samples, nowMs)}</dd>
        <dt>Time left</dt>
        <dd className="run-eta">{timeLeft(progress, samples, nowMs)}</dd>
        <dt>Failed</dt>
        <dd className={failed > 0 ? 'danger-text' : ''}>
          {formatNumber(failed)}
          {failed > 0 && ' — every reason is also in the report and the run log'}
        </dd>
      </dl>
      <PassesTable rows={passRows(progress)} caption="Progress by pass" />
      <RunChart points={chartSeries(samples, nowMs)} />
      {progress?.byAction && <CountsTable counts={progress.byAction} caption="Rows by kind" />}
      <RecentErrors errors={progress?.recentErrors} total={failed} />
      <RunControls jobId={jobId} paused={progress?.paused === true} />
    </section>
  );
}
