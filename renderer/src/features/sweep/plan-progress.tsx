import { JobProgressBar } from '../../components/job-progress-bar';

type PlanProgressProps = { jobId: string; label: string; onCancel: () => void };

/** Progress of a plan-making job (sweep preview, undo plan). */
export function PlanProgress({ jobId, label, onCancel }: PlanProgressProps) {
  return (
    <section className="card" aria-labelledby={`plan-progress-${jobId}`}>
      <h3 id={`plan-progress-${jobId}`}>{label}</h3>
      <JobProgressBar jobId={jobId} label={label} className="sweep-progress" />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
