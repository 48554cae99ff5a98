import { describe, expect, it } from 'vitest';
import { mapBulkResponse, type SentOp } from '../../../../engine/scim/bulk-results';
import { idFromLocation, locationPath } from '../../../../engine/scim/quirks/resource';
import type { WriteOp } from '../../../../engine/scim/ops';

const viaUrl = (l: string): string => new URL(l, 'http://placeholder.invalid').pathname;

describe('locationPath', () => {
  const samples = [
    'https://scim.example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646',
    'http://127.0.0.1:8080/Users/abc',
    'http://[::1]:8080/Users/abc',
    'https://host',
    'https://host/',
    '/Users/abc',
    '/Users/abc/',
    'Users/abc',
    '/Users/a%20b',
    '/Users/abc?attributes=id',
    '/Users/abc#x',
    '/Users/./abc',
    '/Users/../abc',
    '/Users/.hidden',
    '/Users/a b',
    ' /Users/abc ',
    '/Users/ä',
    '/Users\\abc',
    'HTTPS://HOST/Users/x',
    'https://user:pw@host/Users/x',
    '//other-host/Users/x',
    '/Users//abc',
    "/Users/o'brien@example.com",
  ];
  it('gives the path the URL parser gives, for plain and unusual locations', () => {
    for (const l of samples) expect(locationPath(l), l).toBe(viaUrl(l));
  });

  it('keeps idFromLocation answers', () => {
    expect(idFromLocation('https://h/scim/v2/Users/abc/')).toBe('abc');
    expect(idFromLocation('/Users/a%20b')).toBe('a b');
    expect(idFromLocation('/Users/abc?x=1')).toBe('abc');
    expect(idFromLocation('https://host')).toBeUndefined();
  });
});

describe('mapBulkResponse', () => {
  const op = (opId: string, method: WriteOp['method'], id?: string): WriteOp => ({
    opId,
    method,
    endpoint: '/Users',
    ...(id !== undefined ? { id } : {}),
  });

  it('matches by bulkId, then by path, then by position, whatever the answer order', () => {
    const sent: SentOp[] = [];
    for (let i = 0; i < 1000; i++) {
      sent.push(
        i % 2 === 0
          ? { op: op(`c${i}`, 'POST'), path: '/Users', bulkId: `b${i}` }
          : { op: op(`p${i}`, 'PATCH', `u${i}`), path: `/Users/u${i}` },
      );
    }
    const entries = sent
      .map((s, i) =>
        s.bulkId
          ? { method: 'POST', bulkId: s.bulkId, location: `https://h/Users/id${i}`, status: '201' }
          : { method: 'PATCH', location: `https://h/scim/Users/u${i}`, status: '200' },
      )
      .reverse();
    const { results, missing } = mapBulkResponse(sent, { Operations: entries });
    expect(missing).toEqual([]);
    expect(results).toHaveLength(1000);
    results.forEach((r, i) => {
      expect(r.opId).toBe(sent[i]?.op.opId);
      expect(r.id).toBe(i % 2 === 0 ? `id${i}` : `u${i}`);
    });
  });

  it('gives two PATCHes of one resource their answers in order', () => {
    const sent: SentOp[] = [
      { op: op('a', 'PATCH', 'u1'), path: '/Users/u1' },
      { op: op('b', 'PATCH', 'u1'), path: '/Users/u1' },
    ];
    const { results } = mapBulkResponse(sent, {
      Operations: [
        { method: 'PATCH', location: '/Users/u1', status: '200' },
        { method: 'PATCH', location: '/Users/u1', status: '412' },
      ],
    });
    expect(results.map((r) => [r.opId, r.status])).toEqual([
      ['a', 200],
      ['b', 412],
    ]);
  });
});
