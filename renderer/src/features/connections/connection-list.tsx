import type { ConnectionSummary } from '../../../../shared/connections/profile';
import { useConnectionsStore } from './connections-store';
import { EnvironmentBadge } from './environment-badge';
import { AUTH_LABELS } from './form-model';

/** The saved connections as a list of selectable entries. */
export function ConnectionList({ connections }: { connections: ConnectionSummary[] }) {
  const selectedId = useConnectionsStore((s) => s.selectedId);
  const select = useConnectionsStore((s) => s.select);

  return (
    <ul className="connection-list" aria-label="Saved connections">
      {connections.map((c) => {
        const selected = c.id === selectedId;
        return (
          <li key={c.id}>
            <button
              type="button"
              className={`connection-item${selected ? ' selected' : ''}`}
              aria-current={selected ? 'true' : undefined}
              onClick={() => {
                select(c.id);
              }}
            >
              <span className="connection-item-top">
                <span className="connection-name">{c.name}</span>
                <EnvironmentBadge of={c} />
              </span>
              <span className="connection-url">{c.baseUrl}</span>
              <span className="connection-meta">
                <span>{AUTH_LABELS[c.auth.kind]}</span>
                {c.auth.kind !== 'none' && (
                  <span className={c.hasSecret ? 'secret-ok' : 'secret-missing'}>
                    {c.hasSecret ? 'secret stored' : 'no secret stored'}
                  </span>
                )}
                {!c.tls.verify && <span className="badge badge-danger">TLS not verified</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
