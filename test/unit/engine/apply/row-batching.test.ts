import { describe, expect, it } from 'vitest';
import { rowBatching } from '../../../../engine/apply/row-batching';

describe('rowBatching', () => {
  it('with Bulk: one batch per Bulk request, as many in flight as the connection has slots', () => {
    expect(rowBatching({ enabled: true, maxOperations: 100 }, {})).toEqual({
      batchSize: 100,
      pipeline: 8,
    });
    expect(rowBatching({ enabled: true, maxOperations: 50 }, { concurrency: 3 })).toEqual({
      batchSize: 50,
      pipeline: 3,
    });
  });

  it('caps a batch at 1000 rows whatever maxOperations says, and never goes below one', () => {
    expect(rowBatching({ enabled: true, maxOperations: 10_000 }, {}).batchSize).toBe(1000);
    expect(rowBatching({ enabled: true, maxOperations: 0 }, {}).batchSize).toBe(1);
  });

  it('without Bulk: 100-row batches, 4 in flight; explicit options win', () => {
    expect(rowBatching({ enabled: false, maxOperations: 1000 }, { concurrency: 8 })).toEqual({
      batchSize: 100,
      pipeline: 4,
    });
    expect(
      rowBatching({ enabled: true, maxOperations: 100 }, { batchSize: 7, pipeline: 2 }),
    ).toEqual({ batchSize: 7, pipeline: 2 });
  });
});
