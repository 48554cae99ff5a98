import { JobProgressBar } from '../../components/job-progress-bar';

type ExportProgressProps = { jobId: string; file: string; onCancel: () => void };

/** Progress of the running export: phase, count of total, and Cancel. */
export function ExportProgress({ jobId, file, onCancel }: ExportProgressProps) {
  return (
    <section className="card export-progress" aria-labelledby="export-progress-heading">
      <h2 id="export-progress-heading">Exporting…</h2>
      <p className="muted">
        To <code>{file}</code>
      </p>
      <JobProgressBar jobId={jobId} label="Export progress" />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
