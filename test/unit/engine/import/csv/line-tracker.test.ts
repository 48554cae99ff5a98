import { describe, expect, it } from 'vitest';
import { LineTracker } from '../../../../../engine/csv/line-tracker';

describe('LineTracker', () => {
  it('counts CRLF, LF and CR each as one line', () => {
    const t = new LineTracker();
    const text = 'a\r\nb\nc\rd';
    t.setText(text);
    t.advanceTo(3);
    expect(t.line).toBe(2);
    t.advanceTo(text.length);
    expect(t.line).toBe(4);
  });

  it('does not count a break at the end position itself until passed', () => {
    const t = new LineTracker();
    t.setText('ab\ncd');
    t.advanceTo(2);
    expect(t.line).toBe(1);
    t.advanceTo(3);
    expect(t.line).toBe(2);
  });

  it('pairs a CR ending one text with an LF starting the next (one line, not two)', () => {
    const t = new LineTracker();
    t.setText('a\r');
    t.advanceTo(2);
    expect(t.line).toBe(2);
    t.consume(2);
    t.setText('\nb\nc');
    t.advanceTo(4);
    expect(t.line).toBe(3);
  });

  it('carries its position across texts: the next text starts at the consumed offset', () => {
    const t = new LineTracker();
    t.setText('x\ny\nz');
    t.advanceTo(2);
    expect(t.line).toBe(2);
    // The text from offset 2 ("y\nz") is the start of the next one.
    t.consume(2);
    t.setText('y\nz\nw');
    t.advanceTo(5);
    expect(t.line).toBe(4);
  });
});
