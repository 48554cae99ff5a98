import { describeError } from '../shared/errors/describe';
import type { ErrorPayload } from '../shared/errors/payload';
import { terminalSafe, terminalValue } from './terminal-text';

/** Where the CLI writes: results on stdout, progress and messages on stderr. */
export type CliIo = {
  out(line: string): void;
  err(line: string): void;
  /** Progress line that overwrites itself on a terminal, and is silent otherwise. */
  progress(line: string): void;
  /** True when stderr is a terminal (progress redraws in place); otherwise progress is logged now and then. */
  interactive?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
};

export function createProcessIo(): CliIo {
  const tty = process.stderr.isTTY;
  let progressShown = false;
  return {
    out: (line) => process.stdout.write(terminalSafe(line) + '\n'),
    err: (line) => {
      if (progressShown) process.stderr.write('\r\x1b[2K');
      progressShown = false;
      process.stderr.write(terminalSafe(line) + '\n');
    },
    progress: (line) => {
      if (!tty) return;
      process.stderr.write('\r\x1b[2K' + terminalSafe(line));
      progressShown = true;
    },
    interactive: tty,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Prints an error as the sentence, the next step, and the raw answer when there is one. */
export function printError(io: CliIo, error: ErrorPayload, verbose: boolean): void {
  const d = describeError(error);
  // The sentence may quote a server's detail or a connection name: one line, whatever it holds.
  io.err(`Error: ${terminalValue(d.sentence)}`);
  io.err(`Next step: ${terminalValue(d.nextStep)}`);
  if (error.csvFix) io.err(`Fix: ${csvFixFlags(error.csvFix)}`);
  if (d.raw) {
    const raw = verbose ? d.raw : d.raw.slice(0, 600) + (d.raw.length > 600 ? ' …' : '');
    io.err(`Server answer${error.url ? ` (${error.method ?? ''} ${error.url})` : ''}:\n${raw}`);
  }
}

/** The command-line flags that apply a CSV read fix (`mapping suggest` and `plan` take them). */
export function csvFixFlags(fix: NonNullable<ErrorPayload['csvFix']>): string {
  const flags = [
    ...(fix.skipLines !== undefined ? [`--skip-lines ${fix.skipLines}`] : []),
    ...(fix.header === false ? ['--no-header'] : fix.header === true ? ['--header'] : []),
  ];
  return `run the command again with ${flags.join(' ')} (the mapping written by "scim-porter mapping suggest" then records it).`;
}

/** Pads columns for a plain text table. */
export function formatTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
