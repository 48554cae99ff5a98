import { useEffect } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { ConnectionDetails } from './connection-details';
import { ConnectionForm } from './connection-form';
import { ConnectionList } from './connection-list';
import { useConnectionsStore } from './connections-store';
import { DeleteDialog } from './delete-dialog';

/** The Connections screen: saved connections on the left, the selected one (or the form) on the right. */
export function ConnectionsPage() {
  const load = useConnectionsStore((s) => s.load);
  const loaded = useConnectionsStore((s) => s.loaded);
  const loadError = useConnectionsStore((s) => s.loadError);
  const connections = useConnectionsStore((s) => s.connections);
  const selectedId = useConnectionsStore((s) => s.selectedId);
  const editor = useConnectionsStore((s) => s.editor);
  const openNew = useConnectionsStore((s) => s.openNew);

  useEffect(() => {
    void load();
  }, [load]);

  const selected = connections.find((c) => c.id === selectedId);
  const editing = editor.mode === 'edit' ? connections.find((c) => c.id === editor.id) : undefined;

  return (
    <div className="connections">
      <section className="connections-list-pane" aria-labelledby="saved-heading">
        <div className="pane-header">
          <h2 id="saved-heading">Saved connections</h2>
          <button type="button" className="button primary" onClick={openNew}>
            Add connection
          </button>
        </div>
        {loadError && (
          <ErrorNotice error={loadError} title="Could not load the saved connections" />
        )}
        {!loaded && (
          <p className="muted" role="status">
            Loading connections…
          </p>
        )}
        {loaded && connections.length === 0 && !loadError && (
          <div className="empty-state">
            <p className="empty-title">No connections yet</p>
            <p>
              Add the SCIM base URL of the service you want to move people in or out of (it often
              ends in <code>/scim/v2</code>) and the token or credentials it gave you. SCIM Porter
              reads what the server supports before it changes anything.
            </p>
            <button type="button" className="button primary" onClick={openNew}>
              Add your first connection
            </button>
          </div>
        )}
        {connections.length > 0 && <ConnectionList connections={connections} />}
      </section>
      <section className="connections-detail-pane" aria-label="Connection">
        {editor.mode === 'new' && <ConnectionForm key="new" />}
        {editor.mode === 'edit' && editing && (
          <ConnectionForm key={editing.id} existing={editing} />
        )}
        {editor.mode === 'closed' && selected && <ConnectionDetails connection={selected} />}
        {editor.mode === 'closed' && !selected && loaded && connections.length > 0 && (
          <div className="empty-state">
            <p className="empty-title">Pick a connection</p>
            <p>Select a connection on the left to test it, or add a new one.</p>
          </div>
        )}
      </section>
      <DeleteDialog />
    </div>
  );
}
