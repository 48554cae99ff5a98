import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../../engine/log/redact';
import {
  oauthClientBasic,
  refreshAt,
  tokenFromAnswer,
  tokenRequest,
} from '../../../../engine/scim/transport/auth';
import { AppError, ScimHttpError } from '../../../../shared/errors/errors';

const auth = {
  kind: 'oauth2' as const,
  tokenUrl: 'https://idp.example/token',
  clientId: 'app',
  clientSecret: 'the-secret',
};

describe('tokenRequest', () => {
  it('sends the client in HTTP Basic by default, with the scope and user agent', () => {
    const req = tokenRequest({ ...auth, scope: 'scim.write' }, 'SCIM-Porter');
    expect(req.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': 'SCIM-Porter',
      authorization: oauthClientBasic('app', 'the-secret'),
    });
    expect(req.body).toBe('grant_type=client_credentials&scope=scim.write');
  });
  it('puts the credentials in the body when asked, and no Authorization header', () => {
    const req = tokenRequest({ ...auth, credentialsInBody: true });
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.headers['user-agent']).toBeUndefined();
    expect(new URLSearchParams(req.body).get('client_secret')).toBe('the-secret');
    expect(new URLSearchParams(req.body).get('client_id')).toBe('app');
  });
});

describe('tokenFromAnswer', () => {
  const answer = (status: number, body: unknown, location?: string) => ({
    status,
    text: typeof body === 'string' ? body : JSON.stringify(body),
    location,
  });
  it('returns the token, refreshed ahead of expiry, and remembers it as a secret', () => {
    const redactor = createRedactor();
    const token = tokenFromAnswer(
      auth.tokenUrl,
      answer(200, { access_token: 'tok-123', expires_in: 3600 }),
      1000,
      redactor,
    );
    expect(token).toEqual({ value: 'tok-123', refreshAt: refreshAt(1000, 3600) });
    expect(redactor.text('Bearer tok-123')).not.toContain('tok-123');
  });
  it('keeps a token without expires_in until a 401', () => {
    const t = tokenFromAnswer(
      auth.tokenUrl,
      answer(200, { access_token: 'x' }),
      0,
      createRedactor(),
    );
    expect(t.refreshAt).toBe(Number.POSITIVE_INFINITY);
  });
  it('names refused credentials with the RFC 6749 error and description', () => {
    const refused = answer(401, { error: 'invalid_client', error_description: 'unknown client' });
    let e: unknown;
    try {
      tokenFromAnswer(auth.tokenUrl, refused, 0, createRedactor());
    } catch (thrown) {
      e = thrown;
    }
    if (!(e instanceof ScimHttpError)) throw new Error('expected a ScimHttpError');
    expect(e.code).toBe('auth');
    expect(e.message).toContain('(HTTP 401, invalid_client: unknown client)');
    expect(e.scimType).toBe('invalid_client');
    expect(e.detail).toBe('unknown client');
  });
  it('refuses to follow a redirect and says where it pointed', () => {
    expect(() =>
      tokenFromAnswer(auth.tokenUrl, answer(302, '', '/elsewhere'), 0, createRedactor()),
    ).toThrow(/redirect \(HTTP 302 to https:\/\/idp\.example\/elsewhere\)/);
  });
  it('is an auth error when a 2xx carries no access_token', () => {
    expect(() =>
      tokenFromAnswer(auth.tokenUrl, answer(200, '<html></html>'), 0, createRedactor()),
    ).toThrow(AppError);
    expect(() =>
      tokenFromAnswer(auth.tokenUrl, answer(200, { token: 'x' }), 0, createRedactor()),
    ).toThrow(/without an access_token/);
  });
});
