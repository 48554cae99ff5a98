import { z } from 'zod';

/** An engine object sent to the renderer as-is; its TypeScript type is the engine's own. */
export function engineObject<T>() {
  return z.custom<T>((v) => typeof v === 'object' && v !== null);
}

/** An absolute file path chosen in a native dialog or dropped on the window. */
export const FilePathSchema = z.string().min(1).max(4096);

/** Ids the engine hands out (jobs, plans, runs, connections). */
export const IdSchema = z.string().min(1).max(200);

export const CsvOptionsSchema = z.strictObject({
  skipLines: z.number().int().min(0).max(100).optional(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
});
export type CsvOptions = z.infer<typeof CsvOptionsSchema>;
