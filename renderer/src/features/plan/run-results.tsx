import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { JobFinished, JobProgress, RunView } from '../../../../shared/ipc/schemas/jobs';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';
import { useJobsStore, whenFinished } from '../jobs/jobs-store';
import { formatNumber, plural } from '../../../../shared/plan/plan-words';
import { RunLog } from '../run-log/run-log';
import { CanaryEvidenceList } from './canary-evidence';
import { ProductionNameField, useProductionName } from './confirm-target';
import { RecentErrors } from './recent-errors';
import { CountsTable, type Counts } from './run-counts';
import { isClean, passesText, rowsText, runSummary } from '../../../../shared/plan/run-summary';

type Saved = { kind: 'report' | 'failed'; path: string; rows?: number | undefined };

/** A finished run: outcome, counts, failures, report and failed rows, continue, undo. */
export function Results(props: {
  finished: JobFinished;
  progress: JobProgress | undefined;
  connectionId: string;
  onContinue: (jobId: string) => void;
  onUndoPlan: (undo: { planId: string; notes: string[] }) => void;
  onClose?: (() => void) | undefined;
}) {
  const { finished, connectionId } = props;
  const outcome = finished.outcome ?? {};
  const runId = outcome.runId;
  const [run, setRun] = useState<RunView>();
  const [saved, setSaved] = useState<Saved[]>([]);
  const [error, setError] = useState<{ title: string; error: ErrorPayload }>();
  const [busy, setBusy] = useState<string>();
  const [undoJobId, setUndoJobId] = useState<string>();
  const undoProgress = useJobsStore((s) => (undoJobId ? s.progress[undoJobId] : undefined));
  const [logOpen, setLogOpen] = useState(false);
  /** The operation the run log opens on (an account of the canary's list). */
  const [logOp, setLogOp] = useState<string>();
  const prodName = useProductionName(connectionId);

  useEffect(() => {
    if (!runId) return;
    let live = true;
    void client.invoke('runs:list', {}).then((r) => {
      if (live && r.ok) setRun(r.value.find((x) => x.id === runId));
    });
    return () => {
      live = false;
    };
  }, [runId]);

  const failed = outcome.failed ?? 0;
  const unknown = outcome.unknown ?? 0;
  let sentence: string;
  if (finished.status === 'cancelled') {
    sentence = 'The run was cancelled. What was done stays done; you can resume it from Runs.';
  } else if (finished.status === 'failed') {
    sentence = 'The run stopped because of an error.';
  } else if (outcome.stoppedForCanary) {
    sentence =
      'The canary finished: the run stopped after the first changes so you can check the server.';
  } else if (run && !isClean(runSummary(run))) {
    const s = runSummary(run);
    const problems = [
      s.failed > 0 ? `${plural(s.failed, 'row')} failed` : '',
      s.unknown > 0 ? `${plural(s.unknown, 'row')} with an unknown outcome` : '',
      s.notSent > 0 ? `${plural(s.notSent, 'row')} not sent` : '',
      s.passes.failed > 0 ? `${plural(s.passes.failed, 'group or manager change')} failed` : '',
      s.passes.unknown + s.passes.notSent > 0
        ? `${plural(s.passes.unknown + s.passes.notSent, 'group or manager change')} not confirmed`
        : '',
    ].filter(Boolean);
    sentence = `The run finished with problems: ${problems.join(', ')}. The run log lists each one with the server's answer.`;
  } else if (failed > 0 || unknown > 0) {
    sentence = `The run finished, but ${plural(failed, 'row')} failed${unknown > 0 ? ` and ${plural(unknown, 'row')} ${unknown === 1 ? 'has' : 'have'} an unknown outcome` : ''}.`;
  } else {
    sentence = 'The run finished: every planned change was applied.';
  }

  const save = async (kind: 'report' | 'failed'): Promise<void> => {
    if (!runId) return;
    setError(undefined);
    setBusy(kind);
    try {
      const picked = await client.invoke('dialog:save', {
        purpose: kind === 'report' ? 'report' : 'failed-rows',
        defaultName: kind === 'report' ? `report-${runId}.csv` : `failed-rows-${runId}.csv`,
      });
      if (!picked.ok) {
        setError({ title: 'Could not open the save dialog', error: picked.error });
        return;
      }
      const path = picked.value.path;
      if (path === null) return;
      const result = await client.invoke(
        kind === 'report' ? 'runs:save-report' : 'runs:save-failed',
        {
          runId,
          path,
        },
      );
      if (!result.ok) {
        setError({
          title: kind === 'report' ? 'Could not save the report' : 'Could not save the failed rows',
          error: result.error,
        });
        return;
      }
      setSaved((list) => [
        ...list.filter((s) => s.kind !== kind),
        { kind, path: result.value.path, rows: result.value.rows },
      ]);
    } finally {
      setBusy(undefined);
    }
  };

  const resume = async (): Promise<void> => {
    if (!runId) return;
    setError(undefined);
    setBusy('continue');
    const r = await client.invoke('runs:resume', { runId, connectionId, ...prodName.request });
    setBusy(undefined);
    if (!r.ok) {
      setError({ title: 'Could not continue the run', error: r.error });
      return;
    }
    props.onContinue(r.value.jobId);
  };

  const undo = async (): Promise<void> => {
    if (!runId) return;
    setError(undefined);
    setBusy('undo');
    const r = await client.invoke('runs:undo', { runId, connectionId });
    if (!r.ok) {
      setBusy(undefined);
      setError({ title: 'Could not make the undo plan', error: r.error });
      return;
    }
    setUndoJobId(r.value.jobId);
    const f = await whenFinished(r.value.jobId);
    setBusy(undefined);
    setUndoJobId(undefined);
    if (f.status !== 'done' || !f.outcome?.planId) {
      setError({
        title: 'Could not make the undo plan',
        error: f.error ?? {
          code: 'internal',
          message: `The undo job ended with status ${f.status}.`,
          nextStep: 'Try again, or undo the run from the command line.',
        },
      });
      return;
    }
    props.onUndoPlan({ planId: f.outcome.planId, notes: f.outcome.notes ?? [] });
  };

  const counts: Counts | undefined = run?.counts ?? props.progress?.byAction;
  const canUndo = runId !== undefined && (run === undefined || run.undoable);
  const summary = run ? runSummary(run) : undefined;
  const clean = failed === 0 && unknown === 0 && (summary === undefined || isClean(summary));

  if (logOpen && runId) {
    return (
      <RunLog
        runId={runId}
        {...(logOp !== undefined ? { focusOp: logOp } : {})}
        onClose={() => {
          setLogOpen(false);
          setLogOp(undefined);
        }}
      />
    );
  }

  return (
    <section className="plan-step" aria-labelledby={`results-${finished.jobId}`}>
      <h2 id={`results-${finished.jobId}`}>Results</h2>
      <p
        className={`run-status status-${finished.status} ${clean ? 'clean' : 'with-failures'}`}
        role="status"
      >
        {sentence}
      </p>
      {finished.error && <ErrorNotice error={finished.error} title="Why the run stopped" />}
      {outcome.stoppedForCanary && (
        <div className="canary-stop" role="note">
          <p>
            Check a few of the changed accounts on the server. If they look right, continue the run
            to apply the rest of the plan; otherwise leave it stopped (and undo it if needed).
          </p>
          {prodName.production && prodName.connection && runId && (
            <ProductionNameField
              planId={runId}
              name={prodName.connection.name}
              typed={prodName.typed}
              ok={prodName.ok}
              action="continue the run"
              onType={prodName.setTyped}
            />
          )}
          <button
            type="button"
            className={`button ${prodName.production ? 'danger' : 'primary'}`}
            disabled={busy !== undefined || !prodName.ok}
            onClick={() => {
              void resume();
            }}
          >
            Continue the run
          </button>
          {runId && (
            <CanaryEvidenceList
              runId={runId}
              connectionId={connectionId}
              onOpen={(op) => {
                setLogOp(op);
                setLogOpen(true);
              }}
            />
          )}
        </div>
      )}
      <dl className="facts">
        <dt>Failed</dt>
        <dd className={failed > 0 ? 'danger-text' : ''}>{formatNumber(failed)}</dd>
        <dt>Unknown outcome</dt>
        <dd>{formatNumber(unknown)}</dd>
        {summary && (
          <>
            <dt>Rows</dt>
            <dd data-testid="results-rows">{rowsText(summary)}</dd>
            <dt>Groups and managers</dt>
            <dd data-testid="results-passes">{passesText(summary)}</dd>
          </>
        )}
        {runId && (
          <>
            <dt>Run</dt>
            <dd>
              <code>{runId}</code>
            </dd>
          </>
        )}
      </dl>
      {counts && <CountsTable counts={counts} caption="Rows by kind" />}
      <RecentErrors errors={props.progress?.recentErrors} total={failed} />
      {outcome.warnings && outcome.warnings.length > 0 && (
        <ul className="plan-warnings">
          {outcome.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {error && <ErrorNotice error={error.error} title={error.title} />}
      {runId && (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              setLogOpen(true);
            }}
          >
            Open the run log
          </button>
          <button
            type="button"
            className="button"
            disabled={busy !== undefined}
            onClick={() => {
              void save('report');
            }}
          >
            Save report…
          </button>
          <button
            type="button"
            className="button"
            disabled={busy !== undefined}
            onClick={() => {
              void save('failed');
            }}
          >
            Save failed rows…
          </button>
          {canUndo && (
            <button
              type="button"
              className="button"
              disabled={busy !== undefined}
              aria-busy={busy === 'undo'}
              onClick={() => {
                void undo();
              }}
            >
              Undo this run
            </button>
          )}
          {props.onClose && (
            <button type="button" className="button ghost" onClick={props.onClose}>
              Close
            </button>
          )}
        </div>
      )}
      {busy === 'undo' && (
        <p role="status" className="muted">
          Making the undo plan… {undoProgress?.phase ?? ''}
        </p>
      )}
      {saved.length > 0 && (
        <ul className="saved-files" aria-label="Saved files">
          {saved.map((s) => (
            <li key={s.kind}>
              {s.kind === 'report' ? 'Report saved to ' : 'Failed rows saved to '}
              <code className="path">{s.path}</code>
              {s.kind === 'failed' && s.rows !== undefined && ` (${plural(s.rows, 'row')})`}{' '}
              <button
                type="button"
                className="button ghost small"
                aria-label={`Show ${s.kind === 'report' ? 'the report' : 'the failed rows'} in folder`}
                onClick={() => {
                  void client.invoke('shell:show-in-folder', { path: s.path }).then((r) => {
                    if (!r.ok) setError({ title: 'Could not show the file', error: r.error });
                  });
                }}
              >
                Show in folder
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
