import { describe, expect, it } from 'vitest';
import { createCliLogger } from '../../../cli/log';
import type { CliIo } from '../../../cli/io';

function memoryIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: () => undefined,
    err: (l: string) => {
      lines.push(l);
    },
    progress: () => undefined,
    env: {},
    cwd: '/',
  };
}

describe('CLI logger', () => {
  it('prints warnings readably and drops debug unless verbose', () => {
    const io = memoryIo();
    const log = createCliLogger(io, false);
    log.log('debug', 'request', { url: 'http://x/Users' });
    log.log('warn', 'retrying request', { status: 429, delayMs: 6000 });
    expect(io.lines).toEqual(['warn: retrying request (status=429, delayMs=6000)']);
  });

  it('scrubs credentials from messages and fields even with --verbose', () => {
    const io = memoryIo();
    createCliLogger(io, true).log('debug', 'sent Bearer tok_9f8e7d6c5b4a', {
      headers: { authorization: 'Bearer tok_9f8e7d6c5b4a' },
    });
    expect(io.lines.join('\n')).not.toContain('tok_9f8e7d6c5b4a');
    expect(io.lines[0]).toMatch(/^debug: sent Bearer \[REDACTED\]/);
  });
});
