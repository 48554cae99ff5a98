import { ConnectionPicker } from '../../components/connection-picker';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { AttributePicker } from './attribute-picker';
import { ExportDone } from './export-done';
import { ExportProgress } from './export-progress';
import { useExportStore } from './export-store';

const TYPE_LABELS: Record<string, string> = { User: 'Users', Group: 'Groups' };

/** The Export screen: choose what to export and how, pick a file, watch it being written. */
export function ExportPage() {
  const s = useExportStore();
  const running = s.phase.status === 'running';

  return (
    <div className="export-page">
      <form
        className="card export-form"
        aria-label="What to export"
        onSubmit={(e) => {
          e.preventDefault();
          void s.start();
        }}
      >
        <div className="field-row">
          <ConnectionPicker
            id="export-connection"
            value={s.connectionId}
            onChange={s.setConnection}
          />
          <div className="field">
            <label htmlFor="export-type">Resource type</label>
            <select
              id="export-type"
              value={s.resourceType}
              disabled={running}
              onChange={(e) => {
                s.setResourceType(e.target.value);
              }}
            >
              {s.resourceTypes.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t] ?? t}
                </option>
              ))}
            </select>
          </div>
        </div>

        {s.resourceType === 'User' || s.resourceType === 'Group' ? (
          <AttributePicker
            targets={s.targets}
            all={s.allAttributes}
            selected={s.selected}
            search={s.search}
            loading={s.targetsLoading}
            onAll={s.setAllAttributes}
            onToggle={s.toggleAttribute}
            onSearch={s.setSearch}
          />
        ) : (
          <p className="hint">Every attribute the server returns is exported for this type.</p>
        )}
        {s.targetsError && (
          <ErrorNotice error={s.targetsError} title="Could not read the server’s attributes" />
        )}

        <Field
          id="export-filter"
          label="SCIM filter (optional)"
          hint='Only resources that match, e.g. userType eq "Employee" and active eq true'
          error={
            s.filterRejected && s.error
              ? [s.error.message, s.error.nextStep].filter(Boolean).join(' ')
              : undefined
          }
        >
          {(p) => (
            <input
              {...p}
              type="text"
              spellCheck={false}
              value={s.filter}
              onChange={(e) => {
                s.setFilter(e.target.value);
              }}
            />
          )}
        </Field>

        <fieldset className="radio-group">
          <legend>Format</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="export-format"
              checked={s.format === 'csv'}
              onChange={() => {
                s.setFormat('csv');
              }}
            />
            CSV (one column per attribute; re-importable)
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="export-format"
              checked={s.format === 'jsonl'}
              onChange={() => {
                s.setFormat('jsonl');
              }}
            />
            JSON Lines (one SCIM resource per line)
          </label>
        </fieldset>
        {s.format === 'csv' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={s.excel}
              onChange={(e) => {
                s.setExcel(e.target.checked);
              }}
            />
            Excel-friendly (BOM)
          </label>
        )}

        <div className="actions">
          <button
            type="submit"
            className="button primary"
            disabled={running || s.connectionId === undefined}
          >
            Export…
          </button>
        </div>
      </form>

      {s.error && !s.filterRejected && <ErrorNotice error={s.error} title="The export failed" />}

      {s.phase.status === 'running' && (
        <ExportProgress
          jobId={s.phase.jobId}
          file={s.phase.file}
          onCancel={() => {
            void s.cancel();
          }}
        />
      )}
      {s.phase.status === 'cancelled' && (
        <p className="card" role="status">
          The export was cancelled; <code>{s.phase.file}</code> may be incomplete.
        </p>
      )}
      {s.phase.status === 'done' && (
        <ExportDone
          result={s.phase.result}
          onShow={() => {
            if (s.phase.status === 'done') void s.showInFolder(s.phase.result.file);
          }}
          onAgain={s.reset}
        />
      )}
    </div>
  );
}
