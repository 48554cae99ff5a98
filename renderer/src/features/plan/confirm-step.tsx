import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';
import { MODE_LABELS } from '../../../../shared/plan/plan-words';
import { CanaryField, Irreversible, OverrideField } from './confirm-parts';
import { PlanWordsList } from './plan-words-list';

type Connection = { name: string; baseUrl: string };

/** Where the run writes (the connection chosen), and a note when the plan was made elsewhere. */
function ConfirmTarget({ info, connectionId }: { info: PlanInfo; connectionId: string }) {
  const [connection, setConnection] = useState<Connection>();
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

  const planUrl = info.target.baseUrl;
  const mismatch =
    connection !== undefined &&
    planUrl !== undefined &&
    planUrl.replace(/\/+$/, '') !== connection.baseUrl.replace(/\/+$/, '');
  return (
    <>
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
    </>
  );
}

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
  const [typed, setTyped] = useState('');
  const [canary, setCanary] = useState(false);
  const [canarySize, setCanarySize] = useState('10');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();

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

  return (
    <section className="plan-step" aria-labelledby={`plan-confirm-${info.planId}`}>
      <h2 id={`plan-confirm-${info.planId}`}>Confirm</h2>
      <ConfirmTarget info={info} connectionId={connectionId} />
      {info.edited && (
        <p className="plan-edited" role="alert">
          {info.edited}
        </p>
      )}
      <PlanWordsList info={info} label="What applying the plan does" />

      <Irreversible counts={c} />
      {blocked && (
        <OverrideField
          planId={info.planId}
          status={safeguards}
          typed={typed}
          typedOk={typedOk}
          onType={setTyped}
        />
      )}
      <CanaryField
        planId={info.planId}
        on={canary}
        size={canarySize}
        ok={canaryOk}
        onToggle={setCanary}
        onSize={setCanarySize}
      />

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
