import { describe, expect, it } from 'vitest';
import { environmentOf, productionNameMatches } from '../../../../shared/connections/environment';
import { ConnectionProfileSchema } from '../../../../shared/connections/profile';

const OLD_PROFILE = {
  id: 'p1',
  name: 'Okta prod',
  baseUrl: 'https://example.com/scim/v2',
  auth: { kind: 'bearer' },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('connection environments', () => {
  it('loads a profile saved before environments existed, as "other" (never production)', () => {
    const parsed = ConnectionProfileSchema.parse(OLD_PROFILE);
    expect(parsed.environment).toBeUndefined();
    expect(environmentOf(parsed)).toEqual({ label: 'other', colour: '#5f6b7a' });
    expect(environmentOf({ ...parsed, kind: 'sandbox' }).label).toBe('sandbox');
  });

  it('keeps a stored label and colour', () => {
    const parsed = ConnectionProfileSchema.parse({
      ...OLD_PROFILE,
      environment: { label: 'production', colour: '#aa0000' },
    });
    expect(environmentOf(parsed)).toEqual({ label: 'production', colour: '#aa0000' });
  });

  it('refuses unknown labels and colours that are not #rrggbb', () => {
    const bad = [
      { label: 'prod', colour: '#aa0000' },
      { label: 'production', colour: 'red' },
      { label: 'production', colour: '#aa0000', extra: 1 },
    ];
    for (const environment of bad) {
      expect(ConnectionProfileSchema.safeParse({ ...OLD_PROFILE, environment }).success).toBe(
        false,
      );
    }
  });

  it('matches the typed production name exactly, ignoring outer spaces', () => {
    expect(productionNameMatches('Okta prod', ' Okta prod ')).toBe(true);
    expect(productionNameMatches('Okta prod', 'okta prod')).toBe(false);
    expect(productionNameMatches('Okta prod', undefined)).toBe(false);
  });
});
