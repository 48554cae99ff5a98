import { useState } from 'react';
import { productionNameMatches } from '../../../../shared/connections/environment';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';
import { ConfirmEvidence } from './confirm-evidence';
import { CanaryField, Irreversible, OverrideField } from './confirm-parts';
import {
  ConfirmTarget,
  isProduction,
  ProductionNameField,
  useConfirmConnection,
} from './confirm-target';
import { PlanWordsList } from './plan-words-list';

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
  const connection = useConfirmConnection(connectionId);
  const production = isProduction(connection);
  const [typedName, setTypedName] = useState('');
  const nameOk = !production || productionNameMatches(connection?.name ?? '', typedName);

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
      ...(production ? { confirmName: typedName.trim() } : {}),
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
      <ConfirmTarget info={info} connectionId={connectionId} connection={connection} />
      {info.edited && (
        <p className="plan-edited" role="alert">
          {info.edited}
        </p>
      )}
      <PlanWordsList info={info} label="What applying the plan does" />

      <ConfirmEvidence info={info} />
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

      {production && connection && (
        <ProductionNameField
          planId={info.planId}
          name={connection.name}
          typed={typedName}
          ok={nameOk}
          onType={setTypedName}
        />
      )}

      {error && <ErrorNotice error={error} title="The run did not start" />}

      <div className="form-actions">
        <button
          type="button"
          className={`button ${c.delete > 0 || blocked || production ? 'danger' : 'primary'}`}
          disabled={
            !typedOk ||
            !nameOk ||
            !canaryOk ||
            busy ||
            connection === undefined ||
            info.edited !== undefined
          }
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
