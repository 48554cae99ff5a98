/**
 * Closed set of error codes. Each names a cause the user can act on; `describeError` turns a
 * payload into the sentence shown in the UI, the CLI and reports.
 */
export const ERROR_CODES = [
  'invalid_url',
  'network',
  'tls',
  'timeout',
  'auth',
  'scim_http',
  'not_scim',
  'rate_limited',
  'outcome_unknown',
  'precondition_failed',
  'bulk_rejected',
  'not_found',
  'invalid_request',
  'invalid_filter',
  'incomplete_read',
  'read_mismatch',
  'config',
  'input',
  'secret_unavailable',
  'cancelled',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** RFC 7644 §3.12 scimType keywords plus the RFC 9865 cursor ones. */
export const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
  'invalidCursor',
  'expiredCursor',
  'invalidCount',
] as const;

export type ScimType = (typeof SCIM_TYPES)[number];

/** Plain-JSON form of an error: crosses IPC, goes into reports and `--json` output. Never holds secrets. */
export type ErrorPayload = {
  code: ErrorCode;
  /** One sentence naming the cause. */
  message: string;
  /** What the user can do next. */
  nextStep?: string;
  /** HTTP status, when a server answered. */
  status?: number;
  /** SCIM `scimType` as the server sent it (may be outside the RFC list). */
  scimType?: string;
  /** SCIM `detail` as the server sent it. */
  detail?: string;
  method?: string;
  /** URL without query-string secrets. */
  url?: string;
  /** Raw server answer, truncated and scrubbed of secrets. */
  raw?: string;
  /** For `outcome_unknown`: how to look the resource up before retrying (e.g. `userName eq "a@b"`). */
  lookupKey?: string;
  /** For `rate_limited`: how long the server asked us to wait. */
  retryAfterMs?: number;
  /** For `invalid_request`: the dotted paths of the fields that failed validation (never their values). */
  fields?: string[];
  /**
   * For `input` errors about where a CSV's table starts: the read options that fix it — skip the
   * title lines above the header (`skipLines`), or read a file that has no header row
   * (`header: false`).
   */
  csvFix?: { skipLines?: number; header?: boolean };
};
