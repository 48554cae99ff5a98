import { useId, useState, type SyntheticEvent } from 'react';
import type { ConnectionSummary } from '../../../../shared/connections/profile';
import { ErrorNotice } from '../../components/error-notice';
import { useFocusOnChange } from '../../components/use-focus-on-change';
import { Field } from '../../components/field';
import { DRAFT_KEY, testEndKey, useConnectionsStore } from './connections-store';
import {
  AUTH_LABELS,
  SECRET_LABELS,
  draftFromSummary,
  draftToSettings,
  emptyDraft,
  formFieldForPath,
  type AuthKind,
  type FormDraft,
  type FormErrors,
} from './form-model';
import { AdvancedFields } from './advanced-fields';
import { EnvironmentFields } from './environment-fields';
import { TestResult } from './test-result';

/** Add or edit a connection; can test the unsaved settings before saving. */
export function ConnectionForm({ existing }: { existing?: ConnectionSummary }) {
  const [draft, setDraft] = useState<FormDraft>(() =>
    existing ? draftFromSummary(existing) : emptyDraft(),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const saving = useConnectionsStore((s) => s.saving);
  const saveError = useConnectionsStore((s) => s.saveError);
  const test = useConnectionsStore((s) => s.tests[DRAFT_KEY]);
  const resultRef = useFocusOnChange<HTMLElement>(testEndKey(test));
  const save = useConnectionsStore((s) => s.save);
  const testDraft = useConnectionsStore((s) => s.testDraft);
  const closeEditor = useConnectionsStore((s) => s.closeEditor);
  const headingId = useId();
  const isSandbox = existing?.kind === 'sandbox';
  const secretLabel = SECRET_LABELS[draft.authKind];
  const keepsSecret = existing?.hasSecret === true && draft.secret === '';

  const update = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  // Server-side validation names fields too; show them next to the inputs.
  const serverErrors: FormErrors = {};
  for (const path of saveError?.fields ?? []) {
    const field = formFieldForPath(path);
    if (field) serverErrors[field] = 'Check this value.';
  }
  const shown = { ...serverErrors, ...errors };

  const checked = (): ReturnType<typeof draftToSettings> | undefined => {
    const built = draftToSettings(draft);
    setErrors(built.errors);
    if (Object.keys(built.errors).length > 0) {
      const first = Object.keys(built.errors)[0];
      if (first) document.getElementById(`field-${first}`)?.focus();
      return undefined;
    }
    return built;
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement, SubmitEvent>) => {
    event.preventDefault();
    const built = checked();
    if (!built) return;
    void save({
      ...(existing ? { id: existing.id } : {}),
      settings: built.settings,
      // Blank means "keep what is stored"; switching to no auth clears it.
      ...(draft.authKind === 'none'
        ? { secret: null }
        : draft.secret !== ''
          ? { secret: draft.secret }
          : {}),
    });
  };

  const onTest = () => {
    const built = checked();
    if (!built) return;
    void testDraft({
      ...(existing ? { id: existing.id } : {}),
      settings: built.settings,
      ...(draft.secret !== '' && draft.authKind !== 'none' ? { secret: draft.secret } : {}),
    });
  };

  return (
    <form className="connection-form" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <div className="pane-header">
        <h2 id={headingId}>{existing ? `Edit ${existing.name}` : 'Add a connection'}</h2>
      </div>

      <Field id="field-name" label="Name" error={shown.name}>
        {(props) => (
          <input
            {...props}
            type="text"
            value={draft.name}
            autoComplete="off"
            onChange={(e) => {
              update('name', e.target.value);
            }}
          />
        )}
      </Field>

      <Field
        id="field-baseUrl"
        label="SCIM base URL"
        hint={
          isSandbox
            ? 'Assigned when SCIM Porter starts.'
            : 'For example https://example.com/scim/v2'
        }
        error={shown.baseUrl}
      >
        {(props) => (
          <input
            {...props}
            type="url"
            value={draft.baseUrl}
            readOnly={isSandbox}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              update('baseUrl', e.target.value);
            }}
          />
        )}
      </Field>

      <Field id="field-authKind" label="Authentication">
        {(props) => (
          <select
            {...props}
            value={draft.authKind}
            disabled={isSandbox}
            onChange={(e) => {
              update('authKind', e.target.value as AuthKind);
            }}
          >
            {(Object.keys(AUTH_LABELS) as AuthKind[]).map((k) => (
              <option key={k} value={k}>
                {AUTH_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>

      {draft.authKind === 'basic' && (
        <Field id="field-username" label="User name" error={shown.username}>
          {(props) => (
            <input
              {...props}
              type="text"
              value={draft.username}
              autoComplete="off"
              onChange={(e) => {
                update('username', e.target.value);
              }}
            />
          )}
        </Field>
      )}
      {draft.authKind === 'oauth2' && (
        <>
          <Field id="field-tokenUrl" label="Token URL" error={shown.tokenUrl}>
            {(props) => (
              <input
                {...props}
                type="url"
                value={draft.tokenUrl}
                spellCheck={false}
                onChange={(e) => {
                  update('tokenUrl', e.target.value);
                }}
              />
            )}
          </Field>
          <Field id="field-clientId" label="Client ID" error={shown.clientId}>
            {(props) => (
              <input
                {...props}
                type="text"
                value={draft.clientId}
                spellCheck={false}
                onChange={(e) => {
                  update('clientId', e.target.value);
                }}
              />
            )}
          </Field>
          <Field
            id="field-scope"
            label="Scope"
            hint="Optional, space-separated."
            error={shown.scope}
          >
            {(props) => (
              <input
                {...props}
                type="text"
                value={draft.scope}
                onChange={(e) => {
                  update('scope', e.target.value);
                }}
              />
            )}
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.credentialsInBody}
              onChange={(e) => {
                update('credentialsInBody', e.target.checked);
              }}
            />
            Send client credentials in the request body instead of a Basic header
          </label>
        </>
      )}
      {draft.authKind === 'header' && (
        <Field
          id="field-headerName"
          label="Header name"
          hint="For example X-API-Key"
          error={shown.headerName}
        >
          {(props) => (
            <input
              {...props}
              type="text"
              value={draft.headerName}
              spellCheck={false}
              onChange={(e) => {
                update('headerName', e.target.value);
              }}
            />
          )}
        </Field>
      )}
      {secretLabel !== undefined && !isSandbox && (
        <Field
          id="field-secret"
          label={secretLabel}
          hint={
            keepsSecret
              ? 'Stored — leave blank to keep it.'
              : 'Kept in the operating system’s credential store, never in the profile file.'
          }
          error={shown.secret}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              value={draft.secret}
              autoComplete="new-password"
              placeholder={keepsSecret ? 'stored — leave blank to keep' : ''}
              onChange={(e) => {
                update('secret', e.target.value);
              }}
            />
          )}
        </Field>
      )}

      <EnvironmentFields draft={draft} update={update} />

      <AdvancedFields draft={draft} errors={shown} update={update} />

      {saveError && <ErrorNotice error={saveError} title="Could not save the connection" />}

      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : existing ? 'Save changes' : 'Save connection'}
        </button>
        <button
          type="button"
          className="button"
          disabled={test?.status === 'running'}
          onClick={onTest}
        >
          {test?.status === 'running' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="button ghost" onClick={closeEditor}>
          Cancel
        </button>
      </div>

      <section
        ref={resultRef}
        tabIndex={-1}
        aria-live="polite"
        aria-label="Connection test result"
        className="test-area"
      >
        {test?.status === 'running' && <p role="status">Reading the server’s configuration…</p>}
        {test?.status === 'failed' && (
          <ErrorNotice error={test.error} title="Connection test failed" />
        )}
        {test?.status === 'passed' && <TestResult result={test.result} />}
      </section>
    </form>
  );
}
