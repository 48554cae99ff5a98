import type { ScimType } from '../shared/errors/payload';

/**
 * A request the sandbox refuses, carrying what goes into the RFC 7644 §3.12 error body. Thrown by
 * the store and the request handlers; turned into an HTTP answer in one place (`http-io.ts`).
 */
export class SandboxError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = 'SandboxError';
    this.status = status;
    this.scimType = scimType;
  }
}

/** 400 with a scimType: the common case. */
export function badRequest(scimType: ScimType, detail: string): SandboxError {
  return new SandboxError(400, detail, scimType);
}
