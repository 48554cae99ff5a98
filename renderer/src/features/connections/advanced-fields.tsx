import { Field } from '../../components/field';
import type { FormDraft, FormErrors } from './form-model';

type AdvancedFieldsProps = {
  draft: FormDraft;
  errors: FormErrors;
  update: <K extends keyof FormDraft>(key: K, value: FormDraft[K]) => void;
};

/** TLS, proxy and throughput settings, folded away because the defaults suit most servers. */
export function AdvancedFields({ draft, errors, update }: AdvancedFieldsProps) {
  const hasErrors = [
    'caCertsPem',
    'proxyUrl',
    'timeoutSeconds',
    'maxConcurrency',
    'maxRequestsPerSecond',
  ].some((k) => errors[k as keyof FormErrors] !== undefined);
  return (
    <details className="advanced" open={hasErrors || !draft.verifyTls || undefined}>
      <summary>Advanced: TLS, proxy, limits, Bulk</summary>
      <div className="advanced-body">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.verifyTls}
            onChange={(e) => {
              update('verifyTls', e.target.checked);
            }}
          />
          Verify the server’s TLS certificate
        </label>
        {!draft.verifyTls && (
          <div className="danger-box" role="alert">
            <strong>TLS verification is off.</strong> Anyone between you and this server can read
            and change everything sent, including the token and every person’s data. Only use this
            against a test server; add the server’s CA certificate below instead.
          </div>
        )}

        <Field
          id="field-caCertsPem"
          label="Extra CA certificates (PEM)"
          hint="Paste the certificate of a private CA, including the BEGIN/END lines."
          error={errors.caCertsPem}
        >
          {(props) => (
            <textarea
              {...props}
              rows={4}
              spellCheck={false}
              value={draft.caCertsPem}
              onChange={(e) => {
                update('caCertsPem', e.target.value);
              }}
            />
          )}
        </Field>

        <Field
          id="field-proxyUrl"
          label="Proxy URL"
          hint="Optional, e.g. http://proxy.example.com:3128"
          error={errors.proxyUrl}
        >
          {(props) => (
            <input
              {...props}
              type="url"
              value={draft.proxyUrl}
              spellCheck={false}
              onChange={(e) => {
                update('proxyUrl', e.target.value);
              }}
            />
          )}
        </Field>

        <div className="field-row">
          <Field id="field-timeoutSeconds" label="Timeout (seconds)" error={errors.timeoutSeconds}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                max={600}
                inputMode="numeric"
                value={draft.timeoutSeconds}
                onChange={(e) => {
                  update('timeoutSeconds', e.target.value);
                }}
              />
            )}
          </Field>
          <Field
            id="field-maxConcurrency"
            label="Max concurrent requests"
            error={errors.maxConcurrency}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                max={64}
                inputMode="numeric"
                value={draft.maxConcurrency}
                onChange={(e) => {
                  update('maxConcurrency', e.target.value);
                }}
              />
            )}
          </Field>
          <Field
            id="field-maxRequestsPerSecond"
            label="Max requests per second"
            hint="Blank: no limit beyond the server’s 429 answers."
            error={errors.maxRequestsPerSecond}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={0.1}
                step="any"
                value={draft.maxRequestsPerSecond}
                onChange={(e) => {
                  update('maxRequestsPerSecond', e.target.value);
                }}
              />
            )}
          </Field>
        </div>

        <fieldset className="radio-group">
          <legend>Bulk requests</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="bulk"
              value="auto"
              checked={draft.bulk === 'auto'}
              onChange={() => {
                update('bulk', 'auto');
              }}
            />
            Use /Bulk when the server supports it
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="bulk"
              value="never"
              checked={draft.bulk === 'never'}
              onChange={() => {
                update('bulk', 'never');
              }}
            />
            Never — always send single requests
          </label>
        </fieldset>
      </div>
    </details>
  );
}
