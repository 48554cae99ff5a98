/** Documented exit codes of `scim-porter` (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  partial: 3,
} as const;

/** Thrown for wrong command-line usage; printed with the usage hint and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
