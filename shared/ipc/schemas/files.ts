import { z } from 'zod';
import { FilePathSchema } from './common';

/** What a native open dialog is for; main picks the title and file filters from it. */
export const OPEN_PURPOSES = ['csv', 'mapping', 'protect', 'plan'] as const;
/** What a native save dialog is for. */
export const SAVE_PURPOSES = [
  'mapping',
  'export-csv',
  'export-jsonl',
  'report',
  'failed-rows',
] as const;
export type OpenPurpose = (typeof OPEN_PURPOSES)[number];
export type SavePurpose = (typeof SAVE_PURPOSES)[number];

export const OpenDialogRequestSchema = z.strictObject({ purpose: z.enum(OPEN_PURPOSES) });
export const SaveDialogRequestSchema = z.strictObject({
  purpose: z.enum(SAVE_PURPOSES),
  defaultName: z.string().max(255).optional(),
});
/** `null` when the admin cancelled the dialog. */
export const DialogResponseSchema = z.object({ path: z.string().nullable() });
export const ShowInFolderRequestSchema = z.strictObject({ path: FilePathSchema });
