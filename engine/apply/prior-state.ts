/**
 * Prior states for undo: before a resource is changed, deactivated or deleted, the server's copy
 * of it is appended to `<runDir>/prior.jsonl` as `{"op":…,"id":…,"resource":{…}}`.
 *
 * The executor appends the prior states of a batch with {@link PriorStateStore.appendMany} (one
 * fsync) right before it writes the batch's intents to the journal, so every intent that may have
 * reached the server has its prior state on disk. Same torn-line rules as the journal.
 */
import { join } from 'node:path';
import type { ScimResource } from '../../shared/scim/types';
import { AppError } from '../../shared/errors/errors';
import { openDurableLog, readDurableLog, type TornLine } from './journal';

const PRIOR_STATE_FILE = 'prior.jsonl';

export type PriorState = {
  /** The journal op that changes the resource. */
  op: string;
  /** Its SCIM id. */
  id: string;
  /** The resource as the server returned it before the op. */
  resource: ScimResource;
};

export type PriorStateStore = {
  readonly file: string;
  /** A torn last line left by a crash, cut off on open. */
  readonly repaired: TornLine | undefined;
  /** Appends the entries and fsyncs once; resolves when they are on disk. */
  appendMany(entries: readonly PriorState[]): Promise<void>;
  close(): Promise<void>;
};

export async function openPriorStateStore(runDir: string): Promise<PriorStateStore> {
  const log = await openDurableLog(join(runDir, PRIOR_STATE_FILE));
  return {
    file: log.file,
    repaired: log.repaired,
    appendMany: (entries) =>
      log.appendMany(entries.map((e) => ({ op: e.op, id: e.id, resource: e.resource }))),
    close: () => log.close(),
  };
}

/**
 * Streams the prior states of a run in the order they were saved (none when the file does not
 * exist). A torn last line is skipped and reported through `onTorn`. A resource changed by several
 * ops appears once per op; the first entry for an id is its state before the run.
 */
export async function* readPriorStates(
  runDir: string,
  onTorn?: (torn: TornLine) => void,
): AsyncGenerator<PriorState> {
  const file = join(runDir, PRIOR_STATE_FILE);
  let n = 0;
  for await (const value of readDurableLog(file, onTorn)) {
    n += 1;
    if (!isPriorState(value)) {
      throw new AppError('input', `${file}: entry ${n} is not a saved resource.`, {
        nextStep: 'Choose the folder of a SCIM Porter run.',
      });
    }
    yield value;
  }
}

function isPriorState(v: unknown): v is PriorState {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['op'] === 'string' &&
    typeof r['id'] === 'string' &&
    typeof r['resource'] === 'object' &&
    r['resource'] !== null
  );
}
