/**
 * Line-oriented files for exports and snapshots: a writer that respects back-pressure (memory stays
 * flat however fast pages arrive) and only appears under its final name when complete, and a
 * streaming JSON Lines reader.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { PRIVATE_FILE_MODE } from './private-files';

export type LineFileWriter = {
  /** Appends text; resolves once the stream can take more (back-pressure). */
  write(text: string): Promise<void>;
  /** Flushes, closes and moves the file to its final name. */
  commit(): Promise<void>;
  /** Closes and deletes the partial file. Safe after commit (then it does nothing). */
  abort(): Promise<void>;
  /** Bytes written so far. */
  bytes(): number;
};

/** Characters gathered before one write to the stream (about 64 KiB of ASCII). */
const WRITE_BATCH_CHARS = 64 * 1024;

/**
 * Writes to `<path>.partial` and renames to `path` on commit, so an interrupted export never leaves
 * a truncated file that looks finished.
 */
export function createLineFileWriter(path: string): LineFileWriter {
  const partial = `${path}.partial`;
  // Exports, snapshots, plans and reports hold personal data: the admin's account only.
  // Room for a few batches, so the writer waits for the disk only when it falls behind (a 64 KiB
  // batch always exceeds the default 16 KiB, which made every batch wait for its own write).
  const stream = createWriteStream(partial, {
    encoding: 'utf8',
    mode: PRIVATE_FILE_MODE,
    highWaterMark: 4 * WRITE_BATCH_CHARS,
  });
  let written = 0;
  let done = false;
  let failure: Error | undefined;
  // Lines are gathered into chunks of about BATCH characters before they reach the stream: one
  // stream write per line made the stream's bookkeeping, not the data, the cost of an export.
  let pending: string[] = [];
  let pendingChars = 0;
  stream.on('error', (e) => {
    failure = e;
  });
  const flush = (): boolean => {
    if (pending.length === 0) return true;
    const text = pending.length === 1 ? (pending[0] ?? '') : pending.join('');
    pending = [];
    pendingChars = 0;
    // Encoded here once: the byte count comes with it (a string would be measured, then encoded).
    const chunk = Buffer.from(text, 'utf8');
    written += chunk.length;
    return stream.write(chunk);
  };
  return {
    async write(text) {
      if (failure) throw failure;
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars < WRITE_BATCH_CHARS) return;
      if (!flush()) await once(stream, 'drain');
    },
    async commit() {
      if (failure) throw failure;
      done = true;
      flush();
      await new Promise<void>((resolve, reject) => {
        stream.end((e?: Error | null) => {
          if (e) reject(e);
          else resolve();
        });
      });
      await rename(partial, path);
    },
    async abort() {
      if (done) return;
      done = true;
      pending = [];
      // The file may still be opening (nothing was flushed yet): wait until the stream has closed,
      // or the open would create it again after it was removed.
      const closed = new Promise<void>((resolve) => {
        if (stream.closed) resolve();
        else
          stream.once('close', () => {
            resolve();
          });
      });
      stream.destroy();
      await closed;
      await rm(partial, { force: true });
    },
    bytes: () => written + (pendingChars > 0 ? Buffer.byteLength(pending.join(''), 'utf8') : 0),
  };
}

/**
 * Streams the lines of a UTF-8 text file. Reads chunk by chunk as the consumer asks (unlike
 * `readline`'s async iterator, which reads ahead of a slow consumer and buffers every line), and
 * splits on newline bytes before decoding, so each line is decoded once.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  let carry: Buffer | undefined;
  for await (const data of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const chunk = carry ? Buffer.concat([carry, data as Buffer]) : (data as Buffer);
    carry = undefined;
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(10, start);
      if (end < 0) break;
      const stop = end > start && chunk[end - 1] === 13 ? end - 1 : end;
      yield chunk.toString('utf8', start, stop);
      start = end + 1;
    }
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  if (carry && carry.length > 0) {
    const text = carry.toString('utf8');
    yield text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}

/** Streams the parsed objects of a JSON Lines file, one at a time (blank lines skipped). */
export async function* readJsonLines(path: string): AsyncGenerator {
  let line = 0;
  for await (const text of readLines(path)) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`${path}, line ${line}: not valid JSON (${(e as Error).message})`, {
        cause: e,
      });
    }
  }
}
