import { useJobsStore } from '../jobs/jobs-store';

type PlanProgressProps = { jobId: string; label: string; onCancel: () => void };

/** Progress of a plan-making job (sweep preview, undo plan). */
export function PlanProgress({ jobId, label, onCancel }: PlanProgressProps) {
  const progress = useJobsStore((s) => s.progress[jobId]);
  const done = progress?.done ?? 0;
  const total = progress?.total;
  return (
    <section className="card" aria-labelledby={`plan-progress-${jobId}`}>
      <h3 id={`plan-progress-${jobId}`}>{label}</h3>
      <progress
        aria-label={label}
        className="sweep-progress"
        max={total ?? undefined}
        value={total !== undefined ? Math.min(done, total) : undefined}
      />
      <p role="status">
        {progress?.phase ?? 'Starting'}
        {done > 0 ? `: ${done}${total !== undefined ? ` of ${total}` : ''}` : '…'}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
