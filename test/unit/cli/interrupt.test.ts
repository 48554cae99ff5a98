import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED, watchInterrupts } from '../../../cli/interrupt';

describe('watchInterrupts', () => {
  it('aborts on the first signal, forces exit 130 on the second, and lets go on dispose', () => {
    const source = new EventEmitter();
    const said: string[] = [];
    const exits: number[] = [];
    const i = watchInterrupts(
      (l) => said.push(l),
      (c) => exits.push(c),
      source,
    );
    expect(i.signal.aborted).toBe(false);
    source.emit('SIGTERM');
    expect(i.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    expect(said[0]).toMatch(/Stopping safely.*Ctrl\+C again/);
    source.emit('SIGINT');
    expect(exits).toEqual([EXIT_INTERRUPTED]);
    expect(EXIT_INTERRUPTED).toBe(130);
    i.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });
});
