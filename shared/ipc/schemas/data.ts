import { z } from 'zod';

/** What the data-folder cleanup may remove: plan files (`plans/`) and snapshots (`snapshots/`). */
export const CLEANUP_KINDS = ['plan', 'snapshot'] as const;
export type CleanupKind = (typeof CLEANUP_KINDS)[number];

/** Files last changed more than this many days ago are offered (0: every file not in use). */
export const CleanupPreviewRequestSchema = z.strictObject({
  olderThanDays: z.number().int().min(0).max(3650),
});

/** A file of the data folder, named by its path inside it (`plans/plan-….jsonl`). */
const CleanupItemSchema = z.object({
  id: z.string(),
  kind: z.enum(CLEANUP_KINDS),
  bytes: z.number().int().min(0),
  modifiedAt: z.string(),
});

/** What would be removed (and the total), and what is old enough but kept, with why. */
export const CleanupPreviewSchema = z.object({
  /** Names exactly this list; `data:cleanup` deletes with it and nothing else. */
  previewId: z.string(),
  olderThanDays: z.number(),
  cutoff: z.string(),
  items: z.array(CleanupItemSchema),
  totalBytes: z.number(),
  kept: z.array(CleanupItemSchema.extend({ reason: z.string() })),
});
export type CleanupPreview = z.infer<typeof CleanupPreviewSchema>;

export const CleanupRequestSchema = z.strictObject({
  previewId: z.string().regex(/^\d{1,16}\.[0-9a-f]{32}$/),
});

export const CleanupResultSchema = z.object({
  removed: z.array(CleanupItemSchema.omit({ modifiedAt: true })),
  removedBytes: z.number(),
  /** Files that could not be deleted, with the system's message. */
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});
export type CleanupResult = z.infer<typeof CleanupResultSchema>;
