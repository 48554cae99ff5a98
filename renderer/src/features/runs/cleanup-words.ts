import type { CleanupResult } from '../../../../shared/ipc/schemas/data';

/** 0 → "0 bytes", 1536 → "1.5 KiB". */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${n} ${units[unit] ?? 'bytes'}`;
}

const files = (n: number) => (n === 1 ? '1 file' : `${String(n)} files`);

/** The sentence after a cleanup: what went, and what could not be removed. */
export function resultSentence(r: CleanupResult): string {
  const removed =
    r.removed.length === 0
      ? 'Nothing was removed from the data folder.'
      : `Removed ${files(r.removed.length)} (${sizeText(r.removedBytes)}) from the data folder.`;
  if (r.failed.length === 0) return removed;
  return `${removed} ${files(r.failed.length)} could not be removed: ${r.failed
    .map((f) => `${f.id} (${f.message})`)
    .join('; ')}.`;
}
