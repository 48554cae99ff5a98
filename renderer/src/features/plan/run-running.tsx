import { useState } from 'react';
import type { JobProgress } from '../../../../shared/ipc/schemas/jobs';
import { useJobsStore } from '../jobs/jobs-store';
import { formatNumber } from '../../../../shared/plan/plan-words';
import { formatDuration } from './plan-text';
import { RecentErrors } from './recent-errors';
import { CountsTable } from './run-counts';

/** A run in progress: bar, phase, speed, time left, failures, pause/resume/cancel. */
export function Running({ jobId, progress }: { jobId: string; progress: JobProgress | undefined }) {
  const control = useJobsStore((s) => s.control);
  const [cancelling, setCancelling] = useState(false);
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const paused = progress?.paused === true;
  return (
    <section className="plan-step" aria-labelledby={`run-${jobId}`}>
      <h2 id={`run-${jobId}`}>Running</h2>
      <p className="run-phase" role="status">
        {paused ? 'Paused. ' : ''}
        {progress?.phase ?? 'Starting: progress is reported after each batch of up to 100 rows…'}
      </p>
      <div
        className="run-progress"
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={total || 100}
        aria-valuenow={total > 0 ? done : 0}
        aria-valuetext={total > 0 ? `${done} of ${total} rows (${percent} %)` : 'Starting'}
      >
        <span className="run-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <dl className="facts run-facts">
        <dt>Rows</dt>
        <dd>
          {formatNumber(done)} of {formatNumber(total)} ({percent} %)
        </dd>
        <dt>Speed</dt>
        <dd>
          {progress?.opsPerSecond !== undefined ? `${progress.opsPerSecond.toFixed(1)} ops/s` : '—'}
        </dd>
        <dt>Time left</dt>
        <dd>{progress?.etaSeconds !== undefined ? formatDuration(progress.etaSeconds) : '—'}</dd>
        <dt>Failed</dt>
        <dd className={(progress?.failed ?? 0) > 0 ? 'danger-text' : ''}>
          {formatNumber(progress?.failed ?? 0)}
          {(progress?.failed ?? 0) > 0 && ' — every reason is also in the report'}
        </dd>
      </dl>
      {progress?.byAction && <CountsTable counts={progress.byAction} caption="Progress by kind" />}
      <RecentErrors errors={progress?.recentErrors} total={progress?.failed ?? 0} />
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
    </section>
  );
}
