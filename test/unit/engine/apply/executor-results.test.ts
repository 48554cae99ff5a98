import { describe, expect, it } from 'vitest';
import { resultFromBook, settledResult } from '../../../../engine/apply/executor';

describe('settledResult', () => {
  it('a look-up that found the op arrived is ok, with its id and version', () => {
    expect(
      settledResult('op1', { kind: 'done', id: 'u1', version: 'W/"2"', how: 'found' }),
    ).toEqual({ opId: 'op1', ok: true, status: 0, id: 'u1', version: 'W/"2"' });
    expect(settledResult('op1', { kind: 'done', how: 'already gone' })).toEqual({
      opId: 'op1',
      ok: true,
      status: 0,
    });
  });

  it('a look-up that cannot tell fails the op with how it went', () => {
    expect(settledResult('op2', { kind: 'failed', how: '2 resources match x' })).toEqual({
      opId: 'op2',
      ok: false,
      status: 0,
      error: { code: 'invalid_request', message: '2 resources match x' },
    });
  });
});

describe('resultFromBook', () => {
  const at = '2026-01-01T00:00:00.000Z';
  it('copies status, id, version and the HTTP status', () => {
    expect(
      resultFromBook('op3', {
        t: 'outcome',
        at,
        op: 'op3',
        status: 'ok',
        id: 'u3',
        version: 'v',
        httpStatus: 201,
      }),
    ).toEqual({ opId: 'op3', ok: true, status: 201, id: 'u3', version: 'v' });
  });

  it('an unknown or failed outcome is not ok; an error keeps its message', () => {
    expect(resultFromBook('op4', { t: 'outcome', at, op: 'op4', status: 'unknown' })).toEqual({
      opId: 'op4',
      ok: false,
      status: 0,
    });
    expect(
      resultFromBook('op5', {
        t: 'outcome',
        at,
        op: 'op5',
        status: 'failed',
        error: { message: 'nope' },
      }),
    ).toEqual({
      opId: 'op5',
      ok: false,
      status: 0,
      error: { code: 'invalid_request', message: 'nope' },
    });
  });
});
