import type { ScimPorterApi } from '../../../shared/ipc/bridge';
import type { Channel, EventName } from '../../../shared/ipc/channels';
import type { EventOf, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/util/result';

const NO_BRIDGE: Result<never> = {
  ok: false,
  error: {
    code: 'internal',
    message: 'This page is not running inside SCIM Porter, so it cannot reach the engine.',
    nextStep: 'Open SCIM Porter itself rather than its page in a browser.',
  },
};

// Read once: the bridge is installed before any page script runs and never changes.
const api: ScimPorterApi | undefined = window.scimPorter;

function invoke<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<Result<ResponseOf<C>>> {
  return api ? api.invoke(channel, request) : Promise.resolve(NO_BRIDGE);
}

/** The renderer's only way to main. Every call resolves to a Result; none throws. */
export const client = {
  invoke,
  appInfo: () => invoke('app:info', {}),
  listConnections: () => invoke('connections:list', {}),
  saveConnection: (request: RequestOf<'connections:save'>) => invoke('connections:save', request),
  removeConnection: (id: string) => invoke('connections:remove', { id }),
  testConnection: (request: RequestOf<'connections:test'>) => invoke('connections:test', request),
  /** Path of a file dropped on the window ('' when it has none). */
  pathForFile: (file: File): string => (api ? api.pathForFile(file) : ''),
  /** Subscribes to an engine event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return api ? api.on(event, listener) : () => undefined;
  },
};
