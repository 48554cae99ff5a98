import { describe, expect, it } from 'vitest';
import {
  MAX_REDIRECTS,
  isRateLimited,
  isThrottle,
  pathBelowBase,
  redirectStep,
  refusalIsUnknown,
  retryStatusOf,
  slotOutcomeOf,
} from '../../../../engine/scim/transport/classify-answer';
import { requestHeaders } from '../../../../engine/scim/transport/request-headers';

const answer = (status: number, text = '', headers: Record<string, string> = {}) => ({
  status,
  text,
  headers,
});
const QUOTA = '{"error":{"errors":[{"reason":"rateLimitExceeded"}]}}';

describe('throttling answers', () => {
  it('counts 429 and a quota 403 as a rate limit, and 503 as throttling only', () => {
    expect(isRateLimited(answer(429))).toBe(true);
    expect(isRateLimited(answer(403, QUOTA))).toBe(true);
    expect(isRateLimited(answer(403, '{"detail":"no"}'))).toBe(false);
    expect(isRateLimited(answer(503))).toBe(false);
    expect(isThrottle(answer(503))).toBe(true);
    expect(isThrottle(answer(403, QUOTA))).toBe(true);
    expect(isThrottle(answer(500))).toBe(false);
  });
  it('retries a quota 403 as a 429 and keeps every other status', () => {
    expect(retryStatusOf(answer(403, QUOTA))).toBe(429);
    expect(retryStatusOf(answer(403))).toBe(403);
    expect(retryStatusOf(answer(503))).toBe(503);
  });
});

describe('slotOutcomeOf', () => {
  it('leaves rate limits to the pacing, sheds slots on 503, confirms them below 500', () => {
    expect(slotOutcomeOf(answer(429))).toBe('neutral');
    expect(slotOutcomeOf(answer(403, QUOTA))).toBe('neutral');
    expect(slotOutcomeOf(answer(503))).toBe('throttled');
    expect(slotOutcomeOf(answer(200))).toBe('success');
    expect(slotOutcomeOf(answer(404))).toBe('success');
    expect(slotOutcomeOf(answer(500))).toBe('neutral');
    expect(slotOutcomeOf(answer(502))).toBe('neutral');
  });
});

describe('pathBelowBase', () => {
  it('cuts the base path off, and keeps a path outside it whole', () => {
    expect(pathBelowBase(new URL('https://h/scim/v2/Users/1'), '/scim/v2')).toBe('/Users/1');
    expect(pathBelowBase(new URL('https://h/other/Users'), '/scim/v2')).toBe('/other/Users');
  });
});

describe('redirectStep', () => {
  const url = new URL('https://h/scim/Users?x=1');
  it('is undefined for an answer that is not a redirect with a Location', () => {
    expect(redirectStep(answer(302), url, 'GET', 0)).toBeUndefined();
    expect(redirectStep(answer(200, '', { location: '/a' }), url, 'GET', 0)).toBeUndefined();
  });
  it('follows a GET to the same origin, resolving a relative Location', () => {
    const step = redirectStep(answer(307, '', { location: '/scim/v2/Users' }), url, 'GET', 0);
    expect(step?.follow).toBe(true);
    expect(step?.target.toString()).toBe('https://h/scim/v2/Users');
  });
  it('refuses another origin, a write, and one redirect too many', () => {
    const away = answer(301, '', { location: 'https://evil.example/Users' });
    expect(redirectStep(away, url, 'GET', 0)?.follow).toBe(false);
    const same = answer(308, '', { location: '/scim/v2/Users' });
    expect(redirectStep(same, url, 'POST', 0)?.follow).toBe(false);
    expect(redirectStep(same, url, 'GET', MAX_REDIRECTS - 1)?.follow).toBe(true);
    expect(redirectStep(same, url, 'GET', MAX_REDIRECTS)?.follow).toBe(false);
  });
});

describe('refusalIsUnknown', () => {
  it('is unknown when the policy says so', () => {
    expect(refusalIsUnknown(503, { action: 'unknown' }, 0, undefined)).toBe(true);
    expect(refusalIsUnknown(400, { action: 'fail' }, 0, undefined)).toBe(false);
  });
  it('is unknown for a 412 to a retried conditional write only', () => {
    expect(refusalIsUnknown(412, { action: 'fail' }, 1, 'W/"1"')).toBe(true);
    expect(refusalIsUnknown(412, { action: 'fail' }, 0, 'W/"1"')).toBe(false);
    expect(refusalIsUnknown(412, { action: 'fail' }, 1, undefined)).toBe(false);
  });
});

describe('requestHeaders', () => {
  it('sends the content type only with a body, and If-Match when given', () => {
    const bare = requestHeaders({}, undefined, 'UA', {});
    expect(bare).toEqual({ accept: 'application/scim+json, application/json', 'user-agent': 'UA' });
    const full = requestHeaders({ ifMatch: 'W/"2"' }, '{}', 'UA', {});
    expect(full['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(full['if-match']).toBe('W/"2"');
  });
  it('lower-cases caller headers and lets the credentials win over them', () => {
    const h = requestHeaders(
      { headers: { 'X-Trace': 't', Authorization: 'Bearer caller' } },
      undefined,
      'UA',
      { authorization: 'Bearer real' },
    );
    expect(h['x-trace']).toBe('t');
    expect(h['authorization']).toBe('Bearer real');
    expect(h['Authorization']).toBeUndefined();
  });
});
