/**
 * Maps a non-2xx (or non-SCIM) HTTP answer to a typed AppError carrying the facts the UI shows:
 * status, scimType, detail, method, URL without secrets and the raw answer, scrubbed and truncated.
 */
import { AppError, ScimHttpError, type HttpErrorCode } from '../../../shared/errors/errors';
import type { ErrorPayload } from '../../../shared/errors/payload';
import { defaultRedactor, type Redactor } from '../../log/redact';
import {
  findKeyCaseInsensitive,
  isQuotaForbidden,
  parseBody,
  toInteger,
  type ParsedBody,
} from '../quirks/wire';
import { parseRetryAfter } from './retry';

/** How much of a raw answer is kept in errors. */
export const RAW_LIMIT = 2048;

export type ErrorContext = {
  method: string;
  /** URL of the request; scrubbed before it is stored. */
  url: string;
  redactor?: Redactor;
  /** The proxy the request went through: a failure to connect is then the proxy's, not the server's. */
  proxyUrl?: string;
};

type HttpAnswer = {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
};

type Facts = Omit<ErrorPayload, 'code' | 'message'>;

/** SCIM error members (RFC 7644 §3.12), read leniently. */
type ScimErrorBody = { status?: number; scimType?: string; detail?: string };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * Reads `status`, `scimType` and `detail` from a SCIM error body (status may be a string or a
 * number). For non-SCIM JSON errors (`{"message": …}`, OAuth-style `error_description`) the most
 * descriptive text becomes `detail`.
 */
export function readScimError(value: unknown): ScimErrorBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const obj = value as Record<string, unknown>;
  const get = (name: string): unknown => {
    const key = findKeyCaseInsensitive(obj, name);
    return key === undefined ? undefined : obj[key];
  };
  const status = toInteger(get('status'));
  const scimType = str(get('scimType'));
  let detail = str(get('detail'));
  if (!detail) {
    const nested = get('error');
    detail =
      str(get('error_description')) ??
      str(get('message')) ??
      (typeof nested === 'object' && nested !== null
        ? str((nested as Record<string, unknown>)['message'])
        : str(nested)) ??
      str(get('title'));
  }
  return {
    ...(status !== undefined ? { status } : {}),
    ...(scimType ? { scimType } : {}),
    ...(detail ? { detail: detail.slice(0, 1000) } : {}),
  };
}

function describeNotJson(parsed: Extract<ParsedBody, { kind: 'not-json' }>): string {
  switch (parsed.looksLike) {
    case 'html':
      return parsed.title ? `an HTML page (title: "${parsed.title}")` : 'an HTML page';
    case 'xml':
      return 'an XML document';
    case 'binary':
      return 'binary data';
    case 'broken-json':
      return 'broken or truncated JSON';
    case 'text': {
      const first = parsed.text.trim().split(/\r?\n/)[0]?.slice(0, 80) ?? '';
      return first ? `plain text ("${first}")` : 'plain text';
    }
  }
}

/** The sentence and facts of an answer that is not SCIM JSON (login pages, proxy errors, …). */
function notScim(
  status: number,
  parsed: Extract<ParsedBody, { kind: 'not-json' }>,
  ctx: ErrorContext,
): { message: string; facts: Facts & { status: number } } {
  const redactor = ctx.redactor ?? defaultRedactor;
  return {
    message: `The server answered ${ctx.method} ${pathOf(ctx.url)} with ${describeNotJson(parsed)}, not SCIM JSON (HTTP ${status}).`,
    facts: {
      status,
      method: ctx.method,
      url: redactor.url(ctx.url),
      raw: truncate(redactor.text(parsed.text)),
    },
  };
}

/** A `not_scim` error for a 2xx answer that is not SCIM JSON (not an HTTP failure). */
export function notScimError(
  status: number,
  parsed: Extract<ParsedBody, { kind: 'not-json' }>,
  ctx: ErrorContext,
): AppError {
  const { message, facts } = notScim(status, parsed, ctx);
  return new AppError('not_scim', message, facts);
}

function truncate(text: string): string {
  return text.length > RAW_LIMIT
    ? `${text.slice(0, RAW_LIMIT)}… [${text.length - RAW_LIMIT} more characters]`
    : text;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** What a refusal is called and which code it gets (none: `scim_http`); `more` adds facts. */
type Verdict = { message: string; code?: HttpErrorCode; more?: Partial<Facts> };

/** Throttling, refused credentials, nothing there, a stale version: said by the status alone. */
function statusVerdict(answer: HttpAnswer, where: string, now: number): Verdict | undefined {
  const { status } = answer;
  if (status === 429 || isQuotaForbidden(status, answer.text)) {
    const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], now);
    return {
      message: `The server is throttling requests (HTTP ${status}) and refused ${where}.`,
      code: 'rate_limited',
      ...(retryAfterMs !== undefined ? { more: { retryAfterMs } } : {}),
    };
  }
  switch (status) {
    case 401:
      return {
        message: `The server rejected the credentials for ${where} (HTTP 401).`,
        code: 'auth',
      };
    case 403:
      return {
        message: `The credentials were accepted but lack permission for ${where} (HTTP 403).`,
        code: 'auth',
      };
    case 404:
      return { message: `The server has nothing at ${where} (HTTP 404).`, code: 'not_found' };
    case 412:
      return {
        message: `The resource changed on the server since it was read, so ${where} was refused (HTTP 412).`,
        code: 'precondition_failed',
      };
  }
  return undefined;
}

/** A SCIM refusal of any other status: conflicts, too large, server failures, the rest. */
function refusalVerdict(status: number, where: string, scim: ScimErrorBody): Verdict {
  if (status === 409) {
    const what =
      scim.scimType === 'uniqueness'
        ? 'a resource with the same unique value already exists'
        : 'it conflicts with existing data';
    return { message: `The server refused ${where} because ${what} (HTTP 409).` };
  }
  if (status === 413) {
    return {
      message: `The server refused ${where} because the request is too large (HTTP 413); send fewer operations per bulk request or smaller payloads.`,
      more: {
        nextStep: 'Lower the bulk size (operations per request) for this connection and try again.',
      },
    };
  }
  if (status >= 500)
    return { message: `The server failed while handling ${where} (HTTP ${status}).` };
  return { message: `The server refused ${where} (HTTP ${status}).` };
}

/** The facts every refusal carries: where, the SCIM error members and the raw answer, scrubbed. */
function answerFacts(
  answer: HttpAnswer,
  scim: ScimErrorBody,
  ctx: ErrorContext,
): Facts & { status: number } {
  const redactor = ctx.redactor ?? defaultRedactor;
  return {
    status: answer.status,
    method: ctx.method,
    url: redactor.url(ctx.url),
    ...(scim.scimType ? { scimType: scim.scimType } : {}),
    ...(scim.detail ? { detail: redactor.text(scim.detail) } : {}),
    ...(answer.text.trim() ? { raw: truncate(redactor.text(answer.text)) } : {}),
  };
}

/**
 * Maps a non-2xx answer to a {@link ScimHttpError} (RFC 7644 §3.12 statuses), its code naming the
 * cause. Non-JSON answers become `not_scim` unless the status itself says enough (401/403/404/429
 * keep their own codes).
 */
export function errorFromResponse(
  answer: HttpAnswer,
  ctx: ErrorContext,
  now: number = Date.now(),
): ScimHttpError {
  const parsed = parseBody(answer.text, answer.headers['content-type']);
  const scim = parsed.kind === 'json' ? readScimError(parsed.value) : {};
  const where = `${ctx.method} ${pathOf(ctx.url)}`;
  let verdict = statusVerdict(answer, where, now);
  if (!verdict && parsed.kind === 'not-json') {
    const { message, facts } = notScim(answer.status, parsed, ctx);
    return new ScimHttpError(message, facts, { code: 'not_scim' });
  }
  verdict ??= refusalVerdict(answer.status, where, scim);
  const facts = { ...answerFacts(answer, scim, ctx), ...verdict.more };
  return new ScimHttpError(
    verdict.message,
    facts,
    verdict.code ? { code: verdict.code } : undefined,
  );
}
