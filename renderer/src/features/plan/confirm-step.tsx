import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';
import { MODE_LABELS, overrideText, plural } from '../../../../shared/plan/plan-words';
import { PlanWordsList } from './plan-words-list';

type Connection = { name: string; baseUrl: string };

/** Step 2: where, what, what cannot be undone; the safeguard count; optional canary. */
export function ConfirmStep(props: {
  info: PlanInfo;
  connectionId: string;
  onBack: () => void;
  onStarted: (jobId: string) => void;
}) {
  const { info, connectionId } = props;
  const c = info.counts;
  const safeguards = info.summary.safeguards;
  const blocked = safeguards.blocked;
  const [connection, setConnection] = useState<Connection>();
  const [typed, setTyped] = useState('');
  const [canary, setCanary] = useState(false);
  const [canarySize, setCanarySize] = useState('10');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();

  useEffect(() => {
    let live = true;
    void client.invoke('connections:list', {}).then((r) => {
      if (!live || !r.ok) return;
      const found = r.value.find((p) => p.id === connectionId);
      if (found) setConnection({ name: found.name, baseUrl: found.baseUrl });
    });
    return () => {
      live = false;
    };
  }, [connectionId]);

  const typedOk = !blocked || typed.trim() === String(safeguards.overrideCount);
  const size = Number(canarySize);
  const canaryOk = !canary || (Number.isInteger(size) && size >= 1);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const result = await client.invoke('apply:start', {
      planId: info.planId,
      connectionId,
      ...(canary ? { canary: size } : {}),
      ...(blocked ? { overrideSafeguards: safeguards.overrideCount } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    props.onStarted(result.value.jobId);
  };

  const planUrl = info.target.baseUrl;
  const mismatch =
    connection !== undefined &&
    planUrl !== undefined &&
    planUrl.replace(/\/+$/, '') !== connection.baseUrl.replace(/\/+$/, '');

  return (
    <section className="plan-step" aria-labelledby={`plan-confirm-${info.planId}`}>
      <h2 id={`plan-confirm-${info.planId}`}>Confirm</h2>
      <p className="plan-lead">
        You are about to write to{' '}
        <strong>
          {connection ? `${connection.name} (${connection.baseUrl})` : (planUrl ?? connectionId)}
        </strong>
        . Mode: {MODE_LABELS[info.mode]}.
      </p>
      {mismatch && (
        <p className="warning-text" role="note">
          This plan was made against {planUrl}, not this connection’s server. The rows were matched
          against that server’s accounts.
        </p>
      )}
      <PlanWordsList info={info} label="What applying the plan does" />

      <div className="irreversible">
        <h3>What cannot simply be undone</h3>
        <ul>
          {c.delete > 0 && (
            <li className="danger-text">
              Deleting {plural(c.delete, 'account')} cannot be undone. “Undo this run” can only
              re-create them as new accounts with new ids: links to them in other systems, their
              passwords and anything the server does not return are lost.
            </li>
          )}
          {c.deactivate > 0 && (
            <li>
              Deactivated accounts can be reactivated with “Undo this run”, but{' '}
              {c.deactivate === 1
                ? 'the person loses'
                : `the ${plural(c.deactivate, 'person', 'people')} lose`}{' '}
              access as soon as the run reaches them.
            </li>
          )}
          {c.reactivate > 0 && (
            <li>
              Reactivated accounts can sign in again as soon as the run reaches them; “Undo this
              run” deactivates them again.
            </li>
          )}
          {c.update > 0 && (
            <li>Updates overwrite the old values; undo restores the values recorded by the run.</li>
          )}
          {c.create > 0 && <li>Created accounts can be removed again with undo.</li>}
        </ul>
      </div>

      {blocked && (
        <div className="safeguard-blocked" role="alert">
          <p className="safeguard-title">A safeguard blocks this plan</p>
          <ul>
            {safeguards.checks
              .filter((k) => k.exceeded && k.blocks)
              .map((k) => (
                <li key={k.kind}>{k.reason}</li>
              ))}
          </ul>
          <div className="field">
            <label htmlFor={`override-${info.planId}`}>
              Type the number of accounts to confirm
            </label>
            <input
              id={`override-${info.planId}`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={typed}
              aria-describedby={`override-hint-${info.planId}`}
              aria-invalid={typed !== '' && !typedOk}
              onChange={(e) => {
                setTyped(e.target.value);
              }}
            />
            <p id={`override-hint-${info.planId}`} className="hint">
              {overrideText(safeguards)} Type {safeguards.overrideCount} to run it anyway.
            </p>
          </div>
        </div>
      )}

      <fieldset className="canary">
        <legend>Canary</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={canary}
            onChange={(e) => {
              setCanary(e.target.checked);
            }}
          />
          Stop after the first changes (canary)
        </label>
        <div className="field">
          <label htmlFor={`canary-${info.planId}`}>Canary size</label>
          <input
            id={`canary-${info.planId}`}
            type="number"
            min={1}
            step={1}
            value={canarySize}
            disabled={!canary}
            aria-invalid={!canaryOk}
            onChange={(e) => {
              setCanarySize(e.target.value);
            }}
          />
          <p className="hint">
            The run stops after this many changing rows so you can check the server, then continues
            when you say so.
          </p>
        </div>
      </fieldset>

      {error && <ErrorNotice error={error} title="The run did not start" />}

      <div className="form-actions">
        <button
          type="button"
          className={`button ${c.delete > 0 || blocked ? 'danger' : 'primary'}`}
          disabled={!typedOk || !canaryOk || busy || info.edited !== undefined}
          aria-busy={busy}
          onClick={() => {
            void start();
          }}
        >
          Apply to server
        </button>
        <button type="button" className="button" onClick={props.onBack} disabled={busy}>
          Back to preview
        </button>
      </div>
    </section>
  );
}
