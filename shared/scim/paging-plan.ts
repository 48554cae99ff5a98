/**
 * What paging will actually be used, from what discovery observed (issue 12 item 7, issue 15):
 * exports prefer concurrent index pages when page 2 was seen to differ from page 1, other lists
 * follow `effective.paging`. Pure, so the engine, the CLI's `discover` and the app say the same.
 */
import type { DiscoveryResult } from './discovery-types';

type ListPaging = DiscoveryResult['effective']['paging'];

/** The paging an export on `auto` uses: index pages when the probe saw them work, else the effective kind. */
export function autoExportPaging(d: Pick<DiscoveryResult, 'effective' | 'probes'>): ListPaging {
  if (d.effective.paging === 'none' || d.effective.paging === 'refused') return d.effective.paging;
  return d.probes.indexPaging.observed === 'yes' ? 'index' : d.effective.paging;
}

function kindText(p: ListPaging, pageSize: number, concurrent: boolean): string {
  switch (p) {
    case 'cursor':
      return `cursor paging (RFC 9865), ${pageSize} per page, one page after another`;
    case 'index':
      return concurrent
        ? `index paging, ${pageSize} per page, several pages at a time`
        : `index paging, ${pageSize} per page, one page after another until an empty page`;
    case 'none':
      return 'the whole list in one answer (the server ignores count)';
    case 'refused':
      return `one page of ${pageSize} only: startIndex was seen ignored and there is no cursor, so a longer list stops as incomplete`;
  }
}

/** One line per use: exports, and every other list (plans, sweeps, groups). */
export function describePaging(d: Pick<DiscoveryResult, 'effective' | 'probes'>): {
  exports: string;
  lists: string;
} {
  const size = d.effective.pageSize;
  const exp = autoExportPaging(d);
  return {
    exports: kindText(exp, size, exp === 'index'),
    lists: kindText(d.effective.paging, size, false),
  };
}
