import { resolve } from 'node:path';
import type { OpenPurpose, SavePurpose } from '../../../shared/ipc/schemas/files';
import type { FileDialogOptions } from '../../ports';
import type { Handler } from '../types';

const CSV = { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] };
const JSON_FILES = { name: 'Mapping (JSON)', extensions: ['json'] };
const JSONL = { name: 'JSON Lines', extensions: ['jsonl'] };
const TEXT = { name: 'Lists', extensions: ['txt', 'csv'] };
const ALL = { name: 'All files', extensions: ['*'] };

const OPEN: Record<OpenPurpose, FileDialogOptions> = {
  csv: { title: 'Open a CSV to import', filters: [CSV, ALL] },
  mapping: { title: 'Load a mapping', filters: [JSON_FILES, ALL] },
  protect: { title: 'Choose the list of protected accounts', filters: [TEXT, ALL] },
  plan: { title: 'Open a plan', filters: [JSONL, ALL] },
};

const SAVE: Record<SavePurpose, FileDialogOptions> = {
  mapping: { title: 'Save the mapping', filters: [JSON_FILES] },
  'export-csv': { title: 'Export to', filters: [{ name: 'CSV', extensions: ['csv'] }] },
  'export-jsonl': { title: 'Export to', filters: [JSONL] },
  report: { title: 'Save the run report', filters: [{ name: 'CSV', extensions: ['csv'] }] },
  'failed-rows': {
    title: 'Save the failed rows (original columns)',
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  },
};

/** `dialog:open`: the native open dialog; the path (or null when cancelled). */
export const openDialog: Handler<'dialog:open'> = async ({ purpose }, { engine }) => {
  const path = await engine.desktop.openFile(OPEN[purpose]);
  if (path !== undefined) engine.files.grant(path, 'read');
  return { path: path ?? null };
};

/** `dialog:save`: the native save dialog. */
export const saveDialog: Handler<'dialog:save'> = async ({ purpose, defaultName }, { engine }) => {
  const path = await engine.desktop.saveFile({
    ...SAVE[purpose],
    ...(defaultName !== undefined ? { defaultName } : {}),
  });
  if (path !== undefined) engine.files.grant(path, 'write');
  return { path: path ?? null };
};

/** `shell:show-in-folder`: reveals a file the app wrote in the file manager. */
export const showInFolder: Handler<'shell:show-in-folder'> = ({ path }, { engine }) => {
  if (!engine.files.isGranted(path)) engine.files.check(path, 'write');
  engine.desktop.showInFolder(resolve(path));
  return Promise.resolve({});
};
