import { describe, expect, it } from 'vitest';
import { filterPaged } from '../../../../engine/scim/resource-list';
import { pageThrough, type Page } from '../../../../engine/scim/paging';

describe('filterPaged', () => {
  it('keeps only accepted resources while the stats stay those of the server read', async () => {
    const page: Page = {
      resources: [1, 2, 3, 4].map((n) => ({ schemas: [], id: `u${n}` })),
      totalResults: 4,
    };
    const paged = pageThrough(() => Promise.resolve(page), { mode: 'index', pageSize: 10 });
    const kept = filterPaged(paged, (r) => r.id === 'u2' || r.id === 'u4');
    const ids: string[] = [];
    for await (const r of kept) ids.push(r.id ?? '?');
    expect(ids).toEqual(['u2', 'u4']);
    expect(kept.stats.items).toBe(4);
    expect(kept.stats.integrity?.complete).toBe(true);
  });
});
