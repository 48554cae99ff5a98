import { open } from 'node:fs/promises';

/** The file's first line (from its first 4 KiB), to spot the Entra template's version line. */
export async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    // A folder opens for reading on POSIX; reading it fails (EISDIR). The reader names it.
    const read = await handle.read(Buffer.alloc(4096), 0, 4096, 0).catch(() => undefined);
    if (!read) return '';
    const { buffer, bytesRead } = read;
    return (
      buffer
        .subarray(0, bytesRead)
        .toString('latin1')
        .split(/\r\n|\n|\r/)[0] ?? ''
    );
  } finally {
    await handle.close();
  }
}
