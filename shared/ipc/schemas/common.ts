import { z } from 'zod';

/**
 * An engine object sent to the renderer as-is (plans, runs, summaries): checked to be an object,
 * typed as the engine's own type. Requests are never typed this way — they get full schemas.
 */
export function engineObject<T extends object>(): z.ZodType<T> {
  return z.looseObject({}) as unknown as z.ZodType<T>;
}

/** An absolute file path chosen in a native dialog or dropped on the window. */
export const FilePathSchema = z.string().min(1).max(4096);

/** Ids the engine hands out (jobs, plans, runs, connections). */
export const IdSchema = z.string().min(1).max(200);

export const CsvOptionsSchema = z.strictObject({
  skipLines: z.number().int().min(0).max(100).optional(),
  /** false: the file has no header row; true: the first line is the header, no questions asked. */
  header: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
});
export type CsvOptions = z.infer<typeof CsvOptionsSchema>;
