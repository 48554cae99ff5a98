import type { MappingPreview } from '../../../../shared/ipc/schemas/import';
import { groupProblems } from '../../../../shared/problems/group';
import { ErrorNotice } from '../../components/error-notice';
import { GroupedProblems } from '../../components/grouped-problems';
import { useImportStore } from './import-store';

/** The sample rows' problems grouped by cause, with the one-click fix (status words). */
function SampleProblems({ rows }: { rows: MappingPreview['rows'] }) {
  const addStatusWord = useImportStore((s) => s.addStatusWord);
  const grouped = groupProblems(rows.flatMap((r) => r.problems));
  if (grouped.groups.length === 0) return null;
  return (
    <div className="import-sample-problems">
      <h4>Problems in the sample, by cause</h4>
      <GroupedProblems
        title="Sample problems by cause"
        groups={grouped.groups}
        otherCount={grouped.otherCount}
        onFix={(fix, active) => {
          addStatusWord(fix.word, active, false);
        }}
      />
    </div>
  );
}

/** The SCIM JSON a sample row becomes with the mapping as it stands, and that row's problems. */
export function MappingPreviewPanel() {
  const preview = useImportStore((s) => s.preview);
  const previewing = useImportStore((s) => s.previewing);
  const previewError = useImportStore((s) => s.previewError);
  const previewRow = useImportStore((s) => s.previewRow);
  const setPreviewRow = useImportStore((s) => s.setPreviewRow);

  const rows = preview?.rows ?? [];
  const index = Math.min(previewRow, Math.max(0, rows.length - 1));
  const row = rows[index];
  const withProblems = rows.filter((r) => r.problems.length > 0).length;

  return (
    <section className="import-preview card" aria-labelledby="import-preview-heading">
      <h3 id="import-preview-heading">
        Live preview
        <span className="muted import-preview-status" role="status">
          {previewing ? 'Updating…' : ''}
        </span>
      </h3>
      {previewError && <ErrorNotice error={previewError} title="The preview failed" />}
      {!preview && !previewError && <p className="muted">Preparing the preview…</p>}
      {preview && preview.mappingProblems.length > 0 && (
        <p className="import-preview-blocked" role="alert">
          The mapping has {preview.mappingProblems.length}{' '}
          {preview.mappingProblems.length === 1 ? 'problem' : 'problems'}; fix{' '}
          {preview.mappingProblems.length === 1 ? 'it' : 'them'} to see the JSON.
        </p>
      )}
      {rows.length > 0 && (
        <>
          <div className="field">
            <label htmlFor="import-preview-row">Sample row</label>
            <select
              id="import-preview-row"
              value={index}
              onChange={(e) => {
                setPreviewRow(Number(e.target.value));
              }}
            >
              {rows.map((r, i) => (
                <option key={r.row} value={i}>
                  Row {r.row}
                  {r.resource && typeof r.resource['userName'] === 'string'
                    ? ` — ${r.resource['userName']}`
                    : ''}
                  {r.problems.length > 0 ? ` (${r.problems.length} problems)` : ''}
                </option>
              ))}
            </select>
            <p className="hint">
              {withProblems === 0
                ? `All ${rows.length} sample rows map cleanly.`
                : `${withProblems} of ${rows.length} sample rows have problems.`}
            </p>
          </div>
          <SampleProblems rows={rows} />
          {row && (
            <>
              {row.resource ? (
                <pre
                  className="import-json"
                  tabIndex={0}
                  aria-label={`SCIM JSON for row ${row.row}`}
                  data-testid="preview-json"
                >
                  {JSON.stringify(row.resource, null, 2)}
                </pre>
              ) : (
                <p className="muted">This row does not become a resource (see its problems).</p>
              )}
              {(row.groups || row.manager) && (
                <dl className="facts">
                  {row.groups && (
                    <>
                      <dt>Groups</dt>
                      <dd>{row.groups.join(', ')}</dd>
                    </>
                  )}
                  {row.manager && (
                    <>
                      <dt>Manager</dt>
                      <dd>
                        {row.manager.by} <code>{row.manager.value}</code>
                      </dd>
                    </>
                  )}
                </dl>
              )}
              {row.problems.length > 0 && (
                <ul className="import-row-problems" aria-label={`Problems of row ${row.row}`}>
                  {row.problems.map((p, i) => (
                    <li key={`${p.code}-${i}`} className={p.severity}>
                      <span
                        className={`badge ${p.severity === 'error' ? 'badge-danger' : 'badge-warning'}`}
                      >
                        {p.severity}
                      </span>{' '}
                      {p.column && (
                        <>
                          <strong>{p.column}</strong>:{' '}
                        </>
                      )}
                      {p.message} <span className="muted">{p.nextStep}</span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
      {preview && preview.ignored.length > 0 && (
        <details className="import-ignored">
          <summary>Columns left out ({preview.ignored.length})</summary>
          <ul>
            {preview.ignored.map((c) => (
              <li key={c.column}>
                <strong>{c.column}</strong>: {c.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
