import { describe, expect, it } from 'vitest';
import {
  baseUrlCandidates,
  isInsecureRemoteUrl,
  normaliseBaseUrl,
} from '../../../../engine/scim/transport/base-url';
import { AppError } from '../../../../shared/errors/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'other';
  }
  return undefined;
}

describe('normaliseBaseUrl', () => {
  it.each([
    ['  https://example.com/scim/v2/  ', 'https://example.com/scim/v2'],
    ['https://example.com/scim/v2///', 'https://example.com/scim/v2'],
    ['https://example.com/scim/v2?x=1#frag', 'https://example.com/scim/v2'],
    ['HTTPS://Example.COM:443/scim', 'https://example.com/scim'],
    ['https://example.com:8443/', 'https://example.com:8443'],
    ['http://127.0.0.1:3000/scim/v2', 'http://127.0.0.1:3000/scim/v2'],
    ['http://[::1]:3000/', 'http://[::1]:3000'],
  ])('normalises %s', (input, expected) => {
    expect(normaliseBaseUrl(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['example.com/scim'],
    ['ftp://example.com/scim'],
    ['https://user:pass@example.com/scim'],
    ['https://token@example.com/scim'],
    ['https://exa mple.com/'],
  ])('rejects %j with invalid_url', (input) => {
    expect(codeOf(() => normaliseBaseUrl(input))).toBe('invalid_url');
  });

  it('never echoes credentials from the URL in the error', () => {
    try {
      normaliseBaseUrl('https://admin:hunter22@example.com/scim');
      expect.unreachable();
    } catch (e) {
      const payload = (e as AppError).toPayload();
      expect(JSON.stringify(payload)).not.toContain('hunter22');
    }
  });

  it('flags plain http to a remote host as insecure, but not loopback', () => {
    expect(isInsecureRemoteUrl('http://scim.example.com/v2')).toBe(true);
    expect(isInsecureRemoteUrl('http://localhost:8080/v2')).toBe(false);
    expect(isInsecureRemoteUrl('http://127.0.0.1:8080/v2')).toBe(false);
    expect(isInsecureRemoteUrl('https://scim.example.com/v2')).toBe(false);
  });
});

describe('baseUrlCandidates', () => {
  it('adds /v2 when missing', () => {
    expect(baseUrlCandidates('https://h.example/scim/')).toEqual([
      'https://h.example/scim',
      'https://h.example/scim/v2',
    ]);
  });
  it('drops a trailing /v2 as the second choice', () => {
    expect(baseUrlCandidates('https://h.example/scim/v2')).toEqual([
      'https://h.example/scim/v2',
      'https://h.example/scim',
    ]);
  });
  it('handles a bare origin', () => {
    expect(baseUrlCandidates('https://h.example')).toEqual([
      'https://h.example',
      'https://h.example/v2',
    ]);
  });
});
