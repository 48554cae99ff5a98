import type { MappingProblem } from '../../../../shared/mapping/errors';
import type {
  ActiveMapping,
  GroupsMapping,
  ManagerKey,
  ManagerMapping,
  MappingSpec,
} from '../../../../shared/mapping/spec';
import type { ColumnConfidence } from '../../../../shared/mapping/suggest';
import { DraftInput } from './draft-input';
import { EmptyPolicyField } from './empty-policy-field';
import { InlineProblems } from './inline-problems';
import {
  formatMatchKeys,
  omitKey,
  parseMatchKeys,
  parseWords,
  type ProblemGroups,
} from './spec-edit';

type ExtrasProps = {
  spec: MappingSpec;
  confidence: readonly ColumnConfidence[];
  headers: string[];
  problems: ProblemGroups;
  onChange: (fn: (spec: MappingSpec) => MappingSpec) => void;
};

/** The spec without one optional part. */
function without(spec: MappingSpec, key: 'active' | 'groups' | 'manager' | 'match'): MappingSpec {
  return omitKey(spec, key);
}

function ColumnSelect({
  id,
  label,
  value,
  headers,
  onChange,
}: {
  id: string;
  label: string;
  value: string | undefined;
  headers: string[];
  onChange: (column: string | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => {
          onChange(e.target.value === '' ? undefined : e.target.value);
        }}
      >
        <option value="">Not mapped</option>
        {value !== undefined && !headers.includes(value) && (
          <option value={value}>{value} (not in this file)</option>
        )}
        {headers.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Status (active), groups, manager and match keys. */
export function MappingExtras({ spec, confidence, headers, problems, onChange }: ExtrasProps) {
  return (
    <div className="import-extras">
      <ActiveSection spec={spec} headers={headers} problems={problems.active} onChange={onChange} />
      <Why confidence={confidence} column={spec.active?.column} target="active" />
      <GroupsSection spec={spec} headers={headers} problems={problems.groups} onChange={onChange} />
      <Why confidence={confidence} column={spec.groups?.column} target="groups" />
      <ManagerSection
        spec={spec}
        headers={headers}
        problems={problems.manager}
        onChange={onChange}
      />
      <Why confidence={confidence} column={spec.manager?.column} target="manager.value" />
      <MatchSection spec={spec} problems={problems.match} onChange={onChange} />
    </div>
  );
}

/** The suggestion's reason for a status, groups or manager column, when it made one. */
function Why({
  confidence,
  column,
  target,
}: {
  confidence: readonly ColumnConfidence[];
  column: string | undefined;
  target: string;
}) {
  const c = confidence.find((x) => x.column === column && x.target?.endsWith(target));
  if (!c || column === undefined) return null;
  return (
    <p className="import-confidence import-extra-why">
      <span className={`badge ${c.score >= 0.8 ? 'badge-ok' : 'badge-warning'}`}>
        {Math.round(c.score * 100)}% sure
      </span>{' '}
      <span className="muted">
        {column}: {c.why}
      </span>
    </p>
  );
}

type SectionProps = {
  spec: MappingSpec;
  headers: string[];
  problems: MappingProblem[];
  onChange: ExtrasProps['onChange'];
};

function ActiveSection({ spec, headers, problems, onChange }: SectionProps) {
  const active = spec.active;
  const set = (fn: (a: ActiveMapping) => ActiveMapping) => {
    onChange((s) => (s.active ? { ...s, active: fn(s.active) } : s));
  };
  return (
    <fieldset className="import-extra" aria-describedby="import-active-hint">
      <legend>Status (active)</legend>
      <p id="import-active-hint" className="hint">
        Words in a status column become <code>active</code> true or false.
      </p>
      <ColumnSelect
        id="import-active-column"
        label="Status column"
        value={active?.column}
        headers={headers}
        onChange={(column) => {
          onChange((s) =>
            column === undefined
              ? without(s, 'active')
              : { ...s, active: { ...(s.active ?? {}), column } },
          );
        }}
      />
      {active && (
        <div className="field-row">
          <div className="field">
            <label htmlFor="import-active-true">Words meaning active</label>
            <DraftInput
              id="import-active-true"
              initial={active.trueWords?.join(', ') ?? ''}
              placeholder="Defaults: active, yes, true, enabled…"
              parse={parseWords}
              onCommit={(words) => {
                set((a) =>
                  words.length > 0 ? { ...a, trueWords: words } : omitKey(a, 'trueWords'),
                );
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="import-active-false">Words meaning inactive</label>
            <DraftInput
              id="import-active-false"
              initial={active.falseWords?.join(', ') ?? ''}
              placeholder="Defaults: inactive, terminated, no…"
              parse={parseWords}
              onCommit={(words) => {
                set((a) =>
                  words.length > 0 ? { ...a, falseWords: words } : omitKey(a, 'falseWords'),
                );
              }}
            />
          </div>
          <EmptyPolicyField
            id="import-active-empty"
            label="When the status is empty"
            value={active.empty}
            onChange={(empty) => {
              set((a) => (empty === undefined ? omitKey(a, 'empty') : { ...a, empty }));
            }}
          />
        </div>
      )}
      <InlineProblems id="import-active-problems" problems={problems} />
    </fieldset>
  );
}

function GroupsSection({ spec, headers, problems, onChange }: SectionProps) {
  const groups = spec.groups;
  const set = (patch: Partial<GroupsMapping>) => {
    onChange((s) => (s.groups ? { ...s, groups: { ...s.groups, ...patch } } : s));
  };
  return (
    <fieldset className="import-extra">
      <legend>Groups</legend>
      <ColumnSelect
        id="import-groups-column"
        label="Groups column"
        value={groups?.column}
        headers={headers}
        onChange={(column) => {
          onChange((s) =>
            column === undefined
              ? without(s, 'groups')
              : { ...s, groups: { delimiter: ';', mode: 'add', ...(s.groups ?? {}), column } },
          );
        }}
      />
      {groups && (
        <div className="field-row">
          <div className="field">
            <label htmlFor="import-groups-delimiter">Between group names</label>
            <select
              id="import-groups-delimiter"
              value={groups.delimiter ?? ';'}
              onChange={(e) => {
                const v = e.target.value;
                set({ delimiter: v === ',' || v === '|' ? v : ';' });
              }}
            >
              <option value=";">semicolon ;</option>
              <option value=",">comma ,</option>
              <option value="|">pipe |</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-groups-mode">Memberships</label>
            <select
              id="import-groups-mode"
              value={groups.mode ?? 'add'}
              aria-describedby="import-groups-mode-hint"
              onChange={(e) => {
                set({ mode: e.target.value === 'sync' ? 'sync' : 'add' });
              }}
            >
              <option value="add">Add only (add)</option>
              <option value="sync">Match the file exactly (sync)</option>
            </select>
            <p id="import-groups-mode-hint" className="hint">
              {groups.mode === 'sync'
                ? 'Users are also removed from groups the file does not list.'
                : 'Users are added to the groups listed; no membership is removed.'}
            </p>
          </div>
          <div className="field">
            <label htmlFor="import-groups-empty">When the cell is empty</label>
            <select
              id="import-groups-empty"
              value={groups.empty ?? 'keep'}
              onChange={(e) => {
                set({ empty: e.target.value === 'clear' ? 'clear' : 'keep' });
              }}
            >
              <option value="keep">Leave memberships alone</option>
              <option value="clear">In no group</option>
            </select>
          </div>
        </div>
      )}
      <InlineProblems id="import-groups-problems" problems={problems} />
    </fieldset>
  );
}

const MANAGER_KEYS: readonly { key: ManagerKey; label: string }[] = [
  { key: 'employeeNumber', label: 'Employee number' },
  { key: 'userName', label: 'User name' },
  { key: 'externalId', label: 'External id' },
  { key: 'email', label: 'Email' },
];

function ManagerSection({ spec, headers, problems, onChange }: SectionProps) {
  const manager = spec.manager;
  const set = (patch: Partial<ManagerMapping>) => {
    onChange((s) => (s.manager ? { ...s, manager: { ...s.manager, ...patch } } : s));
  };
  return (
    <fieldset className="import-extra">
      <legend>Manager</legend>
      <ColumnSelect
        id="import-manager-column"
        label="Manager column"
        value={manager?.column}
        headers={headers}
        onChange={(column) => {
          onChange((s) =>
            column === undefined
              ? without(s, 'manager')
              : { ...s, manager: { by: 'employeeNumber', ...(s.manager ?? {}), column } },
          );
        }}
      />
      {manager && (
        <div className="field-row">
          <div className="field">
            <label htmlFor="import-manager-by">The column holds the manager’s</label>
            <select
              id="import-manager-by"
              value={manager.by}
              onChange={(e) => {
                const k = MANAGER_KEYS.find((x) => x.key === e.target.value);
                if (k) set({ by: k.key });
              }}
            >
              {MANAGER_KEYS.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-manager-empty">When the cell is empty</label>
            <select
              id="import-manager-empty"
              value={manager.empty ?? 'keep'}
              onChange={(e) => {
                set({ empty: e.target.value === 'clear' ? 'clear' : 'keep' });
              }}
            >
              <option value="keep">Keep the server’s manager</option>
              <option value="clear">Remove the manager</option>
            </select>
          </div>
        </div>
      )}
      <InlineProblems id="import-manager-problems" problems={problems} />
    </fieldset>
  );
}

function MatchSection({
  spec,
  problems,
  onChange,
}: {
  spec: MappingSpec;
  problems: MappingProblem[];
  onChange: ExtrasProps['onChange'];
}) {
  return (
    <fieldset className="import-extra">
      <legend>Match keys</legend>
      <div className="field">
        <label htmlFor="import-match-keys">How rows find their existing account</label>
        <DraftInput
          id="import-match-keys"
          multiline
          rows={3}
          spellCheck={false}
          aria-describedby="import-match-hint"
          initial={formatMatchKeys(spec.match?.keys ?? [])}
          parse={parseMatchKeys}
          onCommit={(keys) => {
            onChange((s) => (keys.length > 0 ? { ...s, match: { keys } } : without(s, 'match')));
          }}
        />
        <p id="import-match-hint" className="hint">
          One key per line, tried in order; join attributes that must all match with +. Every
          attribute must be a target above. Empty: externalId, then userName.
        </p>
      </div>
      <InlineProblems id="import-match-problems" problems={problems} />
    </fieldset>
  );
}
