import type { MappingProblem } from '../../../../shared/mapping/errors';
import type { AttributeMapping, Transform } from '../../../../shared/mapping/spec';
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
import { TransformsEditor, TransformsSummary } from './transforms-editor';
import { useState } from 'react';
import { friendlyName } from '../../../../shared/mapping/friendly-names';

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
function shortTarget(path: string): string {
  const m = /^urn:[^ ]*:([A-Za-z][\w.]*(?:\[[^\]]*\])?(?:\.[\w]+)?)$/.exec(path);
  return m?.[1] ?? path;
}

/** What the Attribute cell shows first: the friendly name, else the short path. */
function attributeName(path: string): string {
  if (!path) return 'No attribute yet';
  return friendlyName(path) ?? shortTarget(path);
}

/** One attribute mapping as a row of the mapping table: source, attribute, transforms, if empty. */
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
  const [editing, setEditing] = useState(false);
  const columns = sourceColumns(a.source);
  const title = `${sourceKind(a.source) === 'constant' ? 'Constant' : columns.join(', ') || 'Template'} → ${
    a.target ? shortTarget(a.target) : 'no target yet'
  }`;
  const hasProblems = problems.length > 0;

  return (
    <div
      role="group"
      aria-labelledby={`${id}-title`}
      className={`import-attr-row${hasProblems ? ' has-problems' : ''}`}
      data-testid={`mapping-${index}`}
    >
      <span className="import-attr-number" aria-hidden="true">
        {index + 1}
      </span>
      <span id={`${id}-title`} className="visually-hidden">
        {index + 1}. {title}
      </span>
      <SourceCell
        id={id}
        attribute={a}
        headers={headers}
        confidence={confidence}
        onChange={onChange}
      />
      <TargetCell id={id} attribute={a} targets={targets} problems={problems} onChange={onChange} />
      <TransformsCell
        controls={`${id}-more`}
        context={title}
        transforms={a.transforms ?? []}
        editing={editing}
        onToggle={() => {
          setEditing(!editing);
        }}
      />
      <div className="import-cell">
        <EmptyPolicyField
          id={`${id}-empty`}
          label="When the value is empty"
          hideLabel
          value={a.empty}
          onChange={(empty) => {
            onChange(withEmpty(a, empty));
          }}
        />
      </div>
      <div className="import-cell import-cell-remove">
        <button
          type="button"
          className="button ghost small danger-text"
          aria-label={`Remove mapping ${index + 1} (${title})`}
          title="Remove this mapping"
          onClick={onRemove}
        >
          ✕
        </button>
      </div>
      {editing && (
        <div className="import-attr-more" id={`${id}-more`}>
          <TransformsEditor
            id={`${id}-tx`}
            context={title}
            transforms={a.transforms ?? []}
            onChange={(t) => {
              onChange(withTransforms(a, t));
            }}
          />
          {confidence && <p className="muted import-confidence-why">{confidence.why}</p>}
        </div>
      )}
      <InlineProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/** Transforms: a one-line summary and the button that opens the editor under the row. */
function TransformsCell({
  controls,
  context,
  transforms,
  editing,
  onToggle,
}: {
  controls: string;
  context: string;
  transforms: readonly Transform[];
  editing: boolean;
  onToggle: () => void;
}) {
  return (
    <div className="import-cell import-cell-tx">
      {!editing && <TransformsSummary transforms={transforms} />}
      <button
        type="button"
        className="button ghost small"
        aria-expanded={editing}
        aria-controls={controls}
        aria-label={`Edit transforms (${context})`}
        onClick={onToggle}
      >
        {editing ? 'Done' : 'Edit'}
      </button>
    </div>
  );
}

type CellProps = {
  id: string;
  attribute: AttributeMapping;
  onChange: (a: AttributeMapping) => void;
};

/** Source column: what kind of source (small, above) and the column, columns, template or text. */
function SourceCell({
  id,
  attribute: a,
  headers,
  confidence,
  onChange,
}: CellProps & { headers: string[]; confidence: ColumnConfidence | undefined }) {
  const kind = sourceKind(a.source);
  return (
    <div className="import-cell import-cell-source">
      <span className="import-attr-line">
        <label htmlFor={`${id}-kind`} className="visually-hidden">
          Source
        </label>
        <select
          id={`${id}-kind`}
          className="import-source-kind"
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
        {confidence && (
          <span
            className={`badge ${confidence.score >= 0.8 ? 'badge-ok' : 'badge-warning'}`}
            title={`How sure the suggestion is: ${confidence.why}`}
          >
            {Math.round(confidence.score * 100)}% sure
          </span>
        )}
      </span>
      <SourceValue id={id} attribute={a} headers={headers} onChange={onChange} />
    </div>
  );
}

function SourceValue({ id, attribute: a, headers, onChange }: CellProps & { headers: string[] }) {
  if ('column' in a.source) {
    return (
      <>
        <label htmlFor={`${id}-column`} className="visually-hidden">
          Column
        </label>
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
    );
  }
  if ('columns' in a.source) {
    return (
      <>
        <label htmlFor={`${id}-columns`} className="visually-hidden">
          Columns, in order (comma-separated)
        </label>
        <DraftInput
          id={`${id}-columns`}
          initial={a.source.columns.join(', ')}
          parse={parseWords}
          onCommit={(cols) => {
            onChange({ ...a, source: { columns: cols } });
          }}
        />
      </>
    );
  }
  if ('template' in a.source) {
    const hint =
      'Columns in braces: {First Name}.{Last Name}@example.com; {Middle Name?} may be empty.';
    return (
      <>
        <label htmlFor={`${id}-template`} className="visually-hidden">
          Template
        </label>
        <input
          id={`${id}-template`}
          value={a.source.template}
          title={hint}
          aria-describedby={`${id}-template-hint`}
          onChange={(e) => {
            onChange({ ...a, source: { template: e.target.value } });
          }}
        />
        <span id={`${id}-template-hint`} className="visually-hidden">
          {hint}
        </span>
      </>
    );
  }
  return (
    <>
      <label htmlFor={`${id}-constant`} className="visually-hidden">
        Constant text
      </label>
      <input
        id={`${id}-constant`}
        value={a.source.constant}
        onChange={(e) => {
          onChange({ ...a, source: { constant: e.target.value } });
        }}
      />
    </>
  );
}

/** Attribute: the friendly name first, the SCIM path (editable) as secondary text. */
function TargetCell({
  id,
  attribute: a,
  targets,
  problems,
  onChange,
}: CellProps & {
  targets: TargetAttribute[];
  problems: MappingProblem[];
}) {
  const target = targets.find((t) => t.path.toLowerCase() === a.target.toLowerCase());
  return (
    <div className="import-cell import-cell-target">
      <span className="import-attr-line">
        <span
          className="import-attr-name"
          data-testid="attribute-name"
          title={a.target || undefined}
        >
          {attributeName(a.target)}
        </span>
        {target && <TargetMarks target={target} />}
      </span>
      <label htmlFor={`${id}-target`} className="visually-hidden">
        Target attribute
      </label>
      <input
        id={`${id}-target`}
        className="import-attr-path"
        list={TARGETS_LIST_ID}
        value={a.target}
        title={a.target || undefined}
        spellCheck={false}
        autoComplete="off"
        placeholder="Type to search, e.g. title"
        aria-invalid={problems.some((p) => p.path.endsWith('.target')) || undefined}
        aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
        onChange={(e) => {
          onChange({ ...a, target: e.target.value });
        }}
      />
    </div>
  );
}

/** The few facts about a target worth a mark in the table; type and multi-valued in the title. */
function TargetMarks({ target }: { target: TargetAttribute }) {
  const facts = [target.type, target.multiValued ? 'multi-valued' : ''].filter(Boolean).join(', ');
  return (
    <span className="import-target-marks" title={facts || undefined}>
      {target.required && <span className="badge badge-warning">required</span>}
      {target.mutability === 'readOnly' && <span className="badge badge-danger">read-only</span>}
      {target.mutability === 'immutable' && <span className="badge badge-warning">immutable</span>}
      {target.schema !== 'core' && <span className="badge">enterprise</span>}
    </span>
  );
}
