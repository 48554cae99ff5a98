/** Calls `tick` every `everyMs` until the returned function is called; injectable for tests. */
export type Ticker = (everyMs: number, tick: () => void) => () => void;

/** A {@link Ticker} on setInterval that does not keep the process alive. */
export const realTicker: Ticker = (everyMs, tick) => {
  const handle = setInterval(tick, everyMs);
  handle.unref();
  return () => {
    clearInterval(handle);
  };
};
