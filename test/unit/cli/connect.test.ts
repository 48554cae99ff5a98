import { describe, expect, it } from 'vitest';
import { authFromEnv, plainHttpWarning } from '../../../cli/connect';
import { UsageError } from '../../../cli/exit-codes';

describe('authFromEnv', () => {
  it('uses SCIM_TOKEN as a bearer token', () => {
    expect(authFromEnv({ SCIM_TOKEN: 't' })).toEqual({ kind: 'bearer', token: 't' });
  });
  it('uses SCIM_USERNAME/SCIM_PASSWORD for Basic and insists on both', () => {
    expect(authFromEnv({ SCIM_USERNAME: 'u', SCIM_PASSWORD: 'p' })).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(() => authFromEnv({ SCIM_USERNAME: 'u' })).toThrow(UsageError);
  });
  it('uses the OAuth client-credentials variables together', () => {
    expect(
      authFromEnv({
        SCIM_TOKEN_URL: 'https://idp/token',
        SCIM_CLIENT_ID: 'c',
        SCIM_CLIENT_SECRET: 's',
        SCIM_SCOPE: 'scim',
      }),
    ).toEqual({
      kind: 'oauth2',
      tokenUrl: 'https://idp/token',
      clientId: 'c',
      clientSecret: 's',
      scope: 'scim',
    });
    expect(() => authFromEnv({ SCIM_CLIENT_ID: 'c' })).toThrow(/SCIM_TOKEN_URL/);
  });
  it('supports a custom header and falls back to no auth', () => {
    expect(authFromEnv({ SCIM_HEADER_NAME: 'X-Api-Key', SCIM_HEADER_VALUE: 'k' })).toEqual({
      kind: 'header',
      name: 'X-Api-Key',
      value: 'k',
    });
    expect(authFromEnv({})).toEqual({ kind: 'none' });
  });
});

describe('plainHttpWarning', () => {
  const bearer = { kind: 'bearer', token: 't' } as const;
  it('warns when credentials would go over http to another machine', () => {
    expect(plainHttpWarning({ baseUrl: 'http://scim.example.com/v2', auth: bearer })[0]).toMatch(
      /plain http/,
    );
  });
  it('stays quiet for https, loopback, or no credentials', () => {
    expect(plainHttpWarning({ baseUrl: 'https://scim.example.com/v2', auth: bearer })).toEqual([]);
    expect(plainHttpWarning({ baseUrl: 'http://127.0.0.1:8080/scim/v2', auth: bearer })).toEqual(
      [],
    );
    expect(plainHttpWarning({ baseUrl: 'http://localhost/scim', auth: bearer })).toEqual([]);
    expect(
      plainHttpWarning({ baseUrl: 'http://scim.example.com/v2', auth: { kind: 'none' } }),
    ).toEqual([]);
  });
});
