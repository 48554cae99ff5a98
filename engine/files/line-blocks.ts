/**
 * Reads lines of an indexed file (byte offset and length of each line, as the plan and snapshot
 * readers record them) by number. Lines are mostly read in order, or near one of the last two
 * lines read (a plan row and its match; neighbouring rows that share a manager), so they come from
 * a few cached 64 KiB blocks rather than one system call each; a far jump reads just its line, and
 * so does a line across a block edge.
 */
import { readSync } from 'node:fs';

const BLOCK = 64 * 1024;
const BLOCKS_KEPT = 16;
/** A line within this many lines of one of the last two read is "near". */
const NEAR = 64;

type LineIndex = {
  /** Byte offset of line `i`. */
  offsets: ArrayLike<number>;
  /** Byte length of line `i`, without its line break. */
  lengths: ArrayLike<number>;
};

/** The text of line `i` of the file open as `fd`. */
export function createLineReader(fd: number, index: LineIndex): (i: number) => string {
  const blocks = new Map<number, Buffer>();
  let recent0 = -1_000_000;
  let recent1 = -1_000_000;
  const blockAt = (n: number): Buffer => {
    const hit = blocks.get(n);
    if (hit) {
      blocks.delete(n);
      blocks.set(n, hit);
      return hit;
    }
    const b = Buffer.allocUnsafe(BLOCK);
    const block = b.subarray(0, readSync(fd, b, 0, BLOCK, n * BLOCK));
    blocks.set(n, block);
    if (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value ?? n);
    return block;
  };
  return (i) => {
    const length = index.lengths[i] ?? 0;
    const start = index.offsets[i] ?? 0;
    const n = Math.floor(start / BLOCK);
    const near = blocks.has(n) || Math.abs(i - recent0) <= NEAR || Math.abs(i - recent1) <= NEAR;
    recent1 = recent0;
    recent0 = i;
    if (near && start + length <= (n + 1) * BLOCK) {
      const from = start - n * BLOCK;
      return blockAt(n).toString('utf8', from, from + length);
    }
    const buffer = Buffer.allocUnsafe(length);
    readSync(fd, buffer, 0, length, start);
    return buffer.toString('utf8');
  };
}
