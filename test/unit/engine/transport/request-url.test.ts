import { describe, expect, it } from 'vitest';
import {
  basicCredentials,
  oauthClientBasic,
  refreshAt,
} from '../../../../engine/scim/transport/auth';
import { buildRequestUrl } from '../../../../engine/scim/transport/request-url';

describe('buildRequestUrl', () => {
  const base = 'https://h.example/scim/v2';
  it('joins paths and percent-encodes every query value', () => {
    const url = buildRequestUrl(base, '/Users', {
      filter: 'userName eq "ada+1@x.org" and active eq true',
      count: 10,
      x: undefined,
    });
    expect(url.toString()).toBe(
      'https://h.example/scim/v2/Users?filter=userName%20eq%20%22ada%2B1%40x.org%22%20and%20active%20eq%20true&count=10',
    );
    expect(new URL(url).searchParams.get('filter')).toBe(
      'userName eq "ada+1@x.org" and active eq true',
    );
  });
  it('accepts a path without a leading slash and an absolute URL on the same origin', () => {
    expect(buildRequestUrl(base, 'Groups').toString()).toBe('https://h.example/scim/v2/Groups');
    expect(
      buildRequestUrl(base, 'https://h.example/scim/v2/Users/1', { attributes: 'id' }).toString(),
    ).toBe('https://h.example/scim/v2/Users/1?attributes=id');
  });
  it('refuses an absolute URL on another origin', () => {
    expect(() => buildRequestUrl(base, 'https://evil.example/scim/v2/Users')).toThrow(
      /not on the connection's server/,
    );
  });
});

describe('auth helpers', () => {
  it('encodes Basic credentials as UTF-8 (RFC 7617)', () => {
    expect(basicCredentials('zoë', 'pä:ss')).toBe(
      `Basic ${Buffer.from('zoë:pä:ss', 'utf8').toString('base64')}`,
    );
  });
  it('form-encodes OAuth client credentials before Basic (RFC 6749 §2.3.1)', () => {
    expect(oauthClientBasic('id:1', 'a b+c')).toBe(
      `Basic ${Buffer.from('id%3A1:a+b%2Bc').toString('base64')}`,
    );
  });
  it('refreshes 60 s early for long tokens and at 80 % for short ones', () => {
    expect(refreshAt(0, 3600)).toBe(3_540_000);
    expect(refreshAt(0, 10)).toBe(8000);
  });
});
