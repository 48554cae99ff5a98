import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { CanaryAccount, CanaryEvidence } from '../../../../shared/ipc/schemas/canary';
import {
  attributeText,
  canaryHeading,
  outcomeWord,
  stateText,
} from '../../../../shared/plan/canary-words';
import { KIND_LABELS } from '../../../../shared/plan/plan-words';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';

function kindWord(kind: string): string {
  return kind in KIND_LABELS ? KIND_LABELS[kind as keyof typeof KIND_LABELS] : kind;
}

function AccountRow(props: { a: CanaryAccount; onOpen: (op: string) => void }) {
  const { a } = props;
  const attrs = a.after.state === 'present' ? a.after.attributes : [];
  const differs = attrs.some((x) => x.now !== x.planned);
  return (
    <tr data-testid="canary-account" data-op={a.op}>
      <th scope="row">
        <button
          type="button"
          className="link-button"
          aria-label={`${a.display}: open in the run log`}
          onClick={() => {
            props.onOpen(a.op);
          }}
        >
          {a.display}
        </button>
        {a.after.state === 'present' && a.after.displayName && (
          <span className="muted small"> {a.after.displayName}</span>
        )}
      </th>
      <td>{kindWord(a.kind)}</td>
      <td className={a.outcome === 'ok' ? '' : 'danger-text'}>{outcomeWord(a.outcome)}</td>
      <td className="canary-after" data-testid="canary-after">
        <span className={a.after.state === 'present' ? '' : 'danger-text'}>{stateText(a)}</span>
        {attrs.length > 0 && (
          <ul className={differs ? 'canary-attrs differs' : 'canary-attrs'}>
            {attrs.map((x) => (
              <li key={x.path} title={x.path} className={x.now === x.planned ? '' : 'danger-text'}>
                {attributeText(x)}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/**
 * The accounts a canary changed, each read back from the server after it (`runs:canary`): who,
 * what kind, the outcome and the server's state now; each opens its operation in the run log.
 */
export function CanaryEvidenceList(props: {
  runId: string;
  connectionId: string;
  onOpen: (op: string) => void;
}) {
  const { runId, connectionId } = props;
  const [evidence, setEvidence] = useState<CanaryEvidence>();
  const [error, setError] = useState<ErrorPayload>();
  useEffect(() => {
    let live = true;
    void client.invoke('runs:canary', { runId, connectionId }).then((r) => {
      if (!live) return;
      if (r.ok) setEvidence(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [runId, connectionId]);
  if (error) return <ErrorNotice error={error} title="Could not read the changed accounts back" />;
  if (!evidence) {
    return (
      <p role="status" className="muted">
        Reading the changed accounts back from the server…
      </p>
    );
  }
  return (
    <table className="run-counts canary-accounts" aria-label="Accounts the canary changed">
      <caption>{canaryHeading(evidence)}</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Change</th>
          <th scope="col">Outcome</th>
          <th scope="col">On the server now</th>
        </tr>
      </thead>
      <tbody>
        {evidence.accounts.map((a) => (
          <AccountRow key={a.op} a={a} onOpen={props.onOpen} />
        ))}
      </tbody>
    </table>
  );
}
