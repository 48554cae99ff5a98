import { useEffect } from 'react';
import { useConnectionsStore } from '../features/connections/connections-store';

type ConnectionPickerProps = {
  id: string;
  value: string | undefined;
  onChange: (id: string) => void;
  label?: string;
};

/** Chooses one of the saved connections (the Local sandbox first); loads them when needed. */
export function ConnectionPicker({ id, value, onChange, label = 'Server' }: ConnectionPickerProps) {
  const connections = useConnectionsStore((s) => s.connections);
  const loaded = useConnectionsStore((s) => s.loaded);
  const load = useConnectionsStore((s) => s.load);
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  useEffect(() => {
    const first = connections[0];
    if (value === undefined && first) onChange(first.id);
  }, [connections, value, onChange]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        {connections.length === 0 && <option value="">No connections yet</option>}
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} — {c.baseUrl}
          </option>
        ))}
      </select>
    </div>
  );
}
