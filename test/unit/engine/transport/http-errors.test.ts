import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../../engine/log/redact';
import {
  errorFromResponse,
  readScimError,
  RAW_LIMIT,
} from '../../../../engine/scim/transport/http-errors';
import {
  classifyFailure,
  errorFromFailure,
  RequestTimeoutError,
} from '../../../../engine/scim/transport/network-errors';
import { ScimHttpError } from '../../../../shared/errors/errors';

const ctx = { method: 'POST', url: 'https://scim.example.com/v2/Users?access_token=abc123secret' };
const scimJson = { 'content-type': 'application/scim+json' };
const errorBody = (status: string | number, scimType?: string, detail?: string): string =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status,
    scimType,
    detail,
  });

describe('readScimError', () => {
  it('accepts status as a string or a number', () => {
    expect(readScimError({ status: '409', scimType: 'uniqueness', detail: 'taken' })).toEqual({
      status: 409,
      scimType: 'uniqueness',
      detail: 'taken',
    });
    expect(readScimError({ status: 400 })).toEqual({ status: 400 });
  });
  it('falls back to message / error_description for non-SCIM JSON errors', () => {
    expect(readScimError({ message: 'Invalid token' }).detail).toBe('Invalid token');
    expect(readScimError({ error: 'invalid_token', error_description: 'expired' }).detail).toBe(
      'expired',
    );
    expect(readScimError({ error: { message: 'nested' } }).detail).toBe('nested');
  });
});

describe('errorFromResponse', () => {
  it('makes every non-2xx answer one ScimHttpError with status, scimType and detail kept', () => {
    const cases: [number, string, string][] = [
      [400, 'invalidValue', 'scim_http'],
      [401, 'invalidValue', 'auth'],
      [403, 'invalidValue', 'auth'],
      [404, 'noTarget', 'not_found'],
      [409, 'uniqueness', 'scim_http'],
      [412, 'invalidVers', 'precondition_failed'],
      [413, 'tooMany', 'scim_http'],
      [429, 'tooMany', 'rate_limited'],
      [500, 'invalidValue', 'scim_http'],
      [503, 'invalidValue', 'scim_http'],
    ];
    for (const [status, scimType, code] of cases) {
      const e = errorFromResponse(
        {
          status,
          headers: scimJson,
          text: errorBody(String(status), scimType, `detail ${status}`),
        },
        ctx,
      );
      expect(e).toBeInstanceOf(ScimHttpError);
      expect({ code: e.code, status: e.status, scimType: e.scimType, detail: e.detail }).toEqual({
        code,
        status,
        scimType,
        detail: `detail ${status}`,
      });
    }
    const html = errorFromResponse(
      { status: 502, headers: { 'content-type': 'text/html' }, text: '<html>Bad gateway</html>' },
      ctx,
    );
    expect(html).toBeInstanceOf(ScimHttpError);
    expect({ code: html.code, status: html.status }).toEqual({ code: 'not_scim', status: 502 });
  });

  it('maps 401 and 403 to auth with distinct sentences', () => {
    const e401 = errorFromResponse({ status: 401, headers: scimJson, text: errorBody('401') }, ctx);
    const e403 = errorFromResponse({ status: 403, headers: scimJson, text: errorBody('403') }, ctx);
    expect(e401.code).toBe('auth');
    expect(e401.message).toMatch(/rejected the credentials/);
    expect(e403.code).toBe('auth');
    expect(e403.message).toMatch(/lack permission/);
  });
  it('keeps 404 status and detail', () => {
    const e = errorFromResponse(
      { status: 404, headers: scimJson, text: errorBody('404', undefined, 'User x not found') },
      ctx,
    );
    expect(e.toPayload()).toMatchObject({
      code: 'not_found',
      status: 404,
      detail: 'User x not found',
      method: 'POST',
    });
  });
  it('keeps scimType uniqueness on 409 as a ScimHttpError', () => {
    const e = errorFromResponse(
      { status: 409, headers: scimJson, text: errorBody('409', 'uniqueness', 'userName taken') },
      ctx,
    );
    expect(e).toBeInstanceOf(ScimHttpError);
    expect(e instanceof ScimHttpError && e.scimType).toBe('uniqueness');
    expect(e.message).toMatch(/same unique value/);
  });
  it('maps 412 to precondition_failed and 413 to a payload-size sentence', () => {
    expect(
      errorFromResponse({ status: 412, headers: scimJson, text: errorBody(412) }, ctx).code,
    ).toBe('precondition_failed');
    const e413 = errorFromResponse(
      { status: 413, headers: scimJson, text: errorBody('413', 'tooMany') },
      ctx,
    );
    expect(e413.code).toBe('scim_http');
    expect(e413.message).toMatch(/too large/);
    expect(e413.facts.scimType).toBe('tooMany');
  });
  it('maps 429 to rate_limited with retryAfterMs', () => {
    const e = errorFromResponse({ status: 429, headers: { 'retry-after': '7' }, text: '' }, ctx, 0);
    expect(e.toPayload()).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 7000 });
  });
  it('treats a Google-style 403 quota error as throttling', () => {
    const text = JSON.stringify({
      error: { errors: [{ reason: 'userRateLimitExceeded' }], message: 'Rate' },
    });
    expect(
      errorFromResponse({ status: 403, headers: { 'content-type': 'application/json' }, text }, ctx)
        .code,
    ).toBe('rate_limited');
  });
  it('names an HTML login page as not_scim with its title', () => {
    const html =
      '<!DOCTYPE html><html><head><title>Sign in</title></head><body>' +
      'x'.repeat(5000) +
      '</body></html>';
    const e = errorFromResponse(
      { status: 400, headers: { 'content-type': 'text/html' }, text: html },
      ctx,
    );
    expect(e.code).toBe('not_scim');
    expect(e.message).toContain('an HTML page (title: "Sign in")');
    expect(e.facts.raw?.length).toBeLessThan(RAW_LIMIT + 100);
  });
  it('names plain-text proxy errors', () => {
    const e = errorFromResponse(
      {
        status: 502,
        headers: { 'content-type': 'text/plain' },
        text: 'Bad Gateway\nupstream down',
      },
      ctx,
    );
    expect(e.code).toBe('not_scim');
    expect(e.message).toContain('plain text ("Bad Gateway")');
  });
  it('keeps the codes a status says on its own even when the body is an HTML page', () => {
    const page = {
      headers: { 'content-type': 'text/html' },
      text: '<html><title>x</title></html>',
    };
    const codes = [401, 403, 404, 412, 429, 500].map(
      (status) => errorFromResponse({ status, ...page }, ctx, 0).code,
    );
    expect(codes).toEqual([
      'auth',
      'auth',
      'not_found',
      'precondition_failed',
      'rate_limited',
      'not_scim',
    ]);
  });
  it('says a 5xx is a server failure and a 409 without uniqueness a conflict', () => {
    const e500 = errorFromResponse({ status: 503, headers: scimJson, text: errorBody(503) }, ctx);
    expect(e500.message).toBe('The server failed while handling POST /v2/Users (HTTP 503).');
    expect(e500.code).toBe('scim_http');
    const e409 = errorFromResponse({ status: 409, headers: scimJson, text: errorBody(409) }, ctx);
    expect(e409.message).toContain('because it conflicts with existing data (HTTP 409)');
    const e400 = errorFromResponse({ status: 400, headers: scimJson, text: '' }, ctx);
    expect(e400.message).toBe('The server refused POST /v2/Users (HTTP 400).');
    expect(e400.facts.raw).toBeUndefined();
  });
  it('scrubs secrets from raw, detail and url', () => {
    const redactor = createRedactor({ secrets: ['s3cr3t-token-value'] });
    const text =
      errorBody('400', 'invalidValue', 'bad token s3cr3t-token-value') +
      ' Authorization: Bearer s3cr3t-token-value';
    const e = errorFromResponse(
      { status: 400, headers: scimJson, text: text },
      { ...ctx, redactor },
    );
    const dump = JSON.stringify(e.toPayload());
    expect(dump).not.toContain('s3cr3t-token-value');
    expect(dump).not.toContain('abc123secret');
    expect(e.facts.url).toContain('/v2/Users');
  });
});

describe('classifyFailure / errorFromFailure', () => {
  const withCode = (code: string): Error => Object.assign(new Error(code), { code });

  it('treats connect-time failures as before-send', () => {
    expect(classifyFailure(withCode('ECONNREFUSED'))).toMatchObject({
      code: 'network',
      phase: 'before-send',
    });
    expect(classifyFailure(withCode('ENOTFOUND'))).toMatchObject({
      code: 'network',
      phase: 'before-send',
    });
    expect(classifyFailure(new AggregateError([withCode('ECONNREFUSED')]))).toMatchObject({
      errno: 'ECONNREFUSED',
    });
  });
  it('treats resets and timeouts as maybe-sent', () => {
    expect(classifyFailure(withCode('ECONNRESET')).phase).toBe('maybe-sent');
    expect(classifyFailure(withCode('UND_ERR_SOCKET')).phase).toBe('maybe-sent');
    expect(classifyFailure(new RequestTimeoutError(100))).toEqual({
      code: 'timeout',
      phase: 'maybe-sent',
    });
  });
  it('names each TLS failure', () => {
    const url = 'https://127.0.0.1:8443/v2/Users';
    const cases: [string, RegExp][] = [
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /unknown certificate authority/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /different host name/],
      ['CERT_HAS_EXPIRED', /expired/],
    ];
    for (const [code, sentence] of cases) {
      const e = errorFromFailure(withCode(code), { method: 'GET', url });
      expect(e.code).toBe('tls');
      expect(e.message).toMatch(sentence);
    }
  });
  it('writes the network sentences the UI shows', () => {
    expect(
      errorFromFailure(withCode('ECONNREFUSED'), { method: 'GET', url: 'http://127.0.0.1:9/v2' })
        .message,
    ).toBe('Nothing is listening at 127.0.0.1:9.');
    expect(
      errorFromFailure(withCode('ENOTFOUND'), { method: 'GET', url: 'https://nope.invalid/v2' })
        .message,
    ).toBe('The host name nope.invalid could not be found.');
    expect(
      errorFromFailure(new RequestTimeoutError(2000), {
        method: 'GET',
        url: 'https://h/v2',
        timeoutMs: 2000,
      }).code,
    ).toBe('timeout');
  });
});
