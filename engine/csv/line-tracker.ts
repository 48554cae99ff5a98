/**
 * Counts physical lines while walking a text forward (CRLF, LF and CR each count one), across the
 * texts a chunked reader parses one after the other.
 */
const LF = 0x0a;

/** Walks a text forward counting physical lines (CRLF, LF and CR each count one). */
export class LineTracker {
  line = 1;
  private text = '';
  private pos = 0;
  private nextCr = -1;
  private nextLf = -1;
  /** A CR was the last character of the previous text: a LF first in the next one is its pair. */
  private crAtEnd = false;

  setText(text: string): void {
    this.text = text;
    this.nextCr = -1;
    this.nextLf = -1;
    if (this.crAtEnd && this.pos === 0 && text.charCodeAt(0) === LF) this.pos = 1;
    this.crAtEnd = false;
  }

  /** The next text starts at `offset` of this one. */
  consume(offset: number): void {
    this.pos = Math.max(0, this.pos - offset);
  }

  advanceTo(end: number): void {
    const text = this.text;
    while (this.pos < end) {
      if (this.nextCr !== Infinity && this.nextCr < this.pos) {
        const i = text.indexOf('\r', this.pos);
        this.nextCr = i < 0 ? Infinity : i;
      }
      if (this.nextLf !== Infinity && this.nextLf < this.pos) {
        const i = text.indexOf('\n', this.pos);
        this.nextLf = i < 0 ? Infinity : i;
      }
      const b = Math.min(this.nextCr, this.nextLf);
      if (b >= end) {
        this.pos = end;
        return;
      }
      this.line++;
      if (b === this.nextCr && text.charCodeAt(b + 1) === LF) {
        this.pos = b + 2;
      } else {
        this.pos = b + 1;
        if (b === this.nextCr && b + 1 === text.length) this.crAtEnd = true;
      }
    }
  }
}
