import type { ErrorPayload } from '../../shared/errors/payload';

/** How the engine process ended, in words (`exit code 1`, `signal SIGKILL`). */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `signal ${signal}`;
  return code === null ? 'no exit code' : `exit code ${code}`;
}

/** The answer to an invoke the engine process never answered because it stopped. */
export function crashedInvoke(channel: string, exit: string): ErrorPayload {
  return {
    code: 'internal',
    message: "SCIM Porter's engine stopped unexpectedly before it answered.",
    nextStep:
      'It has been started again: try once more. A run that was going on can be resumed from the Runs screen.',
    raw: `channel: ${channel}; ${exit}`,
  };
}

/** The error of a job that was running when the engine process stopped. */
export function interruptedJob(exit: string): ErrorPayload {
  return {
    code: 'internal',
    message: "SCIM Porter's engine stopped unexpectedly while this job ran.",
    nextStep:
      'A run can be resumed from the Runs screen (nothing it did is lost); a plan or an export has to be started again.',
    raw: exit,
  };
}

/** What the window is told after the engine process was started again. */
export const RESTARTED_NOTICE =
  "SCIM Porter's engine stopped unexpectedly and has been started again. Files you had chosen " +
  'must be chosen again, and an interrupted run can be resumed from the Runs screen.';

/** The answer to every request once the engine process has stopped too often to restart it. */
export function keepsStopping(crashes: number, windowMs: number, exit: string): ErrorPayload {
  return {
    code: 'internal',
    message: `SCIM Porter's engine stopped ${crashes} times within ${Math.round(windowMs / 1000)} seconds, so it was not started again.`,
    nextStep:
      'Quit and reopen SCIM Porter; if it keeps happening, report it with the detail below.',
    raw: `last stop: ${exit}`,
  };
}

/** The answer to every request when the engine process could not start at all. */
export function couldNotStart(cause: ErrorPayload): ErrorPayload {
  return {
    ...cause,
    message: `SCIM Porter's engine could not start: ${cause.message}`,
  };
}

/** The answer to requests still open while the app quits. */
export const CLOSING: ErrorPayload = {
  code: 'cancelled',
  message: 'SCIM Porter is closing, so this request was not finished.',
};

/** How many unexpected stops within how long are restarted before the host gives up. */
export type RestartPolicy = { maxRestarts: number; windowMs: number };

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 60_000 };

/** How many of `stops` (times in ms, the latest included) fall within the policy's window. */
export function recentStops(stops: readonly number[], now: number, policy: RestartPolicy): number {
  return stops.filter((t) => now - t < policy.windowMs).length;
}
