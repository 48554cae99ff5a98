/**
 * A read-only SCIM 2.0 server whose users are *generated* from their index, for export benchmarks:
 * nothing is stored, so a million users cost no memory, and every answer is sent `latencyMs` after
 * its request arrived (setTimeout, so concurrent requests overlap as they would against a remote
 * server; the server's own work counts towards the latency, it is not added to it).
 *
 * - `GET /scim/v2/ServiceProviderConfig` (RFC 7643 §5 + RFC 9865 `pagination`), `/ResourceTypes`;
 *   `/Schemas` answers 404 so the client uses its built-in RFC 7643 schemas (as with many vendors).
 * - `GET /scim/v2/Users` and `/Groups`: index paging (`startIndex`, `count`) and/or cursor paging
 *   (`cursor`, `count` → `nextCursor`), pages silently capped at `pageCap`
 *   (docs/server-behaviour.md, A5);
 *   `eq` filters on `id`, `userName`, `externalId` (Users) and `id`, `displayName` (Groups), which is
 *   what the client's discovery probe needs.
 * - `GET /scim/v2/Users/{id}`, `/Groups/{id}`.
 * - Bearer token required on every request.
 *
 * Modes: `index` advertises and serves index paging only (a `cursor` parameter is ignored);
 * `cursor` is cursor-only like AWS IAM Identity Center (an index request is answered with the first
 * cursor page — RFC 9865 lets a server paginate by cursor whatever was asked); `both` serves both.
 *
 * Run it in its own process (run-synthetic-server.ts) when measuring a client's memory.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { URN } from '../../shared/scim/urns';

export type PagingModeOption = 'index' | 'cursor' | 'both';

export type SyntheticServerOptions = {
  users: number;
  /** Delay before every answer, in ms. */
  latencyMs: number;
  /** Most resources per page, whatever `count` asks (advertised as `maxPageSize`). */
  pageCap: number;
  mode?: PagingModeOption;
  /** Page size when `count` is absent (advertised as `defaultPageSize`); default `pageCap`. */
  defaultPageSize?: number;
  /** Groups to generate (default 10). */
  groups?: number;
  /**
   * Members per group (default 100). Bounded on purpose: the group pass then costs the same at 100k
   * and at 1M users, so memory comparisons measure the user stream, not a growing membership map.
   */
  membersPerGroup?: number;
  /** Bearer token; random when not given. */
  token?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
};

export type SyntheticServerStats = {
  requests: number;
  /** List requests answered with resources or an empty page. */
  listRequests: number;
  unauthorized: number;
  /** Response body bytes sent. */
  bytes: number;
  /** Most requests being served at the same time. */
  peakInFlight: number;
};

export type SyntheticServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234/scim/v2`. */
  url: string;
  token: string;
  options: Required<Omit<SyntheticServerOptions, 'token' | 'port'>>;
  stats(): SyntheticServerStats;
  close(): Promise<void>;
};

type Json = Record<string, unknown>;

const BASE_PATH = '/scim/v2';
const SCIM_JSON = 'application/scim+json';
/**
 * Not SCIM: `SyntheticServerStats` plus this process's CPU time (`process.cpuUsage()`, µs), for a
 * bench to tell whether the server kept up. Same bearer token, no latency, not counted; each read
 * resets `peakInFlight`.
 */
export const STATS_PATH = '/_bench/stats';

// prettier-ignore
const GIVEN = [
  'Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus',
  'Frances', 'John', 'Sophie', 'Tim', 'Hedy', 'Dennis', 'Katherine', 'Niklaus', 'Shafi', 'Bjarne',
  'Adele', 'Guido', 'Lynn', 'Vint', 'Mary', 'Whitfield', 'Joan', 'Leslie', 'Anita', 'Tony',
  'Jean', 'Yukihiro', 'Karen', 'Robin', 'Evelyn', 'Andrés', 'Zoë', 'Seán', 'Chloé', 'Björn',
];
// prettier-ignore
const FAMILY = [
  'Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman',
  'Torvalds', 'Allen', 'McCarthy', 'Wilson', 'Berners-Lee', 'Lamarr', 'Ritchie', 'Johnson', 'Wirth',
  'Goldwasser', 'Stroustrup', 'Goldberg', 'van Rossum', 'Conway', 'Cerf', 'Keller', 'Diffie',
  'Clarke', 'Lamport', 'Borg', 'Hoare', 'Sammet', 'Matsumoto', 'Spärck Jones', 'Milner', "O'Brien",
  'Núñez', 'Müller', 'Østergaard', 'Kowalski', 'Nakamura',
];
// prettier-ignore
const DEPARTMENTS = [
  'Engineering', 'Sales', 'Marketing', 'Finance', 'Human Resources', 'Legal', 'Support',
  'Operations', 'Research', 'Security',
];
// prettier-ignore
const TITLES = [
  'Software Engineer', 'Senior Software Engineer', 'Account Executive', 'Product Manager',
  'Financial Analyst', 'Support Specialist', 'Designer', 'Site Reliability Engineer',
  'Recruiter', 'Counsel',
];
const CITIES: [string, string, string][] = [
  ['Berlin', 'BE', 'DE'],
  ['Seattle', 'WA', 'US'],
  ['London', '', 'GB'],
  ['São Paulo', 'SP', 'BR'],
  ['Bengaluru', 'KA', 'IN'],
  ['Toronto', 'ON', 'CA'],
  ['Sydney', 'NSW', 'AU'],
  ['Paris', 'IDF', 'FR'],
];
const LOCALES = ['en-US', 'de-DE', 'en-GB', 'pt-BR', 'en-IN', 'en-CA', 'en-AU', 'fr-FR'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

const slugs = new Map<string, string>();

/** ASCII e-mail local part from a name ("Spärck Jones" → "sparckjones"); memoised over the name tables. */
function asciiSlug(s: string): string {
  let slug = slugs.get(s);
  if (slug === undefined) {
    slug = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ø/gi, 'o')
      .replace(/[^a-z0-9]+/gi, '')
      .toLowerCase();
    slugs.set(s, slug);
  }
  return slug;
}

/** Digits of a user id: at least 7, more when there are more users. */
function idWidth(users: number): number {
  return Math.max(7, String(Math.max(0, users)).length);
}

/** The id of user `i` (1-based). */
export function userId(i: number, users: number): string {
  return `u-${String(i).padStart(idWidth(users), '0')}`;
}

/** The userName of user `i`; unique because it carries `i`. */
function userNameOf(i: number): string {
  const given = pick(GIVEN, i * 7);
  const family = pick(FAMILY, i * 13 + Math.floor(i / GIVEN.length));
  return `${asciiSlug(given)}.${asciiSlug(family)}.${i}@example.com`;
}

const EPOCH = Date.UTC(2019, 0, 1);

/** User `i` (1-based) of a population of `users`, always the same for the same arguments. */
export function syntheticUser(i: number, users: number, baseUrl: string): Json {
  const given = pick(GIVEN, i * 7);
  const family = pick(FAMILY, i * 13 + Math.floor(i / GIVEN.length));
  const userName = userNameOf(i);
  const id = userId(i, users);
  const city = pick(CITIES, i * 3);
  const created = new Date(EPOCH + ((i * 86_413_000) % 157_680_000_000)).toISOString();
  const modified = new Date(Date.parse(created) + ((i * 3_600_000) % 31_536_000_000)).toISOString();
  const number = String(i).padStart(7, '0');
  return {
    schemas: [URN.user, URN.enterpriseUser],
    id,
    externalId: `ext-${number}`,
    userName,
    name: { familyName: family, givenName: given },
    displayName: `${given} ${family}`,
    title: pick(TITLES, i * 11),
    locale: pick(LOCALES, i * 3),
    active: i % 17 !== 0,
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: `+1 555 ${number.slice(0, 3)} ${number.slice(3)}`, type: 'mobile' }],
    addresses: [
      {
        type: 'work',
        locality: city[0],
        ...(city[1] ? { region: city[1] } : {}),
        country: city[2],
      },
    ],
    [URN.enterpriseUser]: {
      employeeNumber: `E${number}`,
      department: pick(DEPARTMENTS, i * 5),
      costCenter: `CC-${100 + (i % 40)}`,
    },
    meta: {
      resourceType: 'User',
      created,
      lastModified: modified,
      location: `${baseUrl}/Users/${id}`,
    },
  };
}

function groupId(g: number): string {
  return `g-${String(g).padStart(3, '0')}`;
}

function groupName(g: number): string {
  return `${pick(DEPARTMENTS, g - 1)}${g > DEPARTMENTS.length ? ` ${Math.ceil(g / DEPARTMENTS.length)}` : ''}`;
}

/** Member j (0-based) of group g (1-based): users g, g + G, g + 2G, … — distinct within a group. */
function groupMemberIndexes(g: number, o: { users: number; groups: number; members: number }) {
  const out: number[] = [];
  for (let j = 0; j < o.members; j++) {
    const i = g + j * o.groups;
    if (i > o.users) break;
    out.push(i);
  }
  return out;
}

function syntheticGroup(
  g: number,
  o: { users: number; groups: number; members: number },
  baseUrl: string,
): Json {
  const id = groupId(g);
  return {
    schemas: [URN.group],
    id,
    displayName: groupName(g),
    members: groupMemberIndexes(g, o).map((i) => ({
      value: userId(i, o.users),
      $ref: `${baseUrl}/Users/${userId(i, o.users)}`,
      display: userNameOf(i),
      type: 'User',
    })),
    meta: { resourceType: 'Group', location: `${baseUrl}/Groups/${id}` },
  };
}

/** Opaque cursor for "the next item is number `next`" (1-based). */
function encodeCursor(next: number): string {
  return Buffer.from(`c1:${next}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, total: number): number | undefined {
  const m = /^c1:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return undefined;
  const next = Number(m[1]);
  return next >= 1 && next <= total + 1 ? next : undefined;
}

class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

function errorBody(e: ScimHttpError): Json {
  return {
    schemas: [URN.error],
    status: String(e.status),
    ...(e.scimType !== undefined ? { scimType: e.scimType } : {}),
    detail: e.message,
  };
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    throw new ScimHttpError(400, `${name} must be a number, not "${raw}".`, 'invalidValue');
  }
  return Math.trunc(n);
}

/** `attr eq "value"` only; other filters are refused with `invalidFilter`. */
function parseEqFilter(text: string, allowed: readonly string[]): { attr: string; value: string } {
  const m = /^\s*([A-Za-z][\w.:$-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(text);
  const attr = m ? allowed.find((a) => a.toLowerCase() === m[1]?.toLowerCase()) : undefined;
  if (!m || attr === undefined) {
    throw new ScimHttpError(
      400,
      `Only ${allowed.map((a) => `${a} eq "…"`).join(', ')} filters are supported by this server.`,
      'invalidFilter',
    );
  }
  return { attr, value: (m[2] ?? '').replace(/\\(.)/g, '$1') };
}

type Collection = {
  total: number;
  item(i: number): Json;
  /** Indexes (1-based) matching an `eq` filter: at most one here, as every filtered attribute is unique. */
  find(attr: string, value: string): number | undefined;
  filterable: readonly string[];
};

/** Starts the server on 127.0.0.1. */
export async function startSyntheticServer(opts: SyntheticServerOptions): Promise<SyntheticServer> {
  const users = Math.max(0, Math.floor(opts.users));
  const pageCap = Math.max(1, Math.floor(opts.pageCap));
  const latencyMs = Math.max(0, opts.latencyMs);
  const mode = opts.mode ?? 'both';
  const defaultPageSize = Math.min(pageCap, Math.max(1, opts.defaultPageSize ?? pageCap));
  const groups = Math.max(0, Math.floor(opts.groups ?? 10));
  const membersPerGroup = Math.max(0, Math.floor(opts.membersPerGroup ?? 100));
  const token = opts.token ?? randomBytes(18).toString('base64url');
  const cursorOn = mode !== 'index';
  const indexOn = mode !== 'cursor';
  const stats: SyntheticServerStats = {
    requests: 0,
    listRequests: 0,
    unauthorized: 0,
    bytes: 0,
    peakInFlight: 0,
  };
  let inFlight = 0;
  let baseUrl = '';

  const groupShape = { users, groups, members: membersPerGroup };
  const idNumber = (id: string, prefix: string, max: number): number | undefined => {
    const m = new RegExp(`^${prefix}-(\\d+)$`).exec(id);
    const n = m ? Number(m[1]) : NaN;
    return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
  };
  const userCollection: Collection = {
    total: users,
    item: (i) => syntheticUser(i, users, baseUrl),
    filterable: ['id', 'userName', 'externalId'],
    find(attr, value) {
      let i: number | undefined;
      if (attr === 'id') {
        i = idNumber(value, 'u', users);
        if (i !== undefined && userId(i, users) !== value) i = undefined;
      } else if (attr === 'externalId') {
        i = idNumber(value, 'ext', users);
        if (i !== undefined && `ext-${String(i).padStart(7, '0')}` !== value) i = undefined;
      } else {
        const m = /\.(\d+)@example\.com$/i.exec(value);
        const n = m ? Number(m[1]) : NaN;
        // userName is case-insensitive (RFC 7643 §4.1.1 caseExact false).
        if (n >= 1 && n <= users && userNameOf(n).toLowerCase() === value.toLowerCase()) i = n;
      }
      return i;
    },
  };
  const groupCollection: Collection = {
    total: groups,
    item: (g) => syntheticGroup(g, groupShape, baseUrl),
    filterable: ['id', 'displayName'],
    find(attr, value) {
      if (attr === 'id') return idNumber(value, 'g', groups);
      for (let g = 1; g <= groups; g++) {
        if (groupName(g).toLowerCase() === value.toLowerCase()) return g;
      }
      return undefined;
    },
  };

  function listResponse(c: Collection, params: URLSearchParams): Json {
    stats.listRequests += 1;
    const countAsked = intParam(params, 'count');
    const count = Math.min(pageCap, Math.max(0, countAsked ?? defaultPageSize));
    const filter = params.get('filter');
    if (filter !== null && filter.trim() !== '') {
      const { attr, value } = parseEqFilter(filter, c.filterable);
      const hit = c.find(attr, value);
      const resources = hit !== undefined && count > 0 ? [c.item(hit)] : [];
      return {
        schemas: [URN.listResponse],
        totalResults: hit !== undefined ? 1 : 0,
        itemsPerPage: resources.length,
        startIndex: 1,
        Resources: resources,
      };
    }
    const cursorParam = params.get('cursor');
    const byCursor = cursorOn && (cursorParam !== null || !indexOn);
    let from: number;
    if (byCursor) {
      if (cursorParam === null || cursorParam === '') from = 1;
      else {
        const next = decodeCursor(cursorParam, c.total);
        if (next === undefined) {
          throw new ScimHttpError(400, 'The cursor is not valid for this list.', 'invalidCursor');
        }
        from = next;
      }
    } else {
      from = Math.max(1, intParam(params, 'startIndex') ?? 1);
    }
    const resources: Json[] = [];
    for (let i = from; i < from + count && i <= c.total; i++) resources.push(c.item(i));
    const next = from + resources.length;
    return {
      schemas: [URN.listResponse],
      totalResults: c.total,
      itemsPerPage: resources.length,
      ...(byCursor
        ? next <= c.total && resources.length > 0
          ? { nextCursor: encodeCursor(next) }
          : {}
        : { startIndex: from }),
      Resources: resources,
    };
  }

  function spc(): Json {
    return {
      schemas: [URN.serviceProviderConfig],
      documentationUri: 'https://example.com/scim-porter/bench',
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: pageCap },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      pagination: {
        cursor: cursorOn,
        index: indexOn,
        defaultPaginationMethod: cursorOn ? 'cursor' : 'index',
        defaultPageSize,
        maxPageSize: pageCap,
        ...(cursorOn ? { cursorTimeout: 3600 } : {}),
      },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'Bearer token',
          description: 'Authentication with a bearer token',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
    };
  }

  function resourceTypes(): Json {
    const rt = (name: string, endpoint: string, schema: string, ext: boolean): Json => ({
      schemas: [URN.resourceType],
      id: name,
      name,
      endpoint,
      schema,
      ...(ext ? { schemaExtensions: [{ schema: URN.enterpriseUser, required: false }] } : {}),
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
    });
    const list = [rt('User', '/Users', URN.user, true), rt('Group', '/Groups', URN.group, false)];
    return {
      schemas: [URN.listResponse],
      totalResults: list.length,
      itemsPerPage: list.length,
      startIndex: 1,
      Resources: list,
    };
  }

  function route(method: string, path: string, params: URLSearchParams): Json {
    if (method !== 'GET') {
      throw new ScimHttpError(405, `This benchmark server is read-only (${method} ${path}).`);
    }
    const rel = path.slice(BASE_PATH.length).replace(/\/+$/, '');
    if (rel === '/ServiceProviderConfig') return spc();
    if (rel === '/ResourceTypes') return resourceTypes();
    if (rel === '/Users') return listResponse(userCollection, params);
    if (rel === '/Groups') return listResponse(groupCollection, params);
    const one = /^\/(Users|Groups)\/([^/]+)$/.exec(rel);
    if (one) {
      const users = one[1] === 'Users';
      const c = users ? userCollection : groupCollection;
      const i = c.find('id', decodeURIComponent(one[2] ?? ''));
      if (i === undefined) throw new ScimHttpError(404, `Resource ${one[2] ?? ''} not found.`);
      return c.item(i);
    }
    throw new ScimHttpError(404, `No such endpoint: ${path}.`);
  }

  type Answer = { status: number; headers: Record<string, string>; body: Uint8Array };
  const utf8 = new TextEncoder();

  function answer(req: IncomingMessage): Answer {
    let status = 200;
    let body: Json;
    const headers: Record<string, string> = { 'content-type': SCIM_JSON };
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== BASE_PATH && !url.pathname.startsWith(`${BASE_PATH}/`)) {
        throw new ScimHttpError(404, `No SCIM service at ${url.pathname}; it is at ${BASE_PATH}.`);
      } else if (req.headers.authorization !== `Bearer ${token}`) {
        stats.unauthorized += 1;
        headers['www-authenticate'] = 'Bearer realm="scim"';
        throw new ScimHttpError(401, 'A valid bearer token is required.');
      } else {
        body = route(req.method ?? 'GET', url.pathname, url.searchParams);
      }
    } catch (e) {
      const err =
        e instanceof ScimHttpError
          ? e
          : new ScimHttpError(500, e instanceof Error ? e.message : 'Internal error.');
      status = err.status;
      body = errorBody(err);
    }
    // TextEncoder (simdutf) is much faster than Buffer.from for text with non-ASCII names.
    const bytes = utf8.encode(JSON.stringify(body));
    headers['content-length'] = String(bytes.byteLength);
    stats.bytes += bytes.byteLength;
    return { status, headers, body: bytes };
  }

  function answerStats(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const ok = req.headers.authorization === `Bearer ${token}`;
    const text = JSON.stringify(ok ? { ...stats, cpu: process.cpuUsage() } : {});
    // Each read reports the peak since the previous read.
    if (ok) stats.peakInFlight = inFlight;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(text);
  }

  const server = createServer((req, res) => {
    if (req.url?.startsWith(STATS_PATH) === true) {
      answerStats(req, res);
      return;
    }
    stats.requests += 1;
    inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    // The answer is built on arrival and sent `latencyMs` after arrival: the injected latency is the
    // whole time to the first byte, including this server's own work (if that takes less).
    const arrived = performance.now();
    req.resume();
    const out = answer(req);
    const reply = () => {
      if (res.destroyed) return;
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    };
    const wait = latencyMs - (performance.now() - arrived);
    if (wait >= 1) setTimeout(reply, wait);
    else setImmediate(reply);
  });
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}${BASE_PATH}`;

  return {
    url: baseUrl,
    token,
    options: { users, latencyMs, pageCap, mode, defaultPageSize, groups, membersPerGroup },
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}
