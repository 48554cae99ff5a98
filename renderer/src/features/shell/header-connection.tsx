import { useConnectionsStore } from '../connections/connections-store';
import { EnvironmentBadge } from '../connections/environment-badge';
import { useExportStore } from '../export/export-store';
import { useImportStore } from '../import/import-store';
import { useSweepStore } from '../sweep/sweep-store';
import type { Screen } from './nav-store';

/** The id of the connection the current screen reads from or writes to, if any. */
function useScreenConnectionId(screen: Screen): string | undefined {
  const selected = useConnectionsStore((s) => s.selectedId);
  const importing = useImportStore((s) => s.connectionId);
  const exporting = useExportStore((s) => s.connectionId);
  const sweeping = useSweepStore((s) => s.connectionId);
  const byScreen: Record<Screen, string | undefined> = {
    connections: selected,
    import: importing,
    export: exporting,
    sweep: sweeping,
    runs: undefined,
  };
  return byScreen[screen];
}

/** The header line naming the connection in use and its environment, on every screen. */
export function HeaderConnection({ screen }: { screen: Screen }) {
  const id = useScreenConnectionId(screen);
  const connection = useConnectionsStore((s) => s.connections.find((c) => c.id === id));
  if (!connection) return null;
  return (
    <p className="header-connection" data-testid="header-connection">
      <span>{screen === 'connections' ? 'Selected connection' : 'Connection in use'}</span>
      <EnvironmentBadge of={connection} name={connection.name} />
      <span className="connection-url">{connection.baseUrl}</span>
    </p>
  );
}
