import type { TargetAttribute } from '../../../../shared/ipc/schemas/import';

type AttributePickerProps = {
  targets: TargetAttribute[];
  all: boolean;
  selected: string[];
  search: string;
  loading: boolean;
  onAll: (all: boolean) => void;
  onToggle: (path: string, on: boolean) => void;
  onSearch: (search: string) => void;
};

/** "All attributes", or a searchable checkbox list of the server's attributes. */
export function AttributePicker(props: AttributePickerProps) {
  const { targets, all, selected, search, loading } = props;
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? targets.filter(
        (t) =>
          t.path.toLowerCase().includes(needle) ||
          (t.description ?? '').toLowerCase().includes(needle),
      )
    : targets;
  return (
    <fieldset className="export-attributes">
      <legend>Attributes</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => {
            props.onAll(e.target.checked);
          }}
        />
        All attributes
      </label>
      {!all && (
        <>
          <div className="field">
            <label htmlFor="export-attr-search">Search attributes</label>
            <input
              id="export-attr-search"
              type="search"
              value={search}
              onChange={(e) => {
                props.onSearch(e.target.value);
              }}
            />
          </div>
          <p className="hint" aria-live="polite">
            {selected.length === 0
              ? 'No attribute chosen yet: every attribute will be exported.'
              : `${selected.length} chosen: ${selected.join(', ')}`}
          </p>
          {loading && <p className="muted">Loading the server’s attributes…</p>}
          <ul className="export-attr-list" aria-label="Attributes to export">
            {shown.map((t) => (
              <li key={t.path}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={selected.includes(t.path)}
                    onChange={(e) => {
                      props.onToggle(t.path, e.target.checked);
                    }}
                  />
                  <code>{t.path}</code>
                  {t.required && <span className="badge badge-warning">required</span>}
                </label>
              </li>
            ))}
            {!loading && shown.length === 0 && (
              <li className="muted">No attribute matches “{search}”.</li>
            )}
          </ul>
        </>
      )}
    </fieldset>
  );
}
