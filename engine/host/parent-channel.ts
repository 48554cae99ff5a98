import type { ParentChannel } from './engine-process';

/** Electron's `process.parentPort` in a utilityProcess (typed here so the engine needs no Electron). */
type ParentPortLike = {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
};

type ProcessLike = {
  parentPort?: ParentPortLike;
  send?: (message: unknown, callback: (error: Error | null) => void) => boolean;
  connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
};

/**
 * The engine process's channel to main: Electron's `process.parentPort` when it runs as a
 * utilityProcess, Node's IPC channel (`process.send`) when a Node parent forked it (tests, bench).
 * Throws when there is neither, e.g. when the bundle was started by hand.
 */
export function connectToParent(proc: ProcessLike): ParentChannel {
  const port = proc.parentPort;
  if (port) {
    return {
      post: (message) => {
        port.postMessage(message);
      },
      onMessage: (listener) => {
        port.on('message', (event) => {
          listener(event.data);
        });
      },
      // Electron ends a utility process together with the app; there is no close to watch.
      onClose: () => undefined,
    };
  }
  const send = proc.send?.bind(proc);
  if (!send) {
    throw new Error(
      'The SCIM Porter engine process must be started by the app (or a test host), not by hand.',
    );
  }
  return {
    post: (message) => {
      if (proc.connected === false) throw new Error('The channel to the app is closed.');
      // With a callback, a failed send is reported there instead of as an 'error' event.
      send(message, () => undefined);
    },
    onMessage: (listener) => {
      proc.on('message', listener);
    },
    onClose: (listener) => {
      proc.on('disconnect', listener);
    },
  };
}
