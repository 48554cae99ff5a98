/** Parts of the Confirm step: what cannot be undone, the typed count, the canary. */
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import type { SafeguardStatus } from '../../../../shared/plan/plan-format';
import { overrideText, plural } from '../../../../shared/plan/plan-words';

/** What cannot simply be undone, per kind the plan has. */
export function Irreversible({ counts: c }: { counts: PlanInfo['counts'] }) {
  return (
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
            Reactivated accounts can sign in again as soon as the run reaches them; “Undo this run”
            deactivates them again.
          </li>
        )}
        {c.update > 0 && (
          <li>Updates overwrite the old values; undo restores the values recorded by the run.</li>
        )}
        {c.create > 0 && <li>Created accounts can be removed again with undo.</li>}
      </ul>
    </div>
  );
}

/** The safeguard's reasons and the field where the admin types the count back. */
export function OverrideField(props: {
  planId: string;
  status: SafeguardStatus;
  typed: string;
  typedOk: boolean;
  onType: (text: string) => void;
}) {
  const { planId, status, typed, typedOk, onType } = props;
  return (
    <div className="safeguard-blocked" role="alert">
      <p className="safeguard-title">A safeguard blocks this plan</p>
      <ul>
        {status.checks
          .filter((k) => k.exceeded && k.blocks)
          .map((k) => (
            <li key={k.kind}>{k.reason}</li>
          ))}
      </ul>
      <div className="field">
        <label htmlFor={`override-${planId}`}>Type the number of accounts to confirm</label>
        <input
          id={`override-${planId}`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          aria-describedby={`override-hint-${planId}`}
          aria-invalid={typed !== '' && !typedOk}
          onChange={(e) => {
            onType(e.target.value);
          }}
        />
        <p id={`override-hint-${planId}`} className="hint">
          {overrideText(status)} Type {status.overrideCount} to run it anyway.
        </p>
      </div>
    </div>
  );
}

/** Stop after the first N changing rows so the admin can check the server. */
export function CanaryField(props: {
  planId: string;
  on: boolean;
  size: string;
  ok: boolean;
  onToggle: (on: boolean) => void;
  onSize: (size: string) => void;
}) {
  const { planId, on, size, ok, onToggle, onSize } = props;
  return (
    <fieldset className="canary">
      <legend>Canary</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            onToggle(e.target.checked);
          }}
        />
        Stop after the first changes (canary)
      </label>
      <div className="field">
        <label htmlFor={`canary-${planId}`}>Canary size</label>
        <input
          id={`canary-${planId}`}
          type="number"
          min={1}
          step={1}
          value={size}
          disabled={!on}
          aria-invalid={!ok}
          onChange={(e) => {
            onSize(e.target.value);
          }}
        />
        <p className="hint">
          The run stops after this many changing rows so you can check the server, then continues
          when you say so.
        </p>
      </div>
    </fieldset>
  );
}
