import { useJobsStore } from '../features/jobs/jobs-store';
import { rateLine } from './job-rate';

type JobProgressBarProps = {
  jobId: string;
  /** Accessible name of the bar, e.g. "Export progress". */
  label: string;
  className?: string;
};

/** A background job's bar and status line ("Reading Users: 1,200 of 5,000"), from its events. */
export function JobProgressBar({ jobId, label, className }: JobProgressBarProps) {
  const progress = useJobsStore((s) => s.progress[jobId]);
  const done = progress?.done ?? 0;
  const total = progress?.total;
  const rate = rateLine(progress);
  return (
    <>
      <progress
        aria-label={label}
        className={className}
        max={total ?? undefined}
        value={total !== undefined ? Math.min(done, total) : undefined}
      />
      <p role="status">
        {progress?.phase ?? 'Starting'}
        {done > 0
          ? `: ${done.toLocaleString()}${total !== undefined ? ` of ${total.toLocaleString()}` : ''}`
          : '…'}
      </p>
      {rate && <p className="muted job-rate">{rate}</p>}
    </>
  );
}
