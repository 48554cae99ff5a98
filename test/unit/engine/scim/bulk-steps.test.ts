import { describe, expect, it } from 'vitest';
import { failUnsent, recordAnswer } from '../../../../engine/scim/bulk-outcomes';
import { startBulk } from '../../../../engine/scim/bulk-progress';
import {
  bulkRequestBody,
  bulkRequestJson,
  jsonBytes,
  packRequest,
  toBulkOperation,
} from '../../../../engine/scim/bulk-request';
import type { WriteOp } from '../../../../engine/scim/ops';

const post = (n: number, extra: Partial<WriteOp> = {}): WriteOp => ({
  opId: `o${n}`,
  method: 'POST',
  endpoint: '/Users',
  bulkId: `b${n}`,
  data: { userName: `user${n}` },
  ...extra,
});
const patchOf = (n: number, target: string): WriteOp => ({
  opId: `o${n}`,
  method: 'PATCH',
  endpoint: '/Groups',
  id: target,
  data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b1' }] }] },
});

describe('bulkRequestBody', () => {
  it('passes the error budget as failOnErrors, never below 1, and omits it without a budget', () => {
    expect(bulkRequestBody(Infinity)).not.toHaveProperty('failOnErrors');
    expect(bulkRequestBody(3)).toMatchObject({ failOnErrors: 3, Operations: [] });
    expect(bulkRequestBody(0)).toMatchObject({ failOnErrors: 1 });
  });
});

describe('bulkRequestJson', () => {
  it('is the text of the request body, from operations serialised once, with or without a budget', () => {
    const st = startBulk([post(1), patchOf(2, 'g1'), post(3)], { maxOperations: 10 });
    const { operations, texts } = packRequest(st, 1e6);
    expect(texts).toHaveLength(3);
    for (const budget of [Infinity, 2]) {
      expect(bulkRequestJson(budget, texts)).toBe(
        JSON.stringify(bulkRequestBody(budget, operations)),
      );
    }
    expect(bulkRequestJson(Infinity, [])).toBe(JSON.stringify(bulkRequestBody(Infinity)));
  });
});

describe('toBulkOperation', () => {
  it('substitutes ids created earlier and keeps an unresolved bulkId reference in the path', () => {
    const ids = new Map([['b1', 'real-1']]);
    expect(toBulkOperation(patchOf(2, 'bulkId:b1'), ids).bulk.path).toBe('/Groups/real-1');
    expect(toBulkOperation(patchOf(2, 'bulkId:b9'), ids).bulk.path).toBe('/Groups/bulkId:b9');
    const { bulk } = toBulkOperation(patchOf(2, 'g1'), ids);
    expect(JSON.stringify(bulk.data)).toContain('real-1');
    expect(toBulkOperation(post(3, { bulkId: undefined }), ids).bulk.bulkId).toBe('op-o3');
  });
});

describe('packRequest', () => {
  it('packs up to the operation limit and resumes where it stopped', () => {
    const st = startBulk([post(1), post(2), post(3)], { maxOperations: 2 });
    expect(packRequest(st, 1e6).operations).toHaveLength(2);
    expect(st.next).toBe(2);
    expect(packRequest(st, 1e6).operations).toHaveLength(1);
    expect(st.next).toBe(3);
  });

  it('stops before the unit that would pass maxPayloadSize', () => {
    const st = startBulk([post(1), post(2)], { maxOperations: 10 });
    const one =
      jsonBytes(bulkRequestBody(Infinity)) +
      jsonBytes(toBulkOperation(post(1), new Map()).bulk) +
      1;
    expect(packRequest(st, one).operations).toHaveLength(1);
    expect(st.next).toBe(1);
  });

  it('reports a unit too big alone and the referrers of a failed creator without sending them', () => {
    const st = startBulk([post(1), patchOf(2, 'g1')], { maxOperations: 10 });
    st.failedBulkIds.add('b1');
    const packed = packRequest(st, 10);
    expect(packed.operations).toHaveLength(0);
    expect(st.next).toBe(2);
    expect(st.results.get('o1')?.error?.code).toBe('bulk_rejected');
    expect(st.results.get('o2')?.error?.message).toBe(
      'Not sent: it refers to bulkId:b1, whose creation failed.',
    );
  });
});

describe('recordAnswer', () => {
  it('keeps created ids, marks failed creators, spends the budget and cancels unmentioned ops', () => {
    const st = startBulk([post(1), post(2), post(3)], { maxOperations: 10, failOnErrors: 1 });
    const { sent } = packRequest(st, 1e6);
    recordAnswer(st, sent, {
      Operations: [
        { method: 'POST', bulkId: 'b1', status: '201', location: '/Users/id-1' },
        { method: 'POST', bulkId: 'b2', status: '400' },
      ],
    });
    expect(st.createdIds.get('b1')).toBe('id-1');
    expect([...st.failedBulkIds].sort()).toEqual(['b2', 'b3']);
    expect(st.budget).toBe(0);
    expect(st.results.get('o3')?.error?.code).toBe('cancelled');
  });

  it('calls an unmentioned op unknown while the budget lasts', () => {
    const st = startBulk([post(1)], { maxOperations: 10 });
    recordAnswer(st, packRequest(st, 1e6).sent, { Operations: [] });
    expect(st.results.get('o1')?.error?.code).toBe('outcome_unknown');
  });
});

describe('failUnsent', () => {
  it('fails every unit not yet sent with the failOnErrors sentence', () => {
    const st = startBulk([post(1), post(2)], { maxOperations: 1 });
    packRequest(st, 1e6);
    failUnsent(st);
    expect(st.results.has('o1')).toBe(false);
    expect(st.results.get('o2')?.error?.code).toBe('cancelled');
    expect(st.next).toBe(2);
  });
});
