import { useState } from 'react';
import type { Transform } from '../../../../shared/mapping/spec';
import { DraftInput } from './draft-input';
import {
  newTransform,
  parseWords,
  TRANSFORM_KINDS,
  transformLabel,
  type TransformKind,
} from './spec-edit';

type TransformsEditorProps = {
  /** Prefix for ids, unique on the page. */
  id: string;
  /** What the transforms apply to, for labels ("Job Title → title"). */
  context: string;
  transforms: readonly Transform[];
  onChange: (transforms: Transform[]) => void;
};

/** The transforms of one mapping in one line, for the mapping table ("Trim → Title Case"). */
export function TransformsSummary({ transforms }: { transforms: readonly Transform[] }) {
  if (transforms.length === 0) return <span className="muted import-tx-none">None</span>;
  return (
    <ol className="import-tx-summary" aria-label="Transforms">
      {transforms.map((t, i) => (
        <li key={`${t.op}-${i}`}>{transformLabel(t)}</li>
      ))}
    </ol>
  );
}

/** The ordered transforms of one mapping: each with its parameters, removable; add by kind. */
export function TransformsEditor({ id, context, transforms, onChange }: TransformsEditorProps) {
  const [kind, setKind] = useState<TransformKind>('trim');
  const replaceAt = (index: number, t: Transform) => {
    onChange(transforms.map((x, i) => (i === index ? t : x)));
  };
  return (
    <div className="import-transforms">
      <span className="label" id={`${id}-label`}>
        Transforms
      </span>
      {transforms.length === 0 ? (
        <p className="hint">None: the cell is used as it is.</p>
      ) : (
        <ol className="import-transform-list" aria-labelledby={`${id}-label`}>
          {transforms.map((t, i) => (
            <li key={`${t.op}-${i}`} className="import-transform">
              <span className="import-transform-name">{transformLabel(t)}</span>
              <TransformParams
                id={`${id}-${i}`}
                transform={t}
                onChange={(next) => {
                  replaceAt(i, next);
                }}
              />
              <button
                type="button"
                className="button ghost small"
                aria-label={`Remove transform ${transformLabel(t)} (${context})`}
                onClick={() => {
                  onChange(transforms.filter((_, j) => j !== i));
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="import-inline">
        <label htmlFor={`${id}-add`} className="visually-hidden">
          Transform to add ({context})
        </label>
        <select
          id={`${id}-add`}
          value={kind}
          onChange={(e) => {
            const k = TRANSFORM_KINDS.find((x) => x.op === e.target.value);
            if (k) setKind(k.op);
          }}
        >
          {TRANSFORM_KINDS.map((k) => (
            <option key={k.op} value={k.op}>
              {k.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button small"
          aria-label={`Add transform (${context})`}
          onClick={() => {
            onChange([...transforms, newTransform(kind)]);
          }}
        >
          Add transform
        </button>
      </div>
    </div>
  );
}

function TextParam({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <span className="import-param">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
    </span>
  );
}

/** Inputs for a transform's parameters; kinds the editor does not offer are shown as JSON. */
function TransformParams({
  id,
  transform: t,
  onChange,
}: {
  id: string;
  transform: Transform;
  onChange: (t: Transform) => void;
}) {
  switch (t.op) {
    case 'trim':
    case 'lower':
    case 'upper':
    case 'title':
    case 'normalizeDiacritics':
    case 'collapseWhitespace':
      return null;
    case 'replace':
      return (
        <>
          <TextParam
            id={`${id}-find`}
            label="Find"
            value={t.find}
            onChange={(find) => {
              onChange({ ...t, find });
            }}
          />
          <TextParam
            id={`${id}-with`}
            label="Replace with"
            value={t.replacement}
            onChange={(replacement) => {
              onChange({ ...t, replacement });
            }}
          />
        </>
      );
    case 'regexReplace':
      return (
        <>
          <TextParam
            id={`${id}-pattern`}
            label="Pattern"
            value={t.pattern}
            onChange={(pattern) => {
              onChange({ ...t, pattern });
            }}
          />
          <TextParam
            id={`${id}-with`}
            label="Replace with"
            value={t.replacement}
            onChange={(replacement) => {
              onChange({ ...t, replacement });
            }}
          />
        </>
      );
    case 'date':
      return (
        <>
          <span className="import-param">
            <label htmlFor={`${id}-from`}>From formats</label>
            <DraftInput
              id={`${id}-from`}
              initial={t.from.join(', ')}
              parse={parseWords}
              onCommit={(from) => {
                onChange({ ...t, from });
              }}
            />
          </span>
          <span className="import-param">
            <label htmlFor={`${id}-to`}>Write as</label>
            <select
              id={`${id}-to`}
              value={t.to}
              onChange={(e) => {
                onChange({
                  ...t,
                  to: e.target.value === 'iso-datetime' ? 'iso-datetime' : 'iso-date',
                });
              }}
            >
              <option value="iso-date">YYYY-MM-DD</option>
              <option value="iso-datetime">YYYY-MM-DDTHH:mm:ssZ</option>
            </select>
          </span>
        </>
      );
    case 'split':
      return (
        <>
          <TextParam
            id={`${id}-delim`}
            label="Cut at"
            value={t.delimiter}
            onChange={(delimiter) => {
              onChange({ ...t, delimiter });
            }}
          />
          <span className="import-param">
            <label htmlFor={`${id}-index`}>Part number (0 = first, -1 = last)</label>
            <input
              id={`${id}-index`}
              type="number"
              value={t.index}
              onChange={(e) => {
                const index = Number.parseInt(e.target.value, 10);
                onChange({ ...t, index: Number.isNaN(index) ? 0 : index });
              }}
            />
          </span>
        </>
      );
    case 'prefix':
    case 'suffix':
    case 'default':
    case 'constant':
      return (
        <TextParam
          id={`${id}-value`}
          label={t.op === 'default' ? 'Value when empty' : 'Text'}
          value={t.value}
          onChange={(value) => {
            onChange({ ...t, value });
          }}
        />
      );
    case 'join':
    case 'lookup':
    case 'number':
    case 'boolean':
      return <code className="import-transform-json">{JSON.stringify(t)}</code>;
  }
}
