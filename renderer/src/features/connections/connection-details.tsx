import type { ConnectionSummary } from '../../../../shared/connections/profile';
import { ErrorNotice } from '../../components/error-notice';
import { useFocusOnChange } from '../../components/use-focus-on-change';
import { testEndKey, useConnectionsStore } from './connections-store';
import { EnvironmentBadge } from './environment-badge';
import { AUTH_LABELS } from './form-model';
import { TestResult } from './test-result';

/** The selected connection: its settings at a glance, actions, and the last test result. */
export function ConnectionDetails({ connection: c }: { connection: ConnectionSummary }) {
  const test = useConnectionsStore((s) => s.tests[c.id]);
  // Focus moves to the result when a test ends (keyed by when it ended).
  const resultRef = useFocusOnChange<HTMLElement>(testEndKey(test));
  const testSaved = useConnectionsStore((s) => s.testSaved);
  const openEdit = useConnectionsStore((s) => s.openEdit);
  const requestDelete = useConnectionsStore((s) => s.requestDelete);
  const running = test?.status === 'running';

  return (
    <article className="details" aria-labelledby="details-heading">
      <div className="pane-header">
        <h2 id="details-heading">
          {c.name}
          <EnvironmentBadge of={c} />
        </h2>
        <div className="actions">
          <button
            type="button"
            className="button primary"
            disabled={running}
            onClick={() => void testSaved(c.id)}
          >
            {running ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              openEdit(c.id);
            }}
          >
            Edit
          </button>
          {c.kind !== 'sandbox' && (
            <button
              type="button"
              className="button danger"
              onClick={() => {
                requestDelete(c.id);
              }}
            >
              Delete
            </button>
          )}
        </div>
      </div>
      {c.kind === 'sandbox' && (
        <p className="muted">
          A SCIM server built into SCIM Porter, running on this computer while the app is open. Try
          imports and exports here before touching a real service.
        </p>
      )}
      <dl className="facts">
        <dt>Base URL</dt>
        <dd>
          <code>{c.baseUrl}</code>
        </dd>
        <dt>Authentication</dt>
        <dd>
          {AUTH_LABELS[c.auth.kind]}
          {c.auth.kind === 'basic' && <> as {c.auth.username}</>}
          {c.auth.kind === 'header' && <> ({c.auth.name})</>}
          {c.auth.kind === 'oauth2' && <> (client {c.auth.clientId})</>}
          {c.auth.kind !== 'none' && (
            <span className={c.hasSecret ? 'secret-ok' : 'secret-missing'}>
              {c.hasSecret ? ' · secret stored' : ' · no secret stored'}
            </span>
          )}
        </dd>
        <dt>TLS</dt>
        <dd>
          {c.tls.verify ? (
            'Certificates verified'
          ) : (
            <strong className="danger-text">Verification OFF</strong>
          )}
          {(c.tls.caCertsPem?.length ?? 0) > 0 && (
            <> · {c.tls.caCertsPem?.length} extra CA certificate(s)</>
          )}
        </dd>
        <dt>Limits</dt>
        <dd>
          {c.maxConcurrency} at a time
          {c.maxRequestsPerSecond !== undefined && (
            <> · at most {c.maxRequestsPerSecond} requests/s</>
          )}{' '}
          · timeout {Math.round(c.timeoutMs / 1000)} s · Bulk{' '}
          {c.bulk === 'auto' ? 'when supported' : 'never'}
          {c.proxyUrl && <> · via proxy {c.proxyUrl}</>}
        </dd>
      </dl>
      <section
        ref={resultRef}
        tabIndex={-1}
        aria-live="polite"
        aria-busy={running}
        aria-label="Connection test result"
        className="test-area"
      >
        {!test && (
          <p className="muted">
            Test the connection to see what this server supports and how SCIM Porter will talk to
            it.
          </p>
        )}
        {running && <p role="status">Reading the server’s configuration…</p>}
        {test?.status === 'failed' && (
          <ErrorNotice error={test.error} title="Connection test failed" />
        )}
        {test?.status === 'passed' && <TestResult result={test.result} />}
      </section>
    </article>
  );
}
