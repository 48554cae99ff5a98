import type { ProbeOutcome } from '../../../../shared/scim/discovery-types';

/** Human names of the probes discovery runs. */
export const PROBE_LABELS = {
  filterEq: 'Filter (eq)',
  indexPaging: 'Index paging',
  cursorPaging: 'Cursor paging (RFC 9865)',
  etag: 'ETags',
  patch: 'PATCH',
  bulk: 'Bulk',
} as const;

/** True when the server advertised one thing and the probe saw another. */
export function probeDisagrees(p: ProbeOutcome): boolean {
  if (p.advertised === undefined || p.observed === 'unknown') return false;
  return p.advertised !== (p.observed === 'yes');
}

/** 1048576 → "1 MiB"; 0 → "not stated". */
export function formatBytes(bytes: number): string {
  if (!bytes) return 'not stated';
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? 'bytes'}`;
}

export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}
