import type { ErrorPayload } from '../errors/payload';
import type { Result } from '../util/result';
import { isChannel, isEventName, type Channel, type EventName } from './channels';
import type { EventOf, RequestOf, ResponseOf } from './contract';

/**
 * How the bridge reaches main: `ipcRenderer` in the preload, HTTP + SSE in the e2e harness.
 * Must never hand the page anything but the payload (no Electron event, no sender).
 */
export type BridgeTransport = {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The file-system path of a file dropped on the window (Electron's webUtils). */
  pathForFile?(file: File): string;
};

/** Everything the renderer can do with main: one typed invoke and one typed subscribe. */
export type ScimPorterApi = {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  /** Path of a dropped file; '' when it has none (e.g. dragged from a browser). */
  pathForFile(file: File): string;
};

function failure(code: ErrorPayload['code'], message: string, raw?: string): Result<never> {
  return { ok: false, error: { code, message, ...(raw !== undefined ? { raw } : {}) } };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  return value.ok === true ? 'value' in value : value.ok === false && 'error' in value;
}

/**
 * Builds the API exposed as `window.scimPorter`. Refuses any channel or event not in
 * channels.ts (an allowlist, so nothing else can be reached even by a compromised page), and turns
 * transport failures into `Result` failures so the UI has one error path.
 */
export function createBridge(transport: BridgeTransport): ScimPorterApi {
  const api: ScimPorterApi = {
    pathForFile(file) {
      try {
        return transport.pathForFile?.(file) ?? '';
      } catch {
        return '';
      }
    },
    async invoke(channel, request) {
      if (!isChannel(channel)) {
        return failure('invalid_request', `"${String(channel)}" is not a SCIM Porter channel.`);
      }
      let answer: unknown;
      try {
        answer = await transport.invoke(channel, request);
      } catch (e) {
        return failure(
          'internal',
          'SCIM Porter could not reach its background process.',
          e instanceof Error ? e.message : String(e),
        );
      }
      if (!isResult(answer)) {
        return failure('internal', 'SCIM Porter received an answer it did not understand.');
      }
      // The router validated the request and built this envelope from the contract.
      return answer as Result<ResponseOf<typeof channel>>;
    },
    on(event, listener) {
      if (!isEventName(event)) {
        throw new TypeError(`"${String(event)}" is not a SCIM Porter event.`);
      }
      if (typeof listener !== 'function') {
        throw new TypeError('The listener must be a function.');
      }
      const unsubscribe = transport.on(event, (payload) => {
        listener(payload as EventOf<typeof event>);
      });
      let active = true;
      return () => {
        if (active) {
          active = false;
          unsubscribe();
        }
      };
    },
  };
  return Object.freeze(api);
}
