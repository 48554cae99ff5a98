import type { EmptyPolicy } from '../../../../shared/mapping/spec';

type EmptyPolicyFieldProps = {
  id: string;
  /** Visible label, e.g. "When the cell is empty". */
  label: string;
  value: EmptyPolicy | undefined;
  onChange: (value: EmptyPolicy | undefined) => void;
  /** Offer "use a default value" (attributes and status; not groups or manager). */
  allowDefault?: boolean;
  /** Keep the label for assistive technology only (the mapping table's column header shows it). */
  hideLabel?: boolean;
};

/** keep / clear / a default value, for what an empty cell means. */
export function EmptyPolicyField({
  id,
  label,
  value,
  onChange,
  allowDefault = true,
  hideLabel = false,
}: EmptyPolicyFieldProps) {
  const kind = value === undefined ? 'keep' : typeof value === 'string' ? value : 'default';
  return (
    <div className="import-empty">
      <div className="field">
        <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
          {label}
        </label>
        <select
          id={id}
          title={
            hideLabel ? `${label}: keep the server’s value, clear it, or use a default` : undefined
          }
          value={kind}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'clear') onChange('clear');
            else if (v === 'default') onChange({ default: '' });
            else onChange(undefined);
          }}
        >
          <option value="keep">{hideLabel ? 'Keep as is' : 'Keep the server’s value'}</option>
          <option value="clear">{hideLabel ? 'Clear it' : 'Clear the value on the server'}</option>
          {allowDefault && (
            <option value="default">{hideLabel ? 'Use default' : 'Use a default value'}</option>
          )}
        </select>
      </div>
      {typeof value === 'object' && (
        <div className="field">
          <label htmlFor={`${id}-default`} className={hideLabel ? 'visually-hidden' : undefined}>
            Default value
          </label>
          <input
            id={`${id}-default`}
            placeholder={hideLabel ? 'Default value' : undefined}
            value={value.default}
            onChange={(e) => {
              onChange({ default: e.target.value });
            }}
          />
        </div>
      )}
    </div>
  );
}
