import type { ExportResult } from './export-store';

type ExportDoneProps = {
  result: ExportResult;
  onShow: () => void;
  onAgain: () => void;
};

/** What the export wrote, where, and anything the admin should know. */
export function ExportDone({ result, onShow, onAgain }: ExportDoneProps) {
  return (
    <section className="card export-done" aria-labelledby="export-done-heading">
      <h2 id="export-done-heading">Export finished</h2>
      <dl className="facts">
        <dt>Exported</dt>
        <dd data-testid="export-count">
          {result.exported} {result.exported === 1 ? 'resource' : 'resources'}
        </dd>
        <dt>File</dt>
        <dd>
          <code data-testid="export-file">{result.file}</code>
        </dd>
      </dl>
      {result.warnings.length > 0 && (
        <div className="card card-warning">
          <p>
            <strong>Warnings</strong>
          </p>
          <ul>
            {result.warnings.map((w, i) => (
              <li key={`${String(i)}-${w}`}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" className="button primary" onClick={onShow}>
          Show in folder
        </button>
        <button type="button" className="button" onClick={onAgain}>
          New export
        </button>
      </div>
    </section>
  );
}
