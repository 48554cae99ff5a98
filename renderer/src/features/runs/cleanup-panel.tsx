import { useEffect, useRef } from 'react';
import type { CleanupPreview } from '../../../../shared/ipc/schemas/data';
import { ErrorNotice } from '../../components/error-notice';
import { useCleanupStore } from './cleanup-store';
import { resultSentence, sizeText } from './cleanup-words';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

type Row = CleanupPreview['kept'][number] | CleanupPreview['items'][number];

function FileTable({ label, rows }: { label: string; rows: Row[] }) {
  return (
    <table className="table cleanup-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Kind</th>
          <th scope="col">Size</th>
          <th scope="col">Last changed</th>
          {rows.some((r) => 'reason' in r) && <th scope="col">Kept because</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-file={r.id}>
            <td className="runs-id">{r.id}</td>
            <td>{r.kind}</td>
            <td>{sizeText(r.bytes)}</td>
            <td>{when(r.modifiedAt)}</td>
            {'reason' in r && <td>{r.reason}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Asks before deleting; a native modal dialog traps focus, and Cancel has it first. */
function ConfirmDialog({ preview }: { preview: CleanupPreview }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const { confirming, deleting, cancelConfirm, confirm } = useCleanupStore();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (confirming && !dialog.open) {
      dialog.showModal();
      // Deleting is the one step that cannot be taken back: the safe answer has the focus.
      cancel.current?.focus();
    }
    if (!confirming && dialog.open) dialog.close();
  }, [confirming]);
  const count = preview.items.length;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="cleanup-confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        cancelConfirm();
      }}
    >
      <h2 id="cleanup-confirm-title">
        Delete {count === 1 ? '1 file' : `${String(count)} files`} ({sizeText(preview.totalBytes)})?
      </h2>
      <p>
        The plans and snapshots listed are deleted from this computer; runs, their reports and what
        resume and undo need stay. Nothing changes on any server. This cannot be undone.
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button danger"
          disabled={deleting}
          onClick={() => void confirm()}
        >
          {deleting ? 'Deleting…' : 'Delete the files'}
        </button>
        <button ref={cancel} type="button" className="button" onClick={cancelConfirm}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** The cleanup under the Runs table: pick an age, see what would go and what stays, confirm. */
export function CleanupPanel() {
  const s = useCleanupStore();
  if (!s.open) return null;
  const p = s.preview;
  return (
    <section className="card runs-panel" aria-label="Clean up the data folder">
      <h2>Clean up the data folder</h2>
      <p className="hint">
        Plans the app made (plans/) and server snapshots (snapshots/) last changed before the age
        you pick. Runs are never removed, nor a plan an unfinished, resumable or undoable run needs,
        nor anything a running job uses.
      </p>
      <form
        className="runs-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void s.runPreview();
        }}
      >
        <label>
          Older than (days)
          <input
            type="number"
            min={0}
            max={3650}
            step={1}
            value={s.olderThanDays}
            onChange={(e) => {
              const days = Number.parseInt(e.target.value, 10);
              s.setDays(Number.isFinite(days) ? Math.min(3650, Math.max(0, days)) : 0);
            }}
          />
        </label>
        <button type="submit" className="button" disabled={s.previewing}>
          {s.previewing ? 'Looking…' : 'Preview'}
        </button>
      </form>
      {s.error && <ErrorNotice error={s.error} title="The cleanup did not work" />}
      {s.result && (
        <p role="status" className="card" data-testid="cleanup-result">
          {resultSentence(s.result)}
        </p>
      )}
      {p && (
        <>
          <p data-testid="cleanup-summary">
            {p.items.length === 0
              ? `Nothing older than ${String(p.olderThanDays)} days can be removed.`
              : `${String(p.items.length)} files (${sizeText(p.totalBytes)}) can be removed.`}
          </p>
          {p.items.length > 0 && <FileTable label="Files to remove" rows={p.items} />}
          {p.kept.length > 0 && (
            <>
              <h3>Kept</h3>
              <FileTable label="Files kept" rows={p.kept} />
            </>
          )}
          <ConfirmDialog preview={p} />
        </>
      )}
      <div className="actions">
        <button
          type="button"
          className="button danger"
          disabled={!p || p.items.length === 0}
          onClick={s.askConfirm}
        >
          Delete these files…
        </button>
        <button type="button" className="button ghost" onClick={s.hide}>
          Close
        </button>
      </div>
    </section>
  );
}
