import type { ErrorCode, ErrorPayload } from './payload';

type Facts = Omit<ErrorPayload, 'code' | 'message'>;

/** Base of every error the engine throws on purpose. `toPayload()` is what crosses IPC. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly facts: Facts;

  constructor(code: ErrorCode, message: string, facts: Facts = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.facts = facts;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, ...this.facts };
  }
}

/** The codes a non-2xx answer can carry: what the status (and body) say the cause is. */
export type HttpErrorCode = Extract<
  ErrorCode,
  'scim_http' | 'rate_limited' | 'auth' | 'not_found' | 'precondition_failed' | 'not_scim'
>;

/**
 * A SCIM server answered with a non-2xx status (RFC 7644 §3.12). Every such answer is one of these,
 * whatever the status: `status`, `scimType` and `detail` are always read the same way, and `code`
 * names the cause the admin can act on (throttled, credentials, absent, changed, not SCIM, other).
 */
export class ScimHttpError extends AppError {
  declare readonly code: HttpErrorCode;

  constructor(
    message: string,
    facts: Facts & { status: number },
    options?: { cause?: unknown; code?: HttpErrorCode },
  ) {
    super(options?.code ?? 'scim_http', message, facts, options);
    this.name = 'ScimHttpError';
  }
  get status(): number {
    return this.facts.status ?? 0;
  }
  get scimType(): string | undefined {
    return this.facts.scimType;
  }
  get detail(): string | undefined {
    return this.facts.detail;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Turns anything thrown into a payload; unknown errors become `internal` with a safe message. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (e instanceof AppError) return e.toPayload();
  const message = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal',
    message: 'Something unexpected went wrong inside SCIM Porter.',
    nextStep: 'Try again; if it keeps happening, report it with the detail below.',
    raw: message.slice(0, 2000),
  };
}
