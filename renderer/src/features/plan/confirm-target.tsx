import { useEffect, useState } from 'react';
import { environmentOf, productionNameMatches } from '../../../../shared/connections/environment';
import type { ConnectionSummary } from '../../../../shared/connections/profile';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { MODE_LABELS } from '../../../../shared/plan/plan-words';
import { client } from '../../api/client';
import { EnvironmentBadge } from '../connections/environment-badge';

/** The saved connection a run will write to (undefined until the list has been read). */
export function useConfirmConnection(connectionId: string): ConnectionSummary | undefined {
  const [connection, setConnection] = useState<ConnectionSummary>();
  useEffect(() => {
    let live = true;
    void client.invoke('connections:list', {}).then((r) => {
      if (!live || !r.ok) return;
      setConnection(r.value.find((p) => p.id === connectionId));
    });
    return () => {
      live = false;
    };
  }, [connectionId]);
  return connection;
}

/** Where the run writes (the connection chosen, with its environment), and a mismatch note. */
export function ConfirmTarget(props: {
  info: PlanInfo;
  connectionId: string;
  connection: ConnectionSummary | undefined;
}) {
  const { info, connectionId, connection } = props;
  const planUrl = info.target.baseUrl;
  const mismatch =
    connection !== undefined &&
    planUrl !== undefined &&
    planUrl.replace(/\/+$/, '') !== connection.baseUrl.replace(/\/+$/, '');
  return (
    <>
      {connection && (
        <p className="confirm-environment">
          <EnvironmentBadge of={connection} name={connection.name} />
        </p>
      )}
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

/** True when the connection is labelled production (its name must be typed back). */
export function isProduction(connection: ConnectionSummary | undefined): boolean {
  return connection !== undefined && environmentOf(connection).label === 'production';
}

/**
 * The typed name a write to a production connection needs (Confirm, Continue the run, Resume):
 * whether the connection is production, what was typed, whether it matches, and the request field.
 */
export function useProductionName(connectionId: string) {
  const connection = useConfirmConnection(connectionId);
  const [typed, setTyped] = useState('');
  const production = isProduction(connection);
  const ok = !production || productionNameMatches(connection?.name ?? '', typed);
  return {
    connection,
    production,
    typed,
    setTyped,
    ok,
    /** What to add to `apply:start` / `runs:resume`. */
    request: production ? { confirmName: typed.trim() } : {},
  };
}

/** The field where the admin types a production connection's name before Apply is enabled. */
export function ProductionNameField(props: {
  planId: string;
  name: string;
  typed: string;
  ok: boolean;
  /** What the name enables, e.g. "continue the run"; default: Apply. */
  action?: string;
  onType: (text: string) => void;
}) {
  const id = `production-name-${props.planId}`;
  return (
    <div className="production-confirm" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="safeguard-title">
        This is a production connection
      </p>
      <div className="field">
        <label htmlFor={id}>
          Type the connection name, <strong>{props.name}</strong>, to{' '}
          {props.action ?? 'enable Apply'}
        </label>
        <input
          id={id}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={props.typed}
          aria-invalid={props.typed !== '' && !props.ok ? true : undefined}
          onChange={(e) => {
            props.onType(e.target.value);
          }}
        />
      </div>
    </div>
  );
}
