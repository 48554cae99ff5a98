import { cancelledError } from './timers';

/** How a request that held a slot ended, as far as the limiter cares. */
export type SlotOutcome = 'success' | 'throttled' | 'neutral';

export type Slot = {
  /** Gives the slot back and feeds the outcome into the limit. Safe to call twice (second is ignored). */
  release(outcome: SlotOutcome): void;
};

export type ConcurrencyLimiter = {
  /** Waits (FIFO) for a free slot; rejects with `cancelled` when `signal` aborts while queued. */
  acquire(signal?: AbortSignal): Promise<Slot>;
  /** The current adaptive limit. */
  limit(): number;
  /** Slots currently held. */
  inFlight(): number;
};

type ConcurrencyOptions = {
  maxConcurrency: number;
  /** Starting limit; default min(4, max). */
  initial?: number;
};

type Waiter = {
  resolve: (slot: Slot) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
};

/**
 * AIMD concurrency limiter (additive increase, multiplicative decrease, as TCP congestion control):
 * +1 after a full window of successes (window = current limit) up to `maxConcurrency`; halves
 * (not below 1) when the server throttles (429/503). Only one decrease per "epoch": requests that
 * started before the last decrease do not halve again, so one burst of 429s from eight in-flight
 * requests halves once rather than eight times.
 */
export function createConcurrencyLimiter(options: ConcurrencyOptions): ConcurrencyLimiter {
  const max = Math.max(1, Math.floor(options.maxConcurrency));
  let current = Math.min(max, Math.max(1, Math.floor(options.initial ?? Math.min(4, max))));
  let held = 0;
  let successes = 0;
  let epoch = 0;
  const queue: Waiter[] = [];

  const makeSlot = (): Slot => {
    const startedIn = epoch;
    let released = false;
    return {
      release(outcome) {
        if (released) return;
        released = true;
        held -= 1;
        if (outcome === 'throttled') {
          if (startedIn === epoch) {
            current = Math.max(1, Math.floor(current / 2));
            epoch += 1;
            successes = 0;
          }
        } else if (outcome === 'success') {
          successes += 1;
          if (successes >= current && current < max) {
            current += 1;
            successes = 0;
          }
        }
        drain();
      },
    };
  };

  const drain = (): void => {
    while (held < current && queue.length > 0) {
      const w = queue.shift();
      if (!w) break;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      held += 1;
      w.resolve(makeSlot());
    }
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(cancelledError(signal));
      if (held < current && queue.length === 0) {
        held += 1;
        return Promise.resolve(makeSlot());
      }
      return new Promise<Slot>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) };
        if (signal) {
          waiter.onAbort = () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(cancelledError(signal));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        queue.push(waiter);
      });
    },
    limit: () => current,
    inFlight: () => held,
  };
}
