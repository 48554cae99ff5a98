/** Opens a CSV file for reading and reads its head, turning file-system failures into sentences. */
import { open, stat } from 'node:fs/promises';
import { inputError } from './input-error';

export type FileHead = {
  /** Size of the file in bytes. */
  bytes: number;
  /** The first bytes of the file (at most the requested length). */
  head: Uint8Array;
  /** The head is the whole file. */
  complete: boolean;
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

/** Reads the first `maxBytes` bytes of a regular file. */
export async function readHead(path: string, maxBytes: number): Promise<FileHead> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    throw fileAccessError(path, e);
  }
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, maxBytes));
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const head = buf.subarray(0, got);
      return { bytes: size, head, complete: got >= size };
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw fileAccessError(path, e);
  }
}
