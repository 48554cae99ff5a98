import { EnvironmentBadge } from '../connections/environment-badge';
import type { RunView } from '../../../../shared/ipc/schemas/jobs';
import { passesText, rowsText, runSummary } from '../../../../shared/plan/run-summary';

const STATUS_TONE: Record<RunView['status'], string> = {
  running: 'badge-sandbox',
  paused: 'badge-warning',
  completed: 'badge-ok',
  'completed with failures': 'badge-warning',
  failed: 'badge-danger',
  cancelled: 'badge-warning',
  interrupted: 'badge-danger',
};

/** The passes after the rows, as the counts list names them. */
const PASS_LABEL: Record<string, string> = {
  groupsCreated: 'groups created',
  membersAdded: 'members added',
  membersRemoved: 'members removed',
  managersSet: 'managers set',
};

type RunsTableProps = {
  runs: RunView[];
  busy: boolean;
  onResume: (run: RunView) => void;
  onUndo: (run: RunView) => void;
  onSaveReport: (run: RunView) => void;
  onSaveFailed: (run: RunView) => void;
  /** Opens the run's log (every operation with the server's answer). */
  onOpenLog?: (run: RunView) => void;
};

/**
 * Resume is offered for resumable runs, and for every interrupted one: a run killed before its
 * first summary has no counts yet, so the engine cannot tell that work is left, but it is.
 */
function canResume(run: RunView): boolean {
  return run.activeJobId === undefined && (run.resumable || run.status === 'interrupted');
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Every run, newest first, with its per-action counts and what can be done with it. */
export function RunsTable({ runs, busy, ...on }: RunsTableProps) {
  return (
    <div className="runs-table-wrap">
      <table className="table runs-table" aria-label="Runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Target</th>
            <th scope="col">Mode</th>
            <th scope="col">Type</th>
            <th scope="col">Done / failed / pending</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const counts = Object.entries(run.counts);
            const failed = counts.some(([, c]) => c.failed > 0 || c.pending > 0);
            return (
              <tr key={run.id} data-run-id={run.id} aria-label={`Run ${run.id}`}>
                <td>
                  <time dateTime={run.startedAt}>{when(run.startedAt)}</time>
                  <div className="hint runs-id">{run.id}</div>
                </td>
                <td>
                  <span className={`badge ${STATUS_TONE[run.status]}`} data-testid="run-status">
                    {run.status}
                  </span>
                  {run.activeJobId !== undefined && <div className="hint">running now</div>}
                  {run.error && <div className="hint danger-text">{run.error.message}</div>}
                </td>
                <td className="runs-target">
                  {run.target.environment && (
                    <div>
                      <EnvironmentBadge of={run.target.environment} />
                    </div>
                  )}
                  {run.target.connection ?? run.target.baseUrl ?? '—'}
                  {run.target.connection !== undefined &&
                    run.target.baseUrl !== undefined &&
                    run.target.baseUrl !== run.target.connection && (
                      <div className="hint">{run.target.baseUrl}</div>
                    )}
                </td>
                <td>{run.mode}</td>
                <td>{run.resourceType}</td>
                <td>
                  {counts.length === 0 && (
                    <p className="hint">
                      {run.status === 'interrupted'
                        ? 'Not recorded: the run stopped before it could write its totals. Resume it to finish the work.'
                        : 'Nothing recorded yet.'}
                    </p>
                  )}
                  {counts.length > 0 && (
                    <p className="runs-summary" data-testid="run-summary">
                      {rowsText(runSummary(run))}
                      {run.passes && (
                        <>
                          <br />
                          Groups and managers: {passesText(runSummary(run))}
                        </>
                      )}
                    </p>
                  )}
                  <ul className="runs-counts" data-testid="run-counts">
                    {counts.map(([action, c]) => (
                      <li key={action}>
                        <span className="runs-action">{action}</span> {c.done} /{' '}
                        <span className={c.failed > 0 ? 'danger-text' : undefined}>{c.failed}</span>{' '}
                        / {c.pending}
                        {(c.unknown ?? 0) > 0 && ` (${String(c.unknown)} unknown)`}
                      </li>
                    ))}
                    {Object.entries(run.passes ?? {}).map(([pass, c]) => (
                      <li key={pass} data-testid="run-pass">
                        <span className="runs-action">{PASS_LABEL[pass] ?? pass}</span> {c.done} /{' '}
                        <span className={c.failed > 0 ? 'danger-text' : undefined}>{c.failed}</span>{' '}
                        / {c.pending}
                        {c.unknown > 0 && ` (${String(c.unknown)} unknown)`}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <div className="actions runs-actions">
                    {canResume(run) && (
                      <button
                        type="button"
                        className="button primary small"
                        disabled={busy}
                        onClick={() => {
                          on.onResume(run);
                        }}
                      >
                        Resume
                      </button>
                    )}
                    {on.onOpenLog && (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Open the log of run ${run.id}`}
                        onClick={() => {
                          on.onOpenLog?.(run);
                        }}
                      >
                        Run log
                      </button>
                    )}
                    {counts.length > 0 && (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => {
                          on.onSaveReport(run);
                        }}
                      >
                        Save report…
                      </button>
                    )}
                    {failed && (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => {
                          on.onSaveFailed(run);
                        }}
                      >
                        Save failed rows…
                      </button>
                    )}
                    {run.undoable && (
                      <button
                        type="button"
                        className="button danger small"
                        disabled={busy}
                        onClick={() => {
                          on.onUndo(run);
                        }}
                      >
                        Undo…
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
