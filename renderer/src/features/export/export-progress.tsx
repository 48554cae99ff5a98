import { useJobsStore } from '../jobs/jobs-store';

type ExportProgressProps = { jobId: string; file: string; onCancel: () => void };

/** Progress of the running export: phase, count of total, and Cancel. */
export function ExportProgress({ jobId, file, onCancel }: ExportProgressProps) {
  const progress = useJobsStore((s) => s.progress[jobId]);
  const done = progress?.done ?? 0;
  const total = progress?.total;
  return (
    <section className="card export-progress" aria-labelledby="export-progress-heading">
      <h2 id="export-progress-heading">Exporting…</h2>
      <p className="muted">
        To <code>{file}</code>
      </p>
      <progress
        aria-label="Export progress"
        max={total ?? undefined}
        value={total !== undefined ? Math.min(done, total) : undefined}
      />
      <p role="status">
        {progress?.phase ?? 'Starting'}: {done}
        {total !== undefined ? ` of ${total}` : ''}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
