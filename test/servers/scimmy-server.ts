/**
 * An independent SCIM 2.0 server built from npm packages (scimmy + scimmy-routers + express), so
 * engine tests can run against an implementation other than our sandbox. In-memory Users and
 * Groups with the enterprise extension, bearer auth, 127.0.0.1 on a random port.
 *
 * SCIMMY's resource declarations are process-wide, so they are made once and every handler reads
 * its server's data from the per-request context; several servers can run side by side.
 */
import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export type ScimmyServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234/scim`. */
  url: string;
  token: string;
  /** Stored resources by id (plain JSON as last written), for assertions. */
  users: Map<string, Record<string, unknown>>;
  groups: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
};

type Data = {
  users: Map<string, Record<string, unknown>>;
  groups: Map<string, Record<string, unknown>>;
};
type ResourceLike = { id?: string; filter?: { match(values: unknown[]): unknown[] } };

/** SCIMMY's error type; `scimType` may be absent (its typings say string, the runtime takes null). */
function scimError(status: number, scimType: string | undefined, message: string): Error {
  return new SCIMMY.Types.Error(status, scimType ?? (null as unknown as string), message);
}

function dataOf(ctx: unknown): Data {
  if (typeof ctx === 'object' && ctx !== null && 'users' in ctx && 'groups' in ctx) {
    return ctx as Data;
  }
  throw scimError(500, undefined, 'No server context');
}

function plain(instance: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
}

/** Stores a write, enforcing a case-insensitive unique key (userName / displayName). */
function ingress(
  map: Map<string, Record<string, unknown>>,
  key: 'userName' | 'displayName',
  resource: ResourceLike,
  instance: unknown,
): Record<string, unknown> {
  const value = plain(instance);
  const keyOf = (o: Record<string, unknown>): string => {
    const v = o[key];
    return typeof v === 'string' ? v.toLowerCase() : '';
  };
  const wanted = keyOf(value);
  for (const [id, existing] of map) {
    if (id !== resource.id && keyOf(existing) === wanted) {
      throw scimError(409, 'uniqueness', `${key} "${wanted}" already exists`);
    }
  }
  const now = new Date().toISOString();
  if (resource.id !== undefined) {
    const existing = map.get(resource.id);
    if (existing === undefined) {
      throw scimError(404, undefined, `Resource ${resource.id} not found`);
    }
    const meta = existing.meta as Record<string, unknown>;
    const next = { ...value, id: resource.id, meta: { ...meta, lastModified: now } };
    map.set(resource.id, next);
    return next;
  }
  const id = randomUUID();
  const created = { ...value, id, meta: { created: now, lastModified: now } };
  map.set(id, created);
  return created;
}

function egress(map: Map<string, Record<string, unknown>>, resource: ResourceLike): unknown {
  if (resource.id !== undefined) {
    const found = map.get(resource.id);
    if (found === undefined) {
      throw scimError(404, undefined, `Resource ${resource.id} not found`);
    }
    return found;
  }
  const all = [...map.values()];
  return resource.filter !== undefined ? resource.filter.match(all) : all;
}

function degress(map: Map<string, Record<string, unknown>>, resource: ResourceLike): void {
  if (resource.id === undefined || !map.delete(resource.id)) {
    throw scimError(404, undefined, `Resource ${String(resource.id)} not found`);
  }
}

let declared = false;

function declareOnce(): void {
  if (declared) {
    return;
  }
  declared = true;
  SCIMMY.Config.set({
    patch: true,
    filter: { supported: true, maxResults: 200 },
    sort: true,
    bulk: false,
    etag: false,
    changePassword: false,
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .extend(SCIMMY.Schemas.EnterpriseUser, false)
    .ingress(
      (resource: ResourceLike, instance: unknown, ctx: unknown) =>
        ingress(dataOf(ctx).users, 'userName', resource, instance) as never,
    )
    .egress((resource: ResourceLike, ctx: unknown) => egress(dataOf(ctx).users, resource) as never)
    .degress((resource: ResourceLike, ctx: unknown) => {
      const data = dataOf(ctx);
      degress(data.users, resource);
      // Keep groups consistent: a deleted user is no longer a member anywhere.
      for (const [gid, g] of data.groups) {
        if (Array.isArray(g.members)) {
          const members = (g.members as { value?: unknown }[]).filter(
            (m) => m.value !== resource.id,
          );
          data.groups.set(gid, { ...g, members });
        }
      }
    });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress(
      (resource: ResourceLike, instance: unknown, ctx: unknown) =>
        ingress(dataOf(ctx).groups, 'displayName', resource, instance) as never,
    )
    .egress((resource: ResourceLike, ctx: unknown) => egress(dataOf(ctx).groups, resource) as never)
    .degress((resource: ResourceLike, ctx: unknown) => {
      degress(dataOf(ctx).groups, resource);
    });
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Starts a scimmy-based SCIM server on 127.0.0.1 (random port). */
export async function startScimmyServer(options: { token?: string } = {}): Promise<ScimmyServer> {
  declareOnce();
  const token = options.token ?? randomBytes(16).toString('hex');
  const data: Data = { users: new Map(), groups: new Map() };
  const app = express();
  // SCIMMY only pages when startIndex/count are JS integers, but query strings are strings, so
  // unpatched it serves the first 20 resources for every page. Parse those two as numbers.
  app.set('query parser', (text: string) => {
    const query: Record<string, string | number> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      query[k] = (k === 'startIndex' || k === 'count') && /^\d+$/.test(v) ? Number(v) : v;
    }
    return query;
  });
  let base = '';
  app.use(
    '/scim',
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://www.rfc-editor.org/rfc/rfc6750',
      handler: (req) => {
        const given = /^Bearer (\S+)$/.exec(req.header('Authorization') ?? '')?.[1] ?? '';
        if (!timingSafeEqual(digest(given), digest(token))) {
          throw new Error('Missing or wrong bearer token');
        }
        return 'test-client';
      },
      context: () => data,
      baseUri: () => base,
    }),
  );
  const sockets = new Set<Socket>();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      resolve(s);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/scim`;
  return {
    url: base,
    token,
    users: data.users,
    groups: data.groups,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of sockets) {
          s.destroy();
        }
      }),
  };
}
