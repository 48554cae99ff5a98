/**
 * Streaming text decoding of a CSV file: bytes in chunks → string chunks, with multi-byte
 * sequences split across chunks carried over (`TextDecoder` with `stream: true`).
 *
 * Windows-1252 is decoded with our own table: Node 20's `TextDecoder('windows-1252')` decodes
 * 0x80–0x9F as Latin-1 control characters (U+0080…) instead of `€`, `‚`, `ƒ`… when called without
 * `stream: true` (its single-byte fast path), and a single-byte code page needs no stream state.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { CsvEncoding } from '../../shared/import/types';
import {
  describeChange,
  fileAccessError,
  fileChangedError,
  stampNow,
  type FileStamp,
} from './file-access';

/** Turns byte chunks into text; `end()` flushes a sequence left incomplete at the end. */
type ChunkDecoder = {
  write(bytes: Uint8Array): string;
  end(): string;
};

/** WHATWG windows-1252 for 0x80–0x9F; bytes without a character map to the same code point. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
  0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

const C1_RANGE = /[\x80-\x9f]/g;

function decodeCp1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(C1_RANGE, (c) =>
    String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c.charCodeAt(0)),
  );
}

/** A decoder for one pass over a file. The caller skips the byte-order mark itself. */
export function createChunkDecoder(encoding: CsvEncoding): ChunkDecoder {
  if (encoding === 'windows-1252') {
    return { write: decodeCp1252, end: () => '' };
  }
  // ignoreBOM: the BOM bytes are skipped by offset; a U+FEFF later in the file is kept as text.
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

/** Bytes read from disk at a time. */
const READ_CHUNK_BYTES = 256 * 1024;

/** Decodes text in one go (the head of a file, tests). */
export function decodeAll(bytes: Uint8Array, encoding: CsvEncoding): string {
  const decoder = createChunkDecoder(encoding);
  return decoder.write(bytes) + decoder.end();
}

/** How {@link decodeFile} reads. */
type DecodeFileOptions = {
  /** Byte to start at (past the BOM). */
  start: number;
  /** The file as first seen: the read stops with "the file changed while it was read" if it moves. */
  stamp?: FileStamp;
  /** Bytes read from disk at a time (default {@link READ_CHUNK_BYTES}). */
  chunkBytes?: number;
  /** Awaited after each chunk is read, before the file is checked again (a test seam). */
  afterChunk?: (bytesRead: number) => void | Promise<void>;
  /** Set when the file holds the character U+FFFD itself (EF BF BD), not only invalid bytes. */
  notes?: { literalReplacement: boolean };
};

const UTF8_REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * Streams the decoded text of a file. Reads only as fast as the consumer pulls; returning early
 * closes the file. With a stamp, the file is checked after every chunk and at the end: a file
 * that another program truncated, extended, rewrote, replaced or deleted stops the read with an
 * `input` error instead of yielding a mix of old and new content or a silently shorter file.
 */
export async function* decodeFile(
  path: string,
  encoding: CsvEncoding,
  opts: DecodeFileOptions,
): AsyncGenerator<string> {
  const { stamp, notes } = opts;
  const chunkBytes = opts.chunkBytes ?? READ_CHUNK_BYTES;
  const decoder = createChunkDecoder(encoding);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw stamp ? fileChangedError(path, 'it was deleted') : fileAccessError(path, e);
  }
  const check = async (): Promise<void> => {
    if (!stamp) return;
    const now = await fh.stat({ bigint: true });
    const atPath = now.nlink === 0n ? await stampNow(path) : undefined;
    const what = describeChange(stamp, now, atPath);
    if (what) throw fileChangedError(path, what);
  };
  try {
    await check();
    let position = opts.start;
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      await opts.afterChunk?.(position);
      await check();
      const bytes = buf.subarray(0, bytesRead);
      const text = decoder.write(bytes);
      if (
        notes &&
        encoding === 'utf-8' &&
        text.includes('\uFFFD') &&
        bytes.includes(UTF8_REPLACEMENT)
      ) {
        notes.literalReplacement = true;
      }
      if (text) yield text;
    }
    if (stamp) {
      await check();
      const what =
        describeChange(stamp, await stampNow(path)) ??
        (BigInt(position) !== stamp.size ? `it was shortened to ${position} bytes` : undefined);
      if (what) throw fileChangedError(path, what);
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    await fh.close();
  }
}
