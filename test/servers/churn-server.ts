/**
 * A SCIM server whose Users change while a client pages through them: before answering a list
 * request on /Users it deletes and inserts a few users at random, so tests can prove an export
 * neither repeats nor loses the users that existed throughout (docs/server-behaviour.md, C6: lost
 * users under concurrent deletes, duplicated rows, wrong offsets).
 *
 * The deviant server (sandbox + deviations, page caps, latency) does the serving; this module only
 * changes its store through the `onList` hook and remembers what it changed. Deleted users are
 * random anywhere in the list. Inserted users get random userNames: they land at random positions
 * when the client sorts by userName, at the end in the default (creation) order.
 */
import { createPrng } from '../../sandbox/seed';
import type { SandboxStore } from '../../sandbox/store';
import { URN } from '../../shared/scim/urns';
import { startDeviantServer, type DeviantOptions, type DeviantServer } from './deviant-server';

export type ChurnOptions = {
  /** Users seeded before the server starts (deterministic demo data). */
  seed: number;
  /** Pages hold at most this many users, whatever `count` says. */
  pageCap?: number;
  /** Delay before each answer (ms), so concurrent requests overlap with the changes. */
  latencyMs?: number;
  /** Insert `perChange` users on every n-th /Users list request (0 or absent: never). */
  insertEveryNthList?: number;
  /** Delete `perChange` random users on every n-th /Users list request (0 or absent: never). */
  deleteEveryNthList?: number;
  /** Users inserted or deleted each time (default 2). */
  perChange?: number;
  /** Seed of the random choices (default 1). */
  randomSeed?: number;
  /** Further deviations (e.g. cursorOnly). */
  deviations?: Omit<DeviantOptions, 'seed' | 'pageCap' | 'latencyMs' | 'onList'>;
};

export type ChurnServer = DeviantServer & {
  /** Ids of the users that exist now. */
  liveUserIds(): Set<string>;
  /** Every id inserted / deleted so far. */
  inserted: Set<string>;
  deleted: Set<string>;
  /** /Users list requests seen (each one a chance to change the store). */
  listRequests(): number;
  /** Stops or restarts the changes (the server starts churning). */
  setChurning(on: boolean): void;
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** True for a list or search on the Users endpoint. */
function isUsersList(path: string): boolean {
  return /\/Users(\/\.search)?$/.test(path);
}

/** Starts the churn server on 127.0.0.1 (random port). */
export async function startChurnServer(options: ChurnOptions): Promise<ChurnServer> {
  const rand = createPrng(options.randomSeed ?? 1);
  const perChange = Math.max(1, options.perChange ?? 2);
  const inserted = new Set<string>();
  const deleted = new Set<string>();
  let live: string[] = [];
  let lists = 0;
  let churning = true;
  let serial = 0;

  const insertOne = (store: SandboxStore): void => {
    serial += 1;
    let name = '';
    for (let i = 0; i < 6; i++) name += LETTERS[Math.floor(rand() * LETTERS.length)] ?? 'x';
    const created = store.create('User', {
      schemas: [URN.user],
      userName: `${name}.churn${serial}@example.com`,
      displayName: `Churn ${serial}`,
      active: true,
    });
    if (created.id !== undefined) {
      inserted.add(created.id);
      live.push(created.id);
    }
  };

  const deleteOne = (store: SandboxStore): void => {
    if (live.length === 0) return;
    const i = Math.floor(rand() * live.length);
    const id = live[i] ?? '';
    live[i] = live[live.length - 1] ?? id;
    live.pop();
    store.remove('User', id);
    deleted.add(id);
  };

  const every = (n: number | undefined): boolean => n !== undefined && n > 0 && lists % n === 0;

  const server = await startDeviantServer({
    ...options.deviations,
    seed: options.seed,
    ...(options.pageCap !== undefined ? { pageCap: options.pageCap } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    onList: (store, req) => {
      if (!churning || !isUsersList(req.path)) return;
      lists += 1;
      for (let k = 0; k < perChange; k++) {
        if (every(options.deleteEveryNthList)) deleteOne(store);
        if (every(options.insertEveryNthList)) insertOne(store);
      }
    },
  });
  live = server.sandbox.list('User').flatMap((u) => (u.id !== undefined ? [u.id] : []));

  return {
    ...server,
    liveUserIds: () => new Set(live),
    inserted,
    deleted,
    listRequests: () => lists,
    setChurning: (on) => {
      churning = on;
    },
  };
}
