import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  filterRuns,
  isFiltered,
  localDay,
  type RunFilters,
} from '../../../renderer/src/features/runs/run-filters';
import type { RunView } from '../../../shared/ipc/schemas/jobs';

/** A run started at noon UTC on `day`: the same local day in every time zone within ±11 h. */
function run(id: string, day: string, status: RunView['status'], target: RunView['target']) {
  const r: RunView = {
    id,
    status,
    planFile: `/plans/${id}.jsonl`,
    resourceType: 'User',
    mode: 'upsert',
    target,
    startedAt: `${day}T12:00:00.000Z`,
    updatedAt: `${day}T12:00:00.000Z`,
    counts: {},
    resumable: false,
    undoable: false,
    reportFile: `/runs/${id}/report.csv`,
  };
  return r;
}

const RUNS = [
  run('a', '2026-11-01', 'completed', {
    connection: 'Okta prod',
    baseUrl: 'https://okta.example/scim',
  }),
  run('b', '2026-11-10', 'failed', {
    connection: 'Sandbox',
    baseUrl: 'http://127.0.0.1:9/scim/v2',
  }),
  run('c', '2026-11-20', 'interrupted', { baseUrl: 'https://entra.example/scim' }),
  run('d', '2026-11-30', 'completed', {
    connection: 'Okta test',
    baseUrl: 'https://okta-test.example',
  }),
];

const ids = (f: Partial<RunFilters>) => filterRuns(RUNS, { ...NO_FILTERS, ...f }).map((r) => r.id);

describe('filterRuns', () => {
  it('keeps every run without filters', () => {
    expect(ids({})).toEqual(['a', 'b', 'c', 'd']);
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, target: '   ' })).toBe(false);
  });

  it('matches the target on connection name or URL, any case, part of it', () => {
    expect(ids({ target: 'okta' })).toEqual(['a', 'd']);
    expect(ids({ target: 'ENTRA.example' })).toEqual(['c']);
    expect(ids({ target: '127.0.0.1' })).toEqual(['b']);
    expect(ids({ target: 'nowhere' })).toEqual([]);
  });

  it('keeps runs started within the days, both ends included', () => {
    expect(ids({ from: '2026-11-10' })).toEqual(['b', 'c', 'd']);
    expect(ids({ to: '2026-11-10' })).toEqual(['a', 'b']);
    expect(ids({ from: '2026-11-10', to: '2026-11-20' })).toEqual(['b', 'c']);
    expect(ids({ from: '2026-12-01' })).toEqual([]);
  });

  it('filters by status and combines every filter', () => {
    expect(ids({ status: 'completed' })).toEqual(['a', 'd']);
    expect(ids({ status: 'completed', target: 'test' })).toEqual(['d']);
    expect(ids({ status: 'completed', from: '2026-11-02', to: '2026-11-29' })).toEqual([]);
  });

  it('drops a run whose start is no date once a date filter is set', () => {
    const broken = { ...run('x', '2026-11-15', 'completed', {}), startedAt: 'soon' };
    expect(filterRuns([broken], { ...NO_FILTERS, from: '2026-01-01' })).toEqual([]);
    expect(filterRuns([broken], NO_FILTERS)).toEqual([broken]);
    expect(localDay('soon')).toBeUndefined();
  });
});
