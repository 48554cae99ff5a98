/**
 * Which text encoding a CSV file is in, from its first bytes.
 *
 * - A byte-order mark decides: `EF BB BF` UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE.
 * - Without one, a NUL in every other byte is UTF-16 without a BOM (ASCII text has a zero high
 *   byte in each code unit);
 * - otherwise valid UTF-8 is UTF-8 and anything else is Windows-1252 (what Excel writes for
 *   "CSV (Comma delimited)" on Western-European Windows).
 */
import type { CsvEncoding } from '../../../../shared/import/types';

export type DetectedEncoding = {
  encoding: CsvEncoding;
  /** Length in bytes of the byte-order mark at the start of the file (0 when none). */
  bomLength: number;
};

const BOMS: ReadonlyArray<{ encoding: CsvEncoding; bytes: readonly number[] }> = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** The byte-order mark the head starts with, if any. */
export function bomAt(head: Uint8Array): DetectedEncoding | undefined {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => head[i] === b)) {
      return { encoding: bom.encoding, bomLength: bom.bytes.length };
    }
  }
  return undefined;
}

/** The BOM length to skip when the encoding is forced: only a BOM of that same encoding. */
export function bomLengthFor(head: Uint8Array, encoding: CsvEncoding): number {
  const bom = bomAt(head);
  return bom?.encoding === encoding ? bom.bomLength : 0;
}

/** Bytes looked at for the UTF-16 NUL pattern. */
const UTF16_PROBE_BYTES = 4096;

/**
 * UTF-16 without a BOM: most code units of a CSV are ASCII, so one byte of each pair is zero.
 * Requires zeros in at least 40% of the pairs on one side and almost none on the other.
 */
export function utf16ByNulPattern(head: Uint8Array): CsvEncoding | undefined {
  const n = Math.min(head.length, UTF16_PROBE_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05) return 'utf-16le';
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * True when the bytes are valid UTF-8. `complete` is false when the head was cut from a longer
 * file: a sequence cut at the very end is then not held against it.
 */
export function isValidUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, {
      stream: !complete,
    });
    return true;
  } catch {
    return false;
  }
}

/** Detects the encoding from the head of the file (`complete`: the head is the whole file). */
export function detectEncoding(head: Uint8Array, complete: boolean): DetectedEncoding {
  const bom = bomAt(head);
  if (bom) return bom;
  const utf16 = utf16ByNulPattern(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isValidUtf8(head, complete) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}
