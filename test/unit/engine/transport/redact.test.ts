import { describe, expect, it } from 'vitest';
import { createLogger, withRedactor } from '../../../../engine/log/logger';
import {
  createRedactor,
  isSecretKey,
  REDACTED,
  redactText,
  redactUrl,
} from '../../../../engine/log/redact';

const SECRET = 'tok_9f8e7d6c5b4a';

describe('redaction', () => {
  it('keeps prose about credentials readable but scrubs credential values', () => {
    expect(redactText('Invalid bearer token.')).toBe('Invalid bearer token.');
    expect(redactText('Basic credentials were rejected')).toBe('Basic credentials were rejected');
    expect(redactText('sent Bearer tok_9f8e7d6c5b4a twice')).toBe(`sent Bearer ${REDACTED} twice`);
    expect(redactText('Bearer abcdefghijklmnopqrstuvwxyz')).toBe(`Bearer ${REDACTED}`);
    expect(redactText('Proxy-Authorization: Negotiate x')).toBe(`Proxy-Authorization: ${REDACTED}`);
  });

  it('scrubs credential shapes from free text', () => {
    const text = [
      'Authorization: Bearer abc.def-ghi',
      'authorization: Basic YWRhOnB3',
      'Cookie: sid=123; other=4',
      'Set-Cookie: session=xyz; HttpOnly',
      '{"password":"pa\\"ss","client_secret": "cs-1", "access_token":"at-1", "userName":"ada"}',
      'grant_type=client_credentials&client_secret=cs-2&scope=scim',
      'https://h/cb?access_token=at-2&x=1',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig-part_1',
    ].join('\n');
    const out = redactText(text);
    for (const leaked of [
      'abc.def-ghi',
      'YWRhOnB3',
      'sid=123',
      'session=xyz',
      'pa\\"ss',
      'cs-1',
      'at-1',
      'cs-2',
      'at-2',
      'eyJhbGci',
    ]) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('"userName":"ada"');
    expect(out).toContain('scope=scim');
  });

  it('scrubs known secret values wherever they appear, including encoded forms', () => {
    const r = createRedactor({ secrets: [SECRET, 'p@ss word!'] });
    expect(r.text(`token is ${SECRET}.`)).toBe(`token is ${REDACTED}.`);
    expect(r.text(`x=${encodeURIComponent('p@ss word!')}`)).not.toContain('p%40ss');
    expect(r.text(Buffer.from(SECRET).toString('base64'))).toBe(REDACTED);
    r.remember('late-access-token-123');
    expect(r.text('got late-access-token-123')).toBe(`got ${REDACTED}`);
  });

  it('redacts secret headers, including a custom auth header', () => {
    const r = createRedactor({ secretHeaders: ['X-Tenant-Key'] });
    expect(
      r.headers({
        Authorization: 'Bearer x',
        'x-tenant-key': 'k',
        'set-cookie': ['a=1', 'b=2'],
        accept: 'application/json',
      }),
    ).toEqual({
      Authorization: REDACTED,
      'x-tenant-key': REDACTED,
      'set-cookie': REDACTED,
      accept: 'application/json',
    });
  });

  it('redacts secret keys deep inside values and survives cycles', () => {
    const r = createRedactor();
    const value: Record<string, unknown> = {
      auth: { kind: 'oauth2', tokenUrl: 'https://idp/token', clientSecret: 'cs', password: 'pw' },
      users: [{ userName: 'ada', password: 'x1' }],
    };
    value['self'] = value;
    const out = JSON.stringify(r.value(value));
    expect(out).not.toMatch(/"cs"|"pw"|"x1"/);
    expect(out).toContain('https://idp/token');
    expect(out).toContain('"kind":"oauth2"');
  });

  it('knows which keys are secret', () => {
    expect(
      [
        'password',
        'client_secret',
        'access_token',
        'apiKey',
        'Authorization',
        'refreshToken',
      ].every(isSecretKey),
    ).toBe(true);
    expect(
      ['tokenUrl', 'userName', 'token_type', 'expires_in', 'displayName'].some(isSecretKey),
    ).toBe(false);
  });

  it('removes userinfo and secret query values from URLs', () => {
    expect(
      redactUrl('https://u:p@h.example/v2/Users?filter=userName%20eq%20%22a%22&access_token=zz'),
    ).toBe(
      `https://h.example/v2/Users?filter=userName+eq+%22a%22&access_token=${encodeURIComponent(REDACTED)}`,
    );
  });
});

describe('logger', () => {
  it('writes JSON lines in which a secret never appears', () => {
    const lines: string[] = [];
    const base = createLogger({
      sink: { write: (l: string) => lines.push(l) },
      level: 'debug',
      now: () => 0,
    });
    const logger = withRedactor(base, createRedactor({ secrets: [SECRET] }));
    logger.log('info', `sending Bearer ${SECRET}`, {
      headers: { authorization: `Bearer ${SECRET}` },
      error: new Error(`bad token ${SECRET}`),
      nested: [{ client_secret: 'abc' }, `see ${SECRET}`],
    });
    logger.log('debug', 'plain', { token: SECRET });
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain('"abc"');
    }
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject({ time: '1970-01-01T00:00:00.000Z', level: 'info' });
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: { write: (l: string) => lines.push(l) }, level: 'warn' });
    logger.log('info', 'no');
    logger.log('error', 'yes');
    expect(lines).toHaveLength(1);
  });
});
