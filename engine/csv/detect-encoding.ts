/**
 * Which text encoding a CSV file is in, from its first bytes.
 *
 * - A byte-order mark decides: `EF BB BF` UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE.
 * - Without one, a NUL in every other byte is UTF-16 without a BOM (ASCII text has a zero high
 *   byte in each code unit);
 * - otherwise text with any valid multi-byte UTF-8 sequence (or none at all: plain ASCII) is UTF-8,
 *   and text whose non-ASCII bytes are never UTF-8 is Windows-1252 (what Excel writes for "CSV
 *   (Comma delimited)" on Western-European Windows).
 *
 * A file with both — valid UTF-8 and bytes that are not — is a UTF-8 file with damaged cells (a
 * cell pasted from another program): it is read as UTF-8 and the reader leaves the rows with
 * invalid bytes out, naming row and column. Reading it as Windows-1252 instead would silently
 * turn every correct `ë` into `Ã«`; a genuine Windows-1252 file hardly ever contains a byte pair
 * that is valid UTF-8 (it would take a capital letter or `ß` directly followed by a symbol such as
 * `“`), and the admin can always choose the encoding.
 */
import type { CsvEncoding } from '../../shared/import/types';

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
function bomAt(head: Uint8Array): DetectedEncoding | undefined {
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

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte), RFC 3629 §4. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** True when `bytes[i]` is the `k`-th byte of a valid sequence that starts with `lead`. */
function validContinuation(lead: number, k: number, byte: number | undefined): boolean {
  if (byte === undefined) return false;
  if (k === 1) {
    // The second byte rules out overlong forms and surrogates (RFC 3629 §4).
    if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
    if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
    if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
    if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  }
  return byte >= 0x80 && byte <= 0xbf;
}

/**
 * Counts the valid multi-byte UTF-8 sequences and the invalid bytes (sequences) of `bytes`. With
 * `complete` false a sequence cut by the end is not counted either way.
 */
function utf8Evidence(bytes: Uint8Array, complete: boolean): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  const n = bytes.length;
  for (let i = 0; i < n;) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(lead);
    let k = 1;
    while (k < length && validContinuation(lead, k, bytes[i + k])) k++;
    if (length > 0 && k === length) {
      valid++;
      i += length;
    } else if (i + k >= n && !complete) {
      break;
    } else {
      invalid++;
      i += Math.max(1, k);
    }
  }
  return { valid, invalid };
}

/** Detects the encoding from the head of the file (`complete`: the head is the whole file). */
export function detectEncoding(head: Uint8Array, complete: boolean): DetectedEncoding {
  const bom = bomAt(head);
  if (bom) return bom;
  const utf16 = utf16ByNulPattern(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  const { valid, invalid } = utf8Evidence(head, complete);
  return { encoding: invalid === 0 || valid > 0 ? 'utf-8' : 'windows-1252', bomLength: 0 };
}
