import { withRedactor } from '../engine/log/logger';
import { defaultRedactor } from '../engine/log/redact';
import type { Logger, LogLevel } from '../engine/ports';
import type { CliIo } from './io';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * Engine diagnostics for a terminal: one readable line on stderr per event, warnings and errors by
 * default, everything with --verbose. Lines pass through the redactor like every other log.
 */
export function createCliLogger(io: CliIo, verbose: boolean): Logger {
  const min = RANK[verbose ? 'debug' : 'warn'];
  return withRedactor(
    {
      log(level, message, fields) {
        if (RANK[level] < min) return;
        io.err(`${level}: ${message}${formatFields(fields)}`);
      },
    },
    defaultRedactor,
  );
}
