import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { InputProblem } from '../../../../shared/import/types';
import type { CsvOptions } from '../../../../shared/ipc/schemas/common';
import { groupProblems } from '../../../../shared/problems/group';
import { ErrorNotice } from '../../components/error-notice';
import { GroupedProblems } from '../../components/grouped-problems';
import { baseName, useImportStore } from './import-store';
import { DELIMITER_NAMES, LINE_ENDING_NAMES } from './spec-edit';
import { StepHeading } from './step-heading';

type Encoding = NonNullable<CsvOptions['encoding']>;
type Delimiter = NonNullable<CsvOptions['delimiter']>;
const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** Step 2: what the reader found in the file, with overrides and a re-read. */
export function StepDiagnostics() {
  const path = useImportStore((s) => s.path);
  const inspecting = useImportStore((s) => s.inspecting);
  const inspectRows = useImportStore((s) => s.inspectRows);
  const inspection = useImportStore((s) => s.inspection);
  const inspectError = useImportStore((s) => s.inspectError);
  const goTo = useImportStore((s) => s.goTo);
  const continueToMapping = useImportStore((s) => s.continueToMapping);
  const presets = useImportStore((s) => s.presets);

  const d = inspection?.diagnostics;
  const presetId = inspection?.suggestion.preset;
  const presetName = presets.find((p) => p.id === presetId)?.name ?? presetId;
  const errors = d?.problems.filter((p) => p.severity === 'error') ?? [];
  const warnings = d?.problems.filter((p) => p.severity === 'warning') ?? [];

  return (
    <section className="import-step" aria-labelledby="import-diag-heading" aria-busy={inspecting}>
      <StepHeading id="import-diag-heading">
        Check the file{path ? `: ${baseName(path)}` : ''}
      </StepHeading>
      {path && (
        <p className="muted import-path">
          <code>{path}</code>
        </p>
      )}
      {inspecting && (
        <p role="status" className="import-busy">
          Reading the file…
          {inspectRows !== undefined && ` ${inspectRows.toLocaleString()} rows so far.`}
        </p>
      )}
      {inspectError && <ErrorNotice error={inspectError} title="The file could not be read" />}
      {inspectError?.csvFix && <ReadFix fix={inspectError.csvFix} />}
      {d && inspection && (
        <div className="import-diag">
          <dl className="facts" aria-label="File facts" data-testid="file-facts">
            <dt>Encoding</dt>
            <dd>{d.encoding}</dd>
            <dt>Delimiter</dt>
            <dd>{DELIMITER_NAMES[d.delimiter] ?? d.delimiter}</dd>
            <dt>Line endings</dt>
            <dd>{LINE_ENDING_NAMES[d.lineEnding] ?? d.lineEnding}</dd>
            <dt>Byte-order mark</dt>
            <dd>{d.bom ? 'yes (removed)' : 'no'}</dd>
            <dt>Columns</dt>
            <dd>{d.headers.length}</dd>
            <dt>Rows</dt>
            <dd data-testid="fact-rows">{d.rows}</dd>
            <dt>Damaged rows</dt>
            <dd>
              {d.damagedRows === 0 ? (
                <span className="badge badge-ok">none</span>
              ) : (
                <span className="badge badge-danger">{d.damagedRows} excluded from the import</span>
              )}
            </dd>
            <dt>Lines skipped before the header</dt>
            <dd>{inspection.skipLines}</dd>
            <dt>Recognised as</dt>
            <dd>{presetName ?? 'no known file kind (columns matched by name)'}</dd>
          </dl>
          <ProblemSection title="Errors" problems={errors} />
          <ProblemSection title="Warnings" problems={warnings} />
          {d.problemsOmitted > 0 && (
            <p className="muted">
              {d.problemsOmitted} more problems are not listed; they are counted in the damaged rows
              above.
            </p>
          )}
          {d.problems.length === 0 && <p className="import-ok">The file reads cleanly.</p>}
        </div>
      )}
      {path && <ReadOptions />}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            goTo('file');
          }}
        >
          Back
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!inspection || inspecting}
          onClick={continueToMapping}
        >
          Continue to mapping
        </button>
      </div>
    </section>
  );
}

/** The file's errors or warnings, grouped by cause (one line per cause, not per row). */
function ProblemSection({ title, problems }: { title: string; problems: InputProblem[] }) {
  if (problems.length === 0) return null;
  const grouped = groupProblems(problems);
  return (
    <div className="import-problems">
      <h3>
        {title} ({problems.length})
      </h3>
      <GroupedProblems title={title} groups={grouped.groups} otherCount={grouped.otherCount} />
    </div>
  );
}

/**
 * The fix the reader offers for a file whose header is not on its first line: skip the title
 * lines, or read it without a header row — or read line 1 as the header after all.
 */
function ReadFix({ fix }: { fix: NonNullable<ErrorPayload['csvFix']> }) {
  const setCsvOption = useImportStore((s) => s.setCsvOption);
  const inspect = useImportStore((s) => s.inspect);
  const inspecting = useImportStore((s) => s.inspecting);
  const readWith = (options: Partial<Pick<CsvOptions, 'skipLines' | 'header'>>) => {
    if (options.skipLines !== undefined) setCsvOption('skipLines', options.skipLines);
    if (options.header !== undefined) setCsvOption('header', options.header);
    void inspect();
  };
  const skip = fix.skipLines;
  return (
    <div className="form-actions" role="group" aria-label="Fix how the file is read">
      {skip !== undefined && (
        <button
          type="button"
          className="button primary"
          disabled={inspecting}
          onClick={() => {
            readWith({ skipLines: skip });
          }}
        >
          Skip the first {skip === 1 ? 'line' : `${skip} lines`}
        </button>
      )}
      {fix.header === false && (
        <button
          type="button"
          className="button primary"
          disabled={inspecting}
          onClick={() => {
            readWith({ header: false });
          }}
        >
          Read without a header row
        </button>
      )}
      <button
        type="button"
        className="button"
        disabled={inspecting}
        onClick={() => {
          readWith({ header: true });
        }}
      >
        The first line is the header
      </button>
    </div>
  );
}

/** Encoding, delimiter and lines to skip, when detection guessed wrong. */
function ReadOptions() {
  const csv = useImportStore((s) => s.csv);
  const setCsvOption = useImportStore((s) => s.setCsvOption);
  const inspect = useImportStore((s) => s.inspect);
  const inspecting = useImportStore((s) => s.inspecting);
  return (
    <details className="advanced import-read-options">
      <summary>Read the file differently</summary>
      <div className="advanced-body">
        <div className="field-row">
          <div className="field">
            <label htmlFor="import-encoding">Encoding</label>
            <select
              id="import-encoding"
              value={csv.encoding ?? ''}
              onChange={(e) => {
                const v = ENCODINGS.find((x) => x === e.target.value);
                setCsvOption('encoding', v);
              }}
            >
              <option value="">Detect</option>
              {ENCODINGS.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-delimiter">Delimiter</label>
            <select
              id="import-delimiter"
              value={csv.delimiter ?? ''}
              onChange={(e) => {
                const v = DELIMITERS.find((x) => x === e.target.value);
                setCsvOption('delimiter', v);
              }}
            >
              <option value="">Detect</option>
              {DELIMITERS.map((x) => (
                <option key={x} value={x}>
                  {DELIMITER_NAMES[x]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-header">Header row</label>
            <select
              id="import-header"
              value={csv.header === undefined ? '' : csv.header ? 'yes' : 'no'}
              onChange={(e) => {
                const v = e.target.value;
                setCsvOption('header', v === '' ? undefined : v === 'yes');
              }}
            >
              <option value="">Detect</option>
              <option value="yes">The first line names the columns</option>
              <option value="no">No header row</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-skip">Lines to skip before the header</label>
            <input
              id="import-skip"
              type="number"
              min={0}
              max={100}
              placeholder="Detect"
              value={csv.skipLines ?? ''}
              onChange={(e) => {
                const n = Number.parseInt(e.target.value, 10);
                setCsvOption(
                  'skipLines',
                  Number.isNaN(n) ? undefined : Math.min(100, Math.max(0, n)),
                );
              }}
            />
          </div>
        </div>
        <div>
          <button
            type="button"
            className="button"
            disabled={inspecting}
            onClick={() => {
              void inspect();
            }}
          >
            Read the file again
          </button>
        </div>
      </div>
    </details>
  );
}
