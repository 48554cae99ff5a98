import type { JobProgress } from '../../../../shared/ipc/schemas/jobs';

type RecentErrorsProps = { errors: JobProgress['recentErrors']; total: number };

/** The latest failed rows of a run, as they happen: who, what, and the server's answer. */
export function RecentErrors({ errors, total }: RecentErrorsProps) {
  if (!errors?.length) return null;
  return (
    <section className="recent-errors" aria-labelledby="recent-errors-title">
      <h4 id="recent-errors-title">
        {total > errors.length ? `Latest ${errors.length} of ${total} failures` : 'Failures'}
      </h4>
      <ul aria-label="Failed rows" aria-live="polite">
        {[...errors].reverse().map((e, i) => (
          <li key={`${e.display}-${String(i)}`} className="recent-error">
            <strong>{e.display}</strong> ({e.action}
            {e.row !== undefined ? `, CSV row ${String(e.row)}` : ''}):{' '}
            <span className="danger-text">{e.message}</span>
            {e.status !== undefined && (
              <span className="muted">
                {' '}
                — HTTP {e.status}
                {e.scimType ? `, ${e.scimType}` : ''}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
