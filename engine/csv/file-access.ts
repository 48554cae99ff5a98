/**
 * Opens a CSV file for reading and reads its head, turning file-system failures into sentences;
 * stamps the file so a read can tell when another program changed it underneath.
 */
import type { BigIntStats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppError } from '../../shared/errors/errors';
import { inputError } from './input-error';

type FileHead = {
  /** Size of the file in bytes. */
  bytes: number;
  /** The first bytes of the file (at most the requested length). */
  head: Uint8Array;
  /** The head is the whole file. */
  complete: boolean;
  /** The file when the head was read. */
  stamp: FileStamp;
};

function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    return typeof e.code === 'string' ? e.code : undefined;
  }
  return undefined;
}

/** Why a path cannot be read, as an AppError naming it. */
export function fileAccessError(path: string, e: unknown): Error {
  switch (errnoCode(e) ?? '') {
    case 'ENOENT':
    case 'ENOTDIR':
      return inputError(
        `The file ${path} does not exist.`,
        'Check the path, or choose the file again.',
        e,
      );
    case 'EISDIR':
      return inputError(
        `${path} is a folder, not a CSV file.`,
        'Choose a .csv file inside that folder.',
        e,
      );
    case 'EACCES':
    case 'EPERM':
      return inputError(
        `SCIM Porter is not allowed to read ${path}.`,
        'Check the file permissions, or copy the file to a folder you own and choose the copy.',
        e,
      );
    case 'EBUSY':
      return inputError(
        `${path} is locked by another program.`,
        'Close the file in Excel (or the program that has it open) and try again.',
        e,
      );
    default:
      return inputError(
        `SCIM Porter could not read ${path}.`,
        'Check that the file is on a reachable drive and try again.',
        e,
      );
  }
}

/**
 * What identifies the content of a file at one moment: device and inode (which file), link count
 * (still on disk), size and modification time in nanoseconds. Two equal stamps mean the file was
 * not changed in between, as far as the file system can tell.
 */
export type FileStamp = {
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  size: bigint;
  mtimeNs: bigint;
};

function stampOf(st: BigIntStats): FileStamp {
  return { dev: st.dev, ino: st.ino, nlink: st.nlink, size: st.size, mtimeNs: st.mtimeNs };
}

/** Reads the first `maxBytes` bytes of a regular file, and its stamp. */
export async function readHead(path: string, maxBytes: number): Promise<FileHead> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileAccessError(path, e);
  }
  try {
    const st = await fh.stat({ bigint: true });
    // On POSIX a folder opens for reading; only reading it fails (EISDIR).
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const size = Number(st.size);
    const buf = Buffer.alloc(Math.min(size, maxBytes));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const head = buf.subarray(0, got);
    return { bytes: size, head, complete: got >= size, stamp: stampOf(st) };
  } catch (e) {
    throw fileAccessError(path, e);
  } finally {
    await fh.close();
  }
}

/**
 * What changed between two stamps of the same path, in words; undefined when nothing did. `now`
 * is the open file's stamp (or the path's); `atPath`, when given, is what the path holds now, which
 * tells a file replaced by another (the open one was unlinked) from one that was deleted.
 */
export function describeChange(
  before: FileStamp,
  now: FileStamp | undefined,
  atPath?: FileStamp,
): string | undefined {
  if (!now || now.nlink === 0n) {
    return atPath && atPath.ino !== before.ino
      ? 'it was replaced by another file'
      : 'it was deleted';
  }
  if (now.dev !== before.dev || now.ino !== before.ino) return 'it was replaced by another file';
  if (now.size < before.size) return `it was shortened from ${before.size} to ${now.size} bytes`;
  if (now.size > before.size) return `it grew from ${before.size} to ${now.size} bytes`;
  if (now.mtimeNs !== before.mtimeNs) return 'it was modified';
  return undefined;
}

/** The error that stops a read when the file changed under it. */
export function fileChangedError(path: string, what: string): AppError {
  return inputError(
    `The file ${basename(path)} changed while it was read: ${what}.`,
    'Wait until the program that writes the file has finished (or copy it and choose the copy), then start again.',
  );
}

/** The stamp of the file at `path` now (undefined when it is gone). */
export async function stampNow(path: string): Promise<FileStamp | undefined> {
  try {
    return stampOf(await stat(path, { bigint: true }));
  } catch {
    return undefined;
  }
}
