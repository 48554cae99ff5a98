import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useConnectionsStore } from './connections-store';

/** Asks before deleting a connection; a native modal dialog gives focus trapping and Escape. */
export function DeleteDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const pendingId = useConnectionsStore((s) => s.pendingDeleteId);
  const connection = useConnectionsStore((s) =>
    s.connections.find((c) => c.id === s.pendingDeleteId),
  );
  const deleting = useConnectionsStore((s) => s.deleting);
  const deleteError = useConnectionsStore((s) => s.deleteError);
  const cancelDelete = useConnectionsStore((s) => s.cancelDelete);
  const confirmDelete = useConnectionsStore((s) => s.confirmDelete);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (pendingId !== undefined && !dialog.open) dialog.showModal();
    if (pendingId === undefined && dialog.open) dialog.close();
  }, [pendingId]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="delete-title"
      onCancel={(e) => {
        e.preventDefault();
        cancelDelete();
      }}
    >
      <h2 id="delete-title">Delete {connection?.name ?? 'this connection'}?</h2>
      <p>
        The saved settings and the stored secret are removed from this computer. Nothing changes on
        the server.
      </p>
      {deleteError && <ErrorNotice error={deleteError} title="Could not delete the connection" />}
      <div className="form-actions">
        <button
          type="button"
          className="button danger"
          disabled={deleting}
          onClick={() => void confirmDelete()}
        >
          {deleting ? 'Deleting…' : 'Delete connection'}
        </button>
        <button type="button" className="button" autoFocus onClick={cancelDelete}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
