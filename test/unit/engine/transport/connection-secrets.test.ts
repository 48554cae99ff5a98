import { describe, expect, it } from 'vitest';
import {
  connectionRedactor,
  proxySecret,
  secretsOf,
} from '../../../../engine/scim/transport/connection-secrets';

describe('connection secrets', () => {
  it('lists each credential, with the Basic and OAuth pairs', () => {
    expect(secretsOf({ kind: 'none' })).toEqual([]);
    expect(secretsOf({ kind: 'bearer', token: 'tok' })).toEqual(['tok']);
    expect(secretsOf({ kind: 'basic', username: 'u', password: 'p' })).toEqual(['p', 'u:p']);
    expect(
      secretsOf({ kind: 'oauth2', tokenUrl: 'https://t', clientId: 'a b', clientSecret: 's&' }),
    ).toEqual(['s&', 'a+b:s%26']);
    expect(secretsOf({ kind: 'header', name: 'X-Key', value: 'v' })).toEqual(['v']);
  });
  it('reads a proxy password, decoded, and nothing from a proxy without one', () => {
    expect(proxySecret('http://me:p%40ss@proxy:3128')).toEqual(['p@ss', 'me:p@ss']);
    expect(proxySecret('http://me@proxy:3128')).toEqual([]);
    expect(proxySecret('not a url')).toEqual([]);
    expect(proxySecret(undefined)).toEqual([]);
  });
  it('builds a redactor that scrubs the credential and the proxy password', () => {
    const r = connectionRedactor({
      auth: { kind: 'bearer', token: 'sekret-token' },
      proxyUrl: 'http://me:proxypass@proxy:3128',
    });
    const out = r.text('got sekret-token via proxypass');
    expect(out).not.toContain('sekret-token');
    expect(out).not.toContain('proxypass');
  });
});
