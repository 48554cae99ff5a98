/**
 * Ctrl+C and SIGTERM. The first signal aborts the command's AbortSignal: the engine lets the
 * requests in flight finish (and journals them), writes what it has, and the command says how to
 * continue. A second signal exits at once (130); an apply stopped that way is still resumable
 * from its journal.
 */
export const EXIT_INTERRUPTED = 130;

type Interrupt = {
  signal: AbortSignal;
  /** Removes the handlers (the command is over). */
  dispose(): void;
};

type SignalSource = {
  on(event: NodeJS.Signals, listener: () => void): unknown;
  off(event: NodeJS.Signals, listener: () => void): unknown;
};

export function watchInterrupts(
  say: (line: string) => void,
  exit: (code: number) => void,
  source: SignalSource = process,
): Interrupt {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      say('Stopped at once; an apply can still be resumed from its journal.');
      exit(EXIT_INTERRUPTED);
      return;
    }
    say('Stopping safely: requests in flight finish first (Ctrl+C again to stop at once)…');
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) source.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) source.off(s, onSignal);
    },
  };
}
