import { useEffect, useMemo } from 'react';
import type { ColumnConfidence } from '../../../../shared/mapping/suggest';
import type { AttributeMapping } from '../../../../shared/mapping/spec';
import { ErrorNotice } from '../../components/error-notice';
import { AttributeRow, TARGETS_LIST_ID } from './attribute-row';
import { PLAN_MODES } from '../../../../shared/plan/plan-format';
import { MODE_LABELS } from '../../../../shared/plan/plan-words';
import { useImportStore } from './import-store';
import { InlineProblems } from './inline-problems';
import { MappingExtras } from './mapping-extras';
import { MappingPreviewPanel } from './mapping-preview';
import {
  addAttribute,
  groupProblems,
  removeAttribute,
  replaceAttribute,
  sourceColumns,
  unmappedColumns,
} from './spec-edit';
import { StepHeading } from './step-heading';
import { friendlyName } from '../../../../shared/mapping/friendly-names';

/** How long typing must pause before the preview is asked for. */
const PREVIEW_DEBOUNCE_MS = 300;

function confidenceFor(
  confidence: readonly ColumnConfidence[],
  a: AttributeMapping,
): ColumnConfidence | undefined {
  const columns = sourceColumns(a.source);
  return confidence.find((c) => c.target === a.target && columns.includes(c.column));
}

/** Step 3: edit the suggested mapping with a live preview of the SCIM JSON. */
export function StepMapping() {
  const spec = useImportStore((s) => s.spec);
  const specKey = useImportStore((s) => s.specKey);
  const inspection = useImportStore((s) => s.inspection);
  const targets = useImportStore((s) => s.targets);
  const targetsError = useImportStore((s) => s.targetsError);
  const preview = useImportStore((s) => s.preview);
  const updateSpec = useImportStore((s) => s.updateSpec);
  const runPreview = useImportStore((s) => s.runPreview);
  const goTo = useImportStore((s) => s.goTo);

  useEffect(() => {
    const timer = setTimeout(() => {
      void runPreview();
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [spec, runPreview]);

  const problems = useMemo(() => groupProblems(preview?.mappingProblems ?? []), [preview]);

  if (!spec || !inspection) {
    return (
      <section className="import-step" aria-labelledby="import-map-heading">
        <StepHeading id="import-map-heading">Map columns</StepHeading>
        <p className="empty-state">No file yet. Go back and open a CSV first.</p>
      </section>
    );
  }

  const headers = inspection.diagnostics.headers;
  const unmapped = unmappedColumns(spec, headers);
  const ignoredWhy = new Map(preview?.ignored.map((c) => [c.column, c.reason]));

  return (
    <section className="import-step" aria-labelledby="import-map-heading">
      <StepHeading id="import-map-heading">Map columns</StepHeading>
      <MappingFileBar />
      {targetsError && (
        <ErrorNotice error={targetsError} title="Could not list the server’s attributes" />
      )}
      <datalist id={TARGETS_LIST_ID}>
        {targets.map((t) => (
          <option key={t.path} value={t.path} label={targetLabel(t)} />
        ))}
      </datalist>
      <div className="import-mapping-layout">
        <div className="import-mapping-editor" key={specKey}>
          <InlineProblems id="import-spec-problems" problems={problems.other} />
          <h3 id="import-attrs-heading" tabIndex={-1}>
            Attributes ({spec.attributes.length})
          </h3>
          {spec.attributes.length === 0 && (
            <p className="empty-state">
              No attribute is mapped yet. Use Map next to a column below, or Add mapping.
            </p>
          )}
          <div className="import-attr-list" data-testid="mapping-table">
            {spec.attributes.length > 0 && (
              <div className="import-attr-head" aria-hidden="true">
                <span>#</span>
                <span>Source column</span>
                <span>Attribute</span>
                <span>Transforms</span>
                <span>If empty</span>
                <span />
              </div>
            )}
            {spec.attributes.map((a, i) => (
              <AttributeRow
                // Rows are positional in the spec (problems name them by index); adding or
                // removing one renumbers them, so they start afresh.
                key={`${i}/${spec.attributes.length}`}
                index={i}
                attribute={a}
                headers={headers}
                targets={targets}
                confidence={confidenceFor(inspection.suggestion.confidence, a)}
                problems={problems.byAttribute.get(i) ?? []}
                onChange={(next) => {
                  updateSpec((s) => replaceAttribute(s, i, () => next));
                }}
                onRemove={() => {
                  updateSpec((s) => removeAttribute(s, i));
                  document.getElementById('import-attrs-heading')?.focus();
                }}
              />
            ))}
          </div>
          <button
            type="button"
            className="button"
            onClick={() => {
              updateSpec((s) => addAttribute(s, unmapped[0] ?? headers[0] ?? ''));
              focusLastTarget(spec.attributes.length);
            }}
          >
            Add mapping
          </button>

          <h3 id="import-unmapped-heading">Columns not used ({unmapped.length})</h3>
          {unmapped.length === 0 ? (
            <p className="muted">Every column of the file is used.</p>
          ) : (
            <ul className="import-unmapped" aria-labelledby="import-unmapped-heading">
              {unmapped.map((c) => (
                <li key={c}>
                  <span>
                    <strong>{c}</strong>
                    {ignoredWhy.get(c) && <span className="muted"> — {ignoredWhy.get(c)}</span>}
                  </span>
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Map ${c}`}
                    onClick={() => {
                      updateSpec((s) => addAttribute(s, c));
                      focusLastTarget(spec.attributes.length);
                    }}
                  >
                    Map
                  </button>
                </li>
              ))}
            </ul>
          )}

          <MappingExtras
            spec={spec}
            confidence={inspection.suggestion.confidence}
            headers={headers}
            problems={problems}
            onChange={updateSpec}
          />
        </div>
        <MappingPreviewPanel />
      </div>
      <PlanBar
        onBack={() => {
          goTo('diagnostics');
        }}
      />
    </section>
  );
}

function targetLabel(t: {
  path: string;
  type?: string;
  required: boolean;
  mutability: string;
}): string {
  return [
    friendlyName(t.path),
    t.type,
    t.required ? 'required' : '',
    t.mutability === 'readOnly' ? 'read-only' : t.mutability === 'immutable' ? 'immutable' : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Moves focus to the target field of a row just added (after React renders it). */
function focusLastTarget(index: number): void {
  setTimeout(() => {
    document.getElementById(`import-attr-${index}-target`)?.focus();
  }, 0);
}

/** Save and load the mapping as a JSON file. */
function MappingFileBar() {
  const saveMapping = useImportStore((s) => s.saveMapping);
  const loadMapping = useImportStore((s) => s.loadMapping);
  const message = useImportStore((s) => s.mappingFileMessage);
  const error = useImportStore((s) => s.mappingFileError);
  return (
    <>
      <div className="actions import-mapping-file">
        <button
          type="button"
          className="button"
          onClick={() => {
            void loadMapping();
          }}
        >
          Load mapping…
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            void saveMapping();
          }}
        >
          Save mapping…
        </button>
        <span role="status" className="muted">
          {message}
        </span>
      </div>
      {error && <ErrorNotice error={error} title="The mapping file could not be used" />}
    </>
  );
}

/** What the plan should do, and the button that builds it. */
function PlanBar({ onBack }: { onBack: () => void }) {
  const mode = useImportStore((s) => s.mode);
  const setMode = useImportStore((s) => s.setMode);
  const buildPlan = useImportStore((s) => s.buildPlan);
  const connectionId = useImportStore((s) => s.connectionId);
  const problemCount = useImportStore((s) => s.preview?.mappingProblems.length ?? 0);
  const blocked = problemCount > 0 || !connectionId;
  return (
    <div className="import-plan-bar">
      <div className="field">
        <label htmlFor="import-mode">What the plan does</label>
        <select
          id="import-mode"
          value={mode}
          aria-describedby="import-mode-hint"
          onChange={(e) => {
            const m = PLAN_MODES.find((k) => k === e.target.value);
            if (m) setMode(m);
          }}
        >
          {PLAN_MODES.map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
        <p id="import-mode-hint" className="hint">
          {mode === 'upsert'
            ? 'Creates new people and updates existing ones. Nothing is written until you confirm the plan.'
            : 'A sweep: the Sweep screen is the usual place for it. You will see every change first.'}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button
          type="button"
          className="button primary"
          disabled={blocked}
          aria-describedby={blocked ? 'import-build-blocked' : undefined}
          onClick={() => {
            void buildPlan();
          }}
        >
          Build plan
        </button>
        {blocked && (
          <p id="import-build-blocked" className="hint">
            {!connectionId
              ? 'Choose a server on the first step.'
              : `Fix the ${problemCount === 1 ? 'problem' : `${problemCount} problems`} marked in the mapping first.`}
          </p>
        )}
      </div>
    </div>
  );
}
