import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useConnectionsStore } from '../connections/connections-store';
import { useJobsStore } from '../jobs/jobs-store';
import { OpenPlanButton } from '../plan/open-plan-button';
import { RunLog } from '../run-log/run-log';
import { CleanupPanel } from './cleanup-panel';
import { useCleanupStore } from './cleanup-store';
import { filterRuns } from './run-filters';
import { RunsFilterBar } from './runs-filter-bar';
import { RunsPanel } from './runs-panel';
import { useRunsStore } from './runs-store';
import { RunsTable } from './runs-table';

/** The Runs screen: every run with its report; resume, undo, or open a saved plan. */
export function RunsPage() {
  const s = useRunsStore();
  const connections = useConnectionsStore((c) => c.connections);
  const connectionsLoaded = useConnectionsStore((c) => c.loaded);
  const loadConnections = useConnectionsStore((c) => c.load);
  const finishedCount = useJobsStore((j) => Object.keys(j.finished).length);
  const resumeFinished = useJobsStore((j) =>
    s.panel.kind === 'resuming' ? j.finished[s.panel.jobId] !== undefined : false,
  );
  const { load } = s;
  const [logRunId, setLogRunId] = useState<string>();
  const shown = filterRuns(s.runs, s.filters);
  const showCleanup = useCleanupStore((c) => c.show);

  useEffect(() => {
    if (!connectionsLoaded) void loadConnections();
  }, [connectionsLoaded, loadConnections]);

  // Load now, and again whenever a job of this session finishes (a run may have changed).
  useEffect(() => {
    void load();
  }, [load, finishedCount]);

  // Another action may replace the panel, except while its job is still running.
  const busy = s.panel.kind === 'undo-planning' || (s.panel.kind === 'resuming' && !resumeFinished);

  if (logRunId) {
    return (
      <div className="runs-page">
        <RunLog
          runId={logRunId}
          onClose={() => {
            setLogRunId(undefined);
          }}
        />
      </div>
    );
  }

  return (
    <div className="runs-page">
      <div className="pane-header">
        <h2 id="runs-heading">Runs</h2>
        <div className="actions">
          <OpenPlanButton
            onOpened={(planId) => {
              void s.openedPlan(planId, connections);
            }}
          />
          <button
            type="button"
            className="button"
            disabled={s.loading}
            onClick={() => {
              void load();
            }}
          >
            Refresh
          </button>
          <button type="button" className="button" onClick={showCleanup}>
            Clean up the data folder…
          </button>
        </div>
      </div>

      {s.loadError && <ErrorNotice error={s.loadError} title="Could not list the runs" />}
      {s.error && <ErrorNotice error={s.error} title="That did not work" />}
      {s.saved !== undefined && (
        <p className="card" role="status">
          {s.saved}
        </p>
      )}

      {!s.loaded && (
        <p className="muted" role="status">
          Loading runs…
        </p>
      )}
      {s.loaded && s.runs.length === 0 && !s.loadError && (
        <div className="empty-state">
          <p className="empty-title">No runs yet</p>
          <p>
            A run is made each time a plan is applied (Import or Sweep, or the CLI’s “apply”). Its
            report, its journal for resuming, and what undo needs are kept here.
          </p>
        </div>
      )}
      {s.runs.length > 0 && <RunsFilterBar shown={shown.length} total={s.runs.length} />}
      {s.runs.length > 0 && shown.length === 0 && (
        <p className="card" data-testid="runs-none-match">
          No run matches these filters.
        </p>
      )}
      {shown.length > 0 && (
        <RunsTable
          runs={shown}
          busy={busy}
          onResume={(run) => {
            s.choose('resume', run, connections);
          }}
          onUndo={(run) => {
            s.choose('undo', run, connections);
          }}
          onSaveReport={(run) => {
            void s.saveReport(run);
          }}
          onSaveFailed={(run) => {
            void s.saveFailed(run);
          }}
          onOpenLog={(run) => {
            setLogRunId(run.id);
          }}
        />
      )}
      <RunsPanel />
      <CleanupPanel />
    </div>
  );
}
