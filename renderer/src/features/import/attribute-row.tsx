import type { MappingProblem } from '../../../../shared/mapping/errors';
import type { AttributeMapping } from '../../../../shared/mapping/spec';
import type { ColumnConfidence } from '../../../../shared/mapping/suggest';
import type { TargetAttribute } from '../../../../shared/ipc/schemas/import';
import { DraftInput } from './draft-input';
import { EmptyPolicyField } from './empty-policy-field';
import { InlineProblems } from './inline-problems';
import {
  convertSource,
  parseWords,
  sourceColumns,
  sourceKind,
  withEmpty,
  withTransforms,
  type SourceKind,
} from './spec-edit';
import { TransformsEditor } from './transforms-editor';

export const TARGETS_LIST_ID = 'import-target-options';

type AttributeRowProps = {
  index: number;
  attribute: AttributeMapping;
  headers: string[];
  targets: TargetAttribute[];
  confidence: ColumnConfidence | undefined;
  problems: MappingProblem[];
  onChange: (a: AttributeMapping) => void;
  onRemove: () => void;
};

const SOURCE_KINDS: readonly { kind: SourceKind; label: string }[] = [
  { kind: 'column', label: 'Column' },
  { kind: 'columns', label: 'First non-empty of several columns' },
  { kind: 'template', label: 'Template' },
  { kind: 'constant', label: 'Constant text' },
];

/** The short name of a target: the part after an extension URN. */
export function shortTarget(path: string): string {
  const m = /^urn:[^ ]*:([A-Za-z][\w.]*(?:\[[^\]]*\])?(?:\.[\w]+)?)$/.exec(path);
  return m?.[1] ?? path;
}

/** One attribute mapping: source, target, transforms, empty policy, suggestion and problems. */
export function AttributeRow({
  index,
  attribute: a,
  headers,
  targets,
  confidence,
  problems,
  onChange,
  onRemove,
}: AttributeRowProps) {
  const id = `import-attr-${index}`;
  const kind = sourceKind(a.source);
  const columns = sourceColumns(a.source);
  const target = targets.find((t) => t.path.toLowerCase() === a.target.toLowerCase());
  const title = `${kind === 'constant' ? 'Constant' : columns.join(', ') || 'Template'} → ${
    a.target ? shortTarget(a.target) : 'no target yet'
  }`;
  const hasProblems = problems.length > 0;

  return (
    <fieldset
      className={`import-attr${hasProblems ? ' has-problems' : ''}`}
      data-testid={`mapping-${index}`}
    >
      <legend>
        <span className="import-attr-number">{index + 1}.</span> {title}
      </legend>
      <div className="import-attr-grid">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Source</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => {
              const k = SOURCE_KINDS.find((x) => x.kind === e.target.value);
              if (k) onChange({ ...a, source: convertSource(a.source, k.kind, headers) });
            }}
          >
            {SOURCE_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          {'column' in a.source && (
            <>
              <label htmlFor={`${id}-column`}>Column</label>
              <select
                id={`${id}-column`}
                value={a.source.column}
                onChange={(e) => {
                  onChange({ ...a, source: { column: e.target.value } });
                }}
              >
                {!headers.includes(a.source.column) && (
                  <option value={a.source.column}>{a.source.column} (not in this file)</option>
                )}
                {headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </>
          )}
          {'columns' in a.source && (
            <>
              <label htmlFor={`${id}-columns`}>Columns, in order (comma-separated)</label>
              <DraftInput
                id={`${id}-columns`}
                initial={a.source.columns.join(', ')}
                parse={parseWords}
                onCommit={(cols) => {
                  onChange({ ...a, source: { columns: cols } });
                }}
              />
            </>
          )}
          {'template' in a.source && (
            <>
              <label htmlFor={`${id}-template`}>Template</label>
              <input
                id={`${id}-template`}
                value={a.source.template}
                aria-describedby={`${id}-template-hint`}
                onChange={(e) => {
                  onChange({ ...a, source: { template: e.target.value } });
                }}
              />
              <p id={`${id}-template-hint`} className="hint">
                Columns in braces: {'{First Name}.{Last Name}@example.com'}; {'{Middle Name?}'} may
                be empty.
              </p>
            </>
          )}
          {'constant' in a.source && (
            <>
              <label htmlFor={`${id}-constant`}>Constant text</label>
              <input
                id={`${id}-constant`}
                value={a.source.constant}
                onChange={(e) => {
                  onChange({ ...a, source: { constant: e.target.value } });
                }}
              />
            </>
          )}
        </div>
        <div className="field import-target">
          <label htmlFor={`${id}-target`}>Target attribute</label>
          <input
            id={`${id}-target`}
            list={TARGETS_LIST_ID}
            value={a.target}
            spellCheck={false}
            autoComplete="off"
            placeholder="Type to search, e.g. title"
            aria-invalid={problems.some((p) => p.path.endsWith('.target')) || undefined}
            aria-describedby={hasProblems ? `${id}-problems` : undefined}
            onChange={(e) => {
              onChange({ ...a, target: e.target.value });
            }}
          />
          {target && (
            <p className="import-target-marks">
              {target.type && <span className="badge">{target.type}</span>}
              {target.required && <span className="badge badge-warning">required</span>}
              {target.mutability === 'readOnly' && (
                <span className="badge badge-danger">read-only</span>
              )}
              {target.mutability === 'immutable' && (
                <span className="badge badge-warning">immutable</span>
              )}
              {target.multiValued && <span className="badge">multi-valued</span>}
              {target.schema !== 'core' && <span className="badge">enterprise</span>}
            </p>
          )}
        </div>
      </div>
      <TransformsEditor
        id={`${id}-tx`}
        context={title}
        transforms={a.transforms ?? []}
        onChange={(t) => {
          onChange(withTransforms(a, t));
        }}
      />
      <div className="import-attr-footer">
        <EmptyPolicyField
          id={`${id}-empty`}
          label="When the value is empty"
          value={a.empty}
          onChange={(empty) => {
            onChange(withEmpty(a, empty));
          }}
        />
        {confidence && (
          <p className="import-confidence">
            <span
              className={`badge ${confidence.score >= 0.8 ? 'badge-ok' : 'badge-warning'}`}
              title="How sure the suggestion is"
            >
              {Math.round(confidence.score * 100)}% sure
            </span>{' '}
            <span className="muted">{confidence.why}</span>
          </p>
        )}
        <button
          type="button"
          className="button ghost small danger-text"
          aria-label={`Remove mapping ${index + 1} (${title})`}
          onClick={onRemove}
        >
          Remove mapping
        </button>
      </div>
      <InlineProblems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}
