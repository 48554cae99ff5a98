import { ConnectionPicker } from '../../components/connection-picker';
import { useJobsStore } from '../jobs/jobs-store';
import { ProductionNameField, useProductionName } from '../plan/confirm-target';
import { PlanFlow } from '../plan/plan-flow';
import { RunMonitor } from '../plan/run-monitor';
import { PlanProgress } from '../sweep/plan-progress';
import { useRunsStore } from './runs-store';

/** The action under the table: choose a server, follow a resume, preview an undo or a plan. */
export function RunsPanel() {
  const panel = useRunsStore((s) => s.panel);
  const runs = useRunsStore((s) => s.runs);
  const setConnection = useRunsStore((s) => s.setPanelConnection);
  const confirm = useRunsStore((s) => s.confirmChoice);
  const close = useRunsStore((s) => s.closePanel);
  const control = useJobsStore((s) => s.control);
  const finished = useJobsStore((s) =>
    panel.kind === 'resuming' ? s.finished[panel.jobId] : undefined,
  );

  switch (panel.kind) {
    case 'none':
      return null;
    case 'choose':
      return (
        <ChoosePanel
          key={`${panel.action}-${panel.runId}`}
          action={panel.action}
          runId={panel.runId}
          connectionId={panel.connectionId}
          onConnection={setConnection}
          onConfirm={(name) => {
            void confirm(name);
          }}
          onCancel={close}
        />
      );
    case 'resuming': {
      const run = runs.find((r) => r.id === panel.runId);
      return (
        <section className="card runs-panel" aria-label={`Resuming run ${panel.runId}`}>
          <h2>Resuming run {panel.runId}</h2>
          <RunMonitor
            jobId={panel.jobId}
            connectionId={panel.connectionId}
            planView={PlanFlow}
            onClose={close}
          />
          {finished && (
            <p role="status" data-testid="resume-outcome">
              Resume {finished.status === 'done' ? 'finished' : finished.status}
              {run ? `: the run is ${run.status}.` : '.'}
            </p>
          )}
        </section>
      );
    }
    case 'undo-planning':
      return (
        <PlanProgress
          jobId={panel.jobId}
          label="Writing the undo plan"
          onCancel={() => {
            void control(panel.jobId, 'cancel');
          }}
        />
      );
    case 'undo-plan':
      return (
        <section className="card runs-panel" aria-label={`Undo of run ${panel.runId}`}>
          <h2>Undo of run {panel.runId}</h2>
          {panel.notes.length > 0 && (
            <div className="card card-warning" data-testid="undo-notes">
              <p>
                <strong>Before you apply the undo</strong>
              </p>
              <ul>
                {panel.notes.map((n, i) => (
                  <li key={`${String(i)}-${n}`}>{n}</li>
                ))}
              </ul>
            </div>
          )}
          <PlanFlow planId={panel.planId} connectionId={panel.connectionId} onClose={close} />
        </section>
      );
    case 'plan':
      return (
        <section className="card runs-panel" aria-label="Saved plan">
          <h2>Saved plan</h2>
          <ConnectionPicker
            id="runs-plan-connection"
            value={panel.connectionId}
            onChange={setConnection}
            label="Server"
          />
          {panel.connectionId !== undefined && (
            <PlanFlow
              key={panel.connectionId}
              planId={panel.planId}
              connectionId={panel.connectionId}
              onClose={close}
            />
          )}
          <div className="actions">
            <button type="button" className="button ghost" onClick={close}>
              Close
            </button>
          </div>
        </section>
      );
  }
}

/**
 * Resume or undo: the server to use and, to resume on a production connection, its name typed
 * back (the same rule as Confirm). Making an undo plan only reads; its apply goes through Confirm.
 */
function ChoosePanel(props: {
  action: 'resume' | 'undo';
  runId: string;
  connectionId: string | undefined;
  onConnection: (id: string) => void;
  onConfirm: (confirmName: string | undefined) => void;
  onCancel: () => void;
}) {
  const resume = props.action === 'resume';
  const title = resume ? `Resume run ${props.runId}` : `Undo run ${props.runId}`;
  const prod = useProductionName(props.connectionId ?? '');
  const needsName = resume && prod.production;
  return (
    <section className="card runs-panel" aria-label={title}>
      <h2>{title}</h2>
      <p className="hint">
        {resume
          ? 'The run continues from its journal: rows already done are not sent again, and rows whose outcome was unknown are checked on the server first.'
          : 'SCIM Porter writes a plan that reverses this run (deletes what it created, restores what it changed, reactivates, re-creates what it deleted). You preview it before anything is sent.'}
      </p>
      <ConnectionPicker
        id="runs-connection"
        value={props.connectionId}
        onChange={props.onConnection}
        label="Server"
      />
      {needsName && prod.connection && (
        <ProductionNameField
          planId={props.runId}
          name={prod.connection.name}
          typed={prod.typed}
          ok={prod.ok}
          action="resume the run"
          onType={prod.setTyped}
        />
      )}
      <div className="actions">
        <button
          type="button"
          className={`button ${needsName ? 'danger' : 'primary'}`}
          disabled={props.connectionId === undefined || (resume && !prod.ok)}
          onClick={() => {
            props.onConfirm(needsName ? prod.typed.trim() : undefined);
          }}
        >
          {resume ? 'Resume run' : 'Make the undo plan'}
        </button>
        <button type="button" className="button ghost" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
