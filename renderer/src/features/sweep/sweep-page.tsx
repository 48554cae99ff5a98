import { ConnectionPicker } from '../../components/connection-picker';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useJobsStore } from '../jobs/jobs-store';
import { PlanFlow } from '../plan/plan-flow';
import { ListPreview } from './list-preview';
import { ModePicker } from './mode-picker';
import { PlanProgress } from './plan-progress';
import { isUnlisted, matchOptions, useSweepStore } from './sweep-store';

/** The Sweep screen: a list, a mode, a preview, then the plan flow with its safeguards. */
export function SweepPage() {
  const s = useSweepStore();
  const control = useJobsStore((j) => j.control);
  const busy = s.phase.status !== 'idle';
  const options = matchOptions(s.inspection);
  const canPreview =
    !busy && s.connectionId !== undefined && s.inspection !== undefined && s.matchKey !== undefined;

  if (s.phase.status === 'plan' && s.connectionId !== undefined) {
    return (
      <div className="sweep-page">
        {s.phase.warnings.length > 0 && (
          <div className="card card-warning" role="status">
            <ul>
              {s.phase.warnings.map((w, i) => (
                <li key={`${String(i)}-${w}`}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <PlanFlow planId={s.phase.planId} connectionId={s.connectionId} onClose={s.close} />
      </div>
    );
  }

  return (
    <div className="sweep-page">
      <form
        className="card sweep-form"
        aria-label="Sweep settings"
        onSubmit={(e) => {
          e.preventDefault();
          void s.preview();
        }}
      >
        <p className="sweep-intro">
          A sweep takes a list of accounts (a CSV) and switches off or removes accounts on the
          server. Nothing changes until you have seen the preview and confirmed it.
        </p>
        <ModePicker mode={s.mode} onChange={s.setMode} disabled={busy} />
        <ConnectionPicker id="sweep-connection" value={s.connectionId} onChange={s.setConnection} />

        <div className="field">
          <span className="label">List file</span>
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={busy || s.inspecting}
              onClick={() => {
                void s.openList();
              }}
            >
              Open list…
            </button>
            {s.inspecting && <span role="status">Reading the list…</span>}
          </div>
          <p className="hint">
            A CSV with one account per row and a column that identifies it: userName, email,
            externalId or employee number.
          </p>
        </div>
        {s.listPath !== undefined && s.inspection && (
          <ListPreview
            path={s.listPath}
            inspection={s.inspection}
            options={options}
            matchKey={s.matchKey}
            onMatchKey={s.setMatchKey}
          />
        )}

        {isUnlisted(s.mode) && (
          <Field
            id="sweep-scope"
            label="Scope filter (optional)"
            hint='Only accounts matching this SCIM filter are swept, e.g. userType eq "Employee". Empty: every account on the server that is not in the list.'
          >
            {(p) => (
              <input
                {...p}
                type="text"
                spellCheck={false}
                value={s.scope}
                disabled={busy}
                onChange={(e) => {
                  s.setScope(e.target.value);
                }}
              />
            )}
          </Field>
        )}

        <div className="field">
          <span className="label">Protected accounts (optional)</span>
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                void s.chooseProtect();
              }}
            >
              Choose protected accounts…
            </button>
            {s.protectPath !== undefined && (
              <>
                <code data-testid="sweep-protect">{s.protectPath}</code>
                <button type="button" className="button ghost small" onClick={s.clearProtect}>
                  Remove
                </button>
              </>
            )}
          </div>
          <p className="hint">
            A text file with one userName, email, externalId or id a line: these accounts are never
            deactivated or deleted, whatever the list says (break-glass and service accounts).
          </p>
        </div>

        <div className="actions">
          <button type="submit" className="button primary" disabled={!canPreview}>
            Preview sweep
          </button>
        </div>
      </form>

      {s.error && <ErrorNotice error={s.error} title="The sweep could not be prepared" />}

      {s.phase.status === 'planning' && (
        <PlanProgress
          jobId={s.phase.jobId}
          label="Preparing the sweep preview"
          onCancel={() => {
            if (s.phase.status === 'planning') void control(s.phase.jobId, 'cancel');
          }}
        />
      )}
    </div>
  );
}
