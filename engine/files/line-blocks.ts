/**
 * Reads lines of an indexed file (byte offset and length of each line, as the plan and snapshot
 * readers record them) by number. Lines are mostly read in order, or near one of the last two
 * lines read (a plan row and its match; neighbouring rows that share a manager), so they come from
 * a few cached 64 KiB blocks rather than one system call each; a far jump reads just its line, and
 * so does a line across a block edge. A block that is all ASCII (most are) is decoded as Latin-1,
 * which gives the same text as UTF-8 for those bytes without validating them.
 */
import { isAscii } from 'node:buffer';
import { readSync } from 'node:fs';

const BLOCK = 64 * 1024;
const BLOCKS_KEPT = 16;
/** A line within this many lines of one of the last two read is "near". */
const NEAR = 64;

type Block = { bytes: Buffer; ascii: boolean };

/** The text of `bytes[from, to)`: Latin-1 for an ASCII block (the same text, no validation). */
function decode(block: Block, from: number, to: number): string {
  return block.bytes.toString(block.ascii ? 'latin1' : 'utf8', from, to);
}

type LineIndex = {
  /** Byte offset of line `i`. */
  offsets: ArrayLike<number>;
  /** Byte length of line `i`, without its line break. */
  lengths: ArrayLike<number>;
};

/** The text of line `i` of the file open as `fd`. */
export function createLineReader(fd: number, index: LineIndex): (i: number) => string {
  const blocks = new Map<number, Block>();
  let recent0 = -1_000_000;
  let recent1 = -1_000_000;
  // The block of the last line read: most reads are in it (no reordering of the kept blocks).
  let lastN = -1;
  let last: Block | undefined;
  const blockAt = (n: number): Block => {
    if (n === lastN && last) return last;
    let block = blocks.get(n);
    if (block) {
      blocks.delete(n);
      blocks.set(n, block);
    } else {
      const b = Buffer.allocUnsafe(BLOCK);
      const bytes = b.subarray(0, readSync(fd, b, 0, BLOCK, n * BLOCK));
      block = { bytes, ascii: isAscii(bytes) };
      blocks.set(n, block);
      if (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value ?? n);
    }
    lastN = n;
    last = block;
    return block;
  };
  return (i) => {
    const length = index.lengths[i] ?? 0;
    const start = index.offsets[i] ?? 0;
    const n = Math.floor(start / BLOCK);
    const near =
      n === lastN ||
      blocks.has(n) ||
      Math.abs(i - recent0) <= NEAR ||
      Math.abs(i - recent1) <= NEAR;
    recent1 = recent0;
    recent0 = i;
    if (near && start + length <= (n + 1) * BLOCK) {
      const from = start - n * BLOCK;
      return decode(blockAt(n), from, from + length);
    }
    const bytes = Buffer.allocUnsafe(length);
    readSync(fd, bytes, 0, length, start);
    return decode({ bytes, ascii: isAscii(bytes) }, 0, length);
  };
}
