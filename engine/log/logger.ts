import type { Logger, LogLevel } from '../ports';
import { defaultRedactor, type Redactor } from './redact';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Anything with a string `write`: a file stream, process.stderr, or an array-backed sink in tests. */
export type LineSink = { write(line: string): unknown };

type LoggerOptions = {
  sink: LineSink;
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Applied to the message and every field; default scrubs secret shapes only. */
  redactor?: Redactor;
  now?: () => number;
  /** Fields added to every line (e.g. `{ component: 'transport' }`). */
  base?: Record<string, unknown>;
};

/**
 * A Logger (see ports.ts) writing one JSON object per line. Every line passes through the redactor,
 * so a token handed in a field or embedded in a message never reaches the sink.
 */
export function createLogger(options: LoggerOptions): Logger {
  const min = LEVEL_RANK[options.level ?? 'info'];
  const redactor = options.redactor ?? defaultRedactor;
  const now = options.now ?? Date.now;
  return {
    log(level, message, fields) {
      if (LEVEL_RANK[level] < min) return;
      const safeFields = redactor.value({ ...options.base, ...fields }) as Record<string, unknown>;
      const line = {
        time: new Date(now()).toISOString(),
        level,
        msg: redactor.text(message),
        ...safeFields,
      };
      let serialised: string;
      try {
        serialised = JSON.stringify(line, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v,
        );
      } catch {
        serialised = JSON.stringify({
          time: line.time,
          level,
          msg: line.msg,
          note: 'fields not serialisable',
        });
      }
      options.sink.write(`${serialised}\n`);
    },
  };
}

/** A Logger that drops everything (the default when no logger is injected). */
export const silentLogger: Logger = { log: () => undefined };

/** Wraps a logger so every line also passes through a connection-specific redactor first. */
export function withRedactor(logger: Logger, redactor: Redactor): Logger {
  return {
    log(level, message, fields) {
      logger.log(
        level,
        redactor.text(message),
        fields ? (redactor.value(fields) as Record<string, unknown>) : undefined,
      );
    },
  };
}
