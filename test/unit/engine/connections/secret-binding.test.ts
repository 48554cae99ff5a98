import { describe, expect, it } from 'vitest';
import {
  assertSecretStillBound,
  secretRebindReason,
} from '../../../../engine/connections/secret-binding';

const base = {
  name: 'Okta',
  baseUrl: 'https://okta.example/scim/v2',
  auth: { kind: 'bearer' as const },
};

describe('secret binding', () => {
  it('keeps the secret for edits that do not change where it goes', () => {
    expect(secretRebindReason(base, { ...base, name: 'Okta prod' })).toBeUndefined();
    expect(
      secretRebindReason(base, { ...base, baseUrl: 'https://OKTA.example:443/scim/v2/tenant' }),
    ).toBeUndefined();
  });

  it('names what changed: origin, token URL, proxy, header name, kind of credential', () => {
    expect(secretRebindReason(base, { ...base, baseUrl: 'https://okta.example:8443/scim' })).toBe(
      'the server address',
    );
    expect(secretRebindReason(base, { ...base, baseUrl: 'http://okta.example/scim/v2' })).toBe(
      'the server address',
    );
    const oauth = {
      ...base,
      auth: { kind: 'oauth2' as const, tokenUrl: 'https://id.example/token', clientId: 'c' },
    };
    expect(
      secretRebindReason(oauth, {
        ...oauth,
        auth: { ...oauth.auth, tokenUrl: 'https://id.example/other' },
      }),
    ).toBe('the token URL');
    expect(secretRebindReason(base, { ...base, proxyUrl: 'http://proxy.example:3128' })).toBe(
      'the proxy',
    );
    const header = { ...base, auth: { kind: 'header' as const, name: 'X-Api-Key' } };
    expect(
      secretRebindReason(header, { ...header, auth: { kind: 'header', name: 'x-api-key' } }),
    ).toBeUndefined();
    expect(
      secretRebindReason(header, { ...header, auth: { kind: 'header', name: 'X-Other' } }),
    ).toBe('the header name');
    // An OAuth client secret reused as a bearer token would go to the SCIM server instead.
    expect(secretRebindReason(oauth, base)).toBe('the kind of authentication');
  });

  it('refuses with a sentence naming the secret to enter again', () => {
    expect(() => {
      assertSecretStillBound(base, { ...base, baseUrl: 'https://evil.example/scim' });
    }).toThrow(/You changed the server address of "Okta", so enter the bearer token again/);
  });
});
