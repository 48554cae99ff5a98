import type { EngineChild } from '../../../../engine/host/engine-host';
import type { ToEngine } from '../../../../engine/host/protocol';

/** An engine process played by the test: it records what main sent and says what the test wants. */
export type FakeChild = EngineChild & {
  /** Every message main posted to this process, in order. */
  received: ToEngine[];
  /** Delivers `message` to main as if the engine process had posted it. */
  say(message: unknown): void;
  /** Ends the process as the OS would report it. */
  exit(code: number | null, signal?: string | null): void;
  kills: number;
  /** Makes the next post throw, like a message that cannot be cloned. */
  failNextPost(reason: string): void;
};

export function createFakeChild(pid: number): FakeChild {
  let onMessage: ((m: unknown) => void) | undefined;
  let onExit: ((code: number | null, signal: string | null) => void) | undefined;
  let alive = true;
  let failure: string | undefined;
  const child: FakeChild = {
    received: [],
    kills: 0,
    get pid() {
      return alive ? pid : undefined;
    },
    post(message) {
      if (failure !== undefined) {
        const reason = failure;
        failure = undefined;
        throw new Error(reason);
      }
      if (!alive) throw new Error('The engine process has exited.');
      // What crosses a real channel is a structured clone, never the sender's object.
      child.received.push(structuredClone(message));
    },
    onMessage(listener) {
      onMessage = listener;
    },
    onExit(listener) {
      onExit = listener;
    },
    kill() {
      child.kills += 1;
    },
    say(message) {
      onMessage?.(structuredClone(message));
    },
    exit(code, signal = null) {
      alive = false;
      onExit?.(code, signal);
    },
    failNextPost(reason) {
      failure = reason;
    },
  };
  return child;
}

/** Lets pending promise callbacks and immediates run (no wall-clock time involved). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
