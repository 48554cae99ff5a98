import { createBridge, type BridgeTransport, type ScimPorterApi } from '../../shared/ipc/bridge';

/**
 * The e2e twin of electron/preload: the same createBridge, over HTTP + SSE to node-host.ts
 * instead of ipcRenderer. Bundled to an IIFE at test start and installed with addInitScript.
 */
type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
let source: EventSource | undefined;

function ensureStream(): void {
  if (source) return;
  source = new EventSource('/__bridge/events');
  source.onmessage = (message: MessageEvent<string>) => {
    const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
}

const transport: BridgeTransport = {
  async invoke(channel, request) {
    const response = await fetch('/__bridge/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, request }),
    });
    if (!response.ok) throw new Error(`bridge answered HTTP ${response.status}`);
    return (await response.json()) as unknown;
  },
  // Tests say which path a dropped file stands for (a browser has no paths for dropped files).
  pathForFile(file) {
    const paths = (window as unknown as { __e2eDropPaths?: Record<string, string> }).__e2eDropPaths;
    const path = paths?.[file.name] ?? '';
    if (path) {
      // Synchronous, like the preload's ordered IPC: the grant lands before the next request.
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/__bridge/dropped', false);
      xhr.send(path);
    }
    return path;
  },
  on(event, listener) {
    ensureStream();
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener);
    };
  },
};

const api = createBridge(transport) satisfies ScimPorterApi;
Object.defineProperty(window, 'scimPorter', { value: api, writable: false, configurable: false });
