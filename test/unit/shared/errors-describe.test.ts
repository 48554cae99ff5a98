import { describe, expect, it } from 'vitest';
import { describeError } from '../../../shared/errors/describe';

describe('describeError', () => {
  it('adds status, scimType and detail the message does not already say, once', () => {
    const d = describeError({
      code: 'auth',
      message: 'The server refused the credentials (HTTP 401).',
      status: 401,
      detail: 'Invalid bearer token.',
    });
    expect(d.sentence).toBe(
      'The server refused the credentials (HTTP 401). (Invalid bearer token.)',
    );
    expect(d.sentence.match(/HTTP 401/g)).toHaveLength(1);
    expect(d.nextStep).toMatch(/token or credentials/);
  });

  it('names a SCIM error by status and scimType and keeps the raw answer', () => {
    const d = describeError({
      code: 'scim_http',
      message: 'The server rejected the request.',
      status: 409,
      scimType: 'uniqueness',
      detail: 'userName already exists',
      raw: '{"status":"409"}',
      nextStep: 'Pick another userName.',
    });
    expect(d.sentence).toBe(
      'The server rejected the request. (HTTP 409 · uniqueness · userName already exists)',
    );
    expect(d.nextStep).toBe('Pick another userName.');
    expect(d.raw).toBe('{"status":"409"}');
  });
});
