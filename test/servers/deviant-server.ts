/**
 * The sandbox behind a wrapper that reproduces documented vendor deviations
 * (docs/server-behaviour.md, B1), one option each, so engine tests can prove the client
 * copes with them. Every request is recorded (secrets redacted) for assertions on what was sent.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { parse, type Filter } from 'scim2-parse-filter';
import { createSandboxHandler } from '../../sandbox/handler';
import { resolveFeatures, type SandboxFeatures } from '../../sandbox/features';
import { seedDemoData } from '../../sandbox/seed';
import { createSandboxStore, type SandboxStore } from '../../sandbox/store';
import { URN } from '../../shared/scim/urns';
import {
  answersEmpty,
  misreportGetPath,
  misreportListParams,
  misreportSearchBody,
  skewTotal,
  type MisreportOptions,
} from './misreport';
import { createRateCap, type RateCapOptions } from './rate-cap';

/** One request as the server received it. */
export type RecordedRequest = {
  index: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` is reduced to its scheme, cookies are dropped. */
  headers: Record<string, string>;
  bodyText: string;
  /** Parsed JSON body, when there was one. */
  body: unknown;
  /** Date.now() on arrival. */
  at: number;
};

export type DeviantOptions = MisreportOptions & {
  token?: string;
  /** Demo users to seed; default none. */
  seed?: number | false;
  /** Base sandbox features (the options below override some of them). */
  features?: Partial<SandboxFeatures>;
  /** SPC says bulk unsupported; /Bulk answers 501. */
  noBulk?: boolean;
  /** SPC says bulk supported; /Bulk answers this status anyway (true = 404). */
  bulkAdvertisedButRejected?: boolean | 404 | 501;
  /** Filters other than `eq` joined by `and` answer 400 invalidFilter (AWS-like). */
  eqOnlyFilters?: boolean;
  /** Filters other than `eq`/`and` answer 200 with zero results: the dangerous kind. */
  silentUnsupportedFilters?: boolean;
  /** Pages silently hold at most this many resources whatever `count` says. */
  pageCap?: number;
  /** Pages hold a random number (≥1) of resources below what was asked. */
  shortPages?: boolean;
  /** Index paging ignored (startIndex dropped); SPC pagination cursor true, index false. */
  cursorOnly?: boolean;
  /**
   * 429 with Retry-After over `perSecond` requests per second; fixed (default) or sliding
   * window, optionally with rate-limit headers on every answer (rate-cap.ts).
   */
  rateLimit?: RateCapOptions;
  /** 503: every n-th request (default every one); `after` applies the request first. */
  fail503?: { every?: number; before?: boolean; after?: boolean };
  /** Destroy the socket before the sandbox sees the request, or after it applied it. */
  dropConnection?: {
    when: 'before-apply' | 'after-apply';
    match: (req: RecordedRequest) => boolean;
    times: number;
  };
  /** Writes need If-Match (428 otherwise). */
  etagRequired?: boolean;
  /** Entra dialect: capitalised ops and "True"/"False" accepted; PATCH answers 204; `active` sent as strings. */
  entraPatch?: boolean;
  /** List responses use `resources` instead of `Resources`. */
  lowercaseResourcesKey?: boolean;
  /** Responses are `application/json`. */
  plainJsonContentType?: boolean;
  /** `totalResults`, `itemsPerPage`, `startIndex` sent as strings. */
  stringNumbers?: boolean;
  /** Only `/ServiceProviderConfigs` (plural) exists. */
  pluralSpc?: boolean;
  /** Every request answers 200 with an HTML sign-in page (SSO proxy in front). */
  htmlLogin?: boolean;
  /** List responses drop attributes a GET returns (Zoom-like); true = a default set. */
  listOmitsAttributes?: boolean | string[];
  /**
   * Accepts creates and updates of users but silently drops these top-level attributes (and PATCH
   * operations on them): the answer is 2xx without them.
   */
  dropOnWrite?: string[];
  /** Added before each answer. */
  latencyMs?: number;
  /**
   * Attributes whose mutability /Schemas reports differently, by `schemaUrn:attrName` (e.g.
   * `urn:…:enterprise:2.0:User:employeeNumber` → `immutable`): a server that owns or freezes them.
   */
  mutability?: Record<string, 'immutable' | 'readOnly'>;
  /** Runs just before a list/search request reaches the sandbox (churn-server.ts changes the store here). */
  onList?: (store: SandboxStore, req: RecordedRequest) => void;
};

export type DeviantServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234/scim/v2`. */
  url: string;
  token: string;
  port: number;
  /** The sandbox store behind the wrapper. */
  sandbox: SandboxStore;
  requests: RecordedRequest[];
  /** Requests answered 429 by the `rateLimit` cap so far. */
  rateLimited(): number;
  close(): Promise<void>;
};

type Captured = { status: number; headers: Record<string, string>; body: Buffer };

const DEFAULT_OMITTED = ['phoneNumbers', 'addresses', 'title', URN.enterpriseUser];
const HTML_LOGIN =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login">' +
  '<input name="username"><input name="password" type="password"><button>Sign in</button></form></body></html>';

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === 'cookie') {
      continue;
    }
    const value = Array.isArray(v) ? v.join(', ') : v;
    out[k] =
      k === 'authorization' || k === 'proxy-authorization'
        ? `${value.split(' ')[0] ?? ''} <redacted>`
        : value;
  }
  return out;
}

/** A request body as JSON; undefined when empty or not JSON. */
function parseJsonText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Runs the sandbox handler in-process on a synthetic request and captures its answer. */
function invoke(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Captured> {
  return new Promise((resolve) => {
    const req = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
      method,
      url,
      headers,
    });
    const captured: Captured = { status: 200, headers: {}, body: Buffer.alloc(0) };
    const res = {
      headersSent: false,
      destroyed: false,
      writeHead(status: number, h: Record<string, string> = {}) {
        captured.status = status;
        captured.headers = h;
        this.headersSent = true;
        return this;
      },
      end(chunk?: string | Buffer) {
        captured.body = chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk);
        resolve(captured);
      },
    };
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
}

function filterOps(f: Filter, out: Set<string> = new Set()): Set<string> {
  out.add(f.op);
  if ('filters' in f) {
    for (const c of f.filters) {
      filterOps(c, out);
    }
  }
  if ('filter' in f) {
    filterOps(f.filter, out);
  }
  if ('valFilter' in f) {
    filterOps(f.valFilter, out);
  }
  return out;
}

/** True when the filter uses only `eq` (optionally joined by `and`). */
function isEqOnly(text: string): boolean {
  try {
    return [...filterOps(parse(text))].every((op) => op === 'eq' || op === 'and');
  } catch {
    return true; // malformed: let the sandbox answer invalidFilter itself
  }
}

function mapJson(value: unknown, fn: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => mapJson(v, fn));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(k, mapJson(v, fn))]));
  }
  return value;
}

/** Schema documents (one, or a list of them) with the given attributes' mutability replaced. */
function withMutability(doc: unknown, changes: Record<string, string>): unknown {
  const fix = (schema: unknown): unknown => {
    if (typeof schema !== 'object' || schema === null) return schema;
    const s = schema as { id?: unknown; attributes?: unknown };
    if (typeof s.id !== 'string' || !Array.isArray(s.attributes)) return schema;
    const id = s.id;
    const attributes = (s.attributes as Record<string, unknown>[]).map((a) => {
      const wanted = changes[`${id}:${String(a['name'])}`];
      return wanted === undefined ? a : { ...a, mutability: wanted };
    });
    return { ...s, attributes };
  };
  if (
    typeof doc === 'object' &&
    doc !== null &&
    Array.isArray((doc as { Resources?: unknown }).Resources)
  ) {
    const list = doc as { Resources: unknown[] };
    return { ...list, Resources: list.Resources.map(fix) };
  }
  return fix(doc);
}

function scimError(status: number, detail: string, scimType?: string): Captured {
  const body = {
    schemas: [URN.error],
    status: String(status),
    ...(scimType !== undefined ? { scimType } : {}),
    detail,
  };
  return {
    status,
    headers: { 'Content-Type': 'application/scim+json' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** A write body without the dropped attributes (top level, or PATCH ops on them). */
function withoutAttributes(body: object, dropped: readonly string[]): object {
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(body).filter(([k]) => !dropped.includes(k)),
  );
  const ops = out['Operations'];
  if (Array.isArray(ops)) {
    out['Operations'] = ops.filter(
      (o: unknown) =>
        !(
          typeof o === 'object' &&
          o !== null &&
          dropped.includes(String((o as { path?: unknown }).path))
        ),
    );
  }
  return out;
}

/** Starts a deviation server on 127.0.0.1 (random port). */
export async function startDeviantServer(options: DeviantOptions = {}): Promise<DeviantServer> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const features = resolveFeatures({
    ...options.features,
    ...(options.noBulk === true ? { bulk: false } : {}),
    ...(options.bulkAdvertisedButRejected !== undefined &&
    options.bulkAdvertisedButRejected !== false
      ? { bulk: true }
      : {}),
    ...(options.cursorOnly === true ? { indexPaging: false, cursorPaging: true } : {}),
    ...(options.etagRequired === true ? { etag: true, requireIfMatch: true } : {}),
  });
  const store = createSandboxStore();
  if (options.seed !== undefined && options.seed !== false && options.seed > 0) {
    seedDemoData(store, options.seed);
  }
  const handler = createSandboxHandler(store, features, token);
  const requests: RecordedRequest[] = [];
  let counter = 0;
  const rateCap = options.rateLimit ? createRateCap(options.rateLimit) : undefined;
  let refused = 0;
  let dropsLeft = options.dropConnection?.times ?? 0;
  let shortState = 0x9e3779b9;
  const shortRandom = (): number => {
    shortState = (Math.imul(shortState ^ (shortState >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return shortState / 4294967296;
  };

  /** Adjusts the list `count` a client asked for (pageCap, shortPages). */
  const adjustCount = (asked: number | undefined): number | undefined => {
    let count = asked ?? features.defaultPageSize;
    if (options.pageCap !== undefined) {
      count = Math.min(count, options.pageCap);
    }
    if (options.shortPages === true && count > 1) {
      count = 1 + Math.floor(shortRandom() * (count - 1));
    }
    return count === asked ? asked : count;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://deviant.invalid');
    const text = raw.toString('utf8');
    // The body is parsed when something reads it (a test, a rewrite below), not for every request:
    // a 1000-operation Bulk request parsed here and again by the sandbox cost the bench server CPU.
    let parsed: { value: unknown } | undefined;
    const recorded: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(req.headers),
      bodyText: text,
      get body(): unknown {
        return (parsed ??= { value: parseJsonText(text) }).value;
      },
      at: Date.now(),
    };
    requests.push(recorded);
    let rateHeaders: Record<string, string> = {};
    const reply = (c: Captured): void => {
      const headers: Record<string, string> = {
        ...c.headers,
        ...rateHeaders,
        'Content-Length': String(c.body.length),
      };
      if (
        options.plainJsonContentType === true &&
        /scim\+json/.test(headers['Content-Type'] ?? '')
      ) {
        headers['Content-Type'] = 'application/json';
      }
      res.writeHead(c.status, headers);
      res.end(c.body);
    };
    if (options.latencyMs !== undefined) {
      await new Promise((r) => setTimeout(r, options.latencyMs));
    }
    if (options.htmlLogin === true) {
      reply({
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: Buffer.from(HTML_LOGIN),
      });
      return;
    }
    if (rateCap) {
      const verdict = rateCap.check(Date.now());
      rateHeaders = verdict.headers;
      if (verdict.refuse) {
        refused += 1;
        reply(scimError(429, 'Too many requests.'));
        return;
      }
    }
    const drop = options.dropConnection;
    const dropNow = drop !== undefined && dropsLeft > 0 && drop.match(recorded);
    if (dropNow && drop.when === 'before-apply') {
      dropsLeft--;
      req.socket.destroy();
      return;
    }
    counter++;
    const f503 = options.fail503;
    const fail = f503 !== undefined && counter % Math.max(1, f503.every ?? 1) === 0;
    if (fail && f503.after !== true) {
      reply(scimError(503, 'Service temporarily unavailable.'));
      return;
    }

    // Rewrite the request into what the sandbox understands.
    let path = url.pathname;
    const isSearch = path.endsWith('/.search') && recorded.method === 'POST';
    if (options.pluralSpc === true) {
      if (path.endsWith('/ServiceProviderConfig')) {
        reply(scimError(404, 'Not found.'));
        return;
      }
      path = path.replace(/\/ServiceProviderConfigs$/, '/ServiceProviderConfig');
    }
    if (
      path.endsWith('/Bulk') &&
      options.bulkAdvertisedButRejected !== undefined &&
      options.bulkAdvertisedButRejected !== false
    ) {
      const status =
        options.bulkAdvertisedButRejected === true ? 404 : options.bulkAdvertisedButRejected;
      reply(scimError(status, status === 404 ? 'Not found.' : 'Not implemented.'));
      return;
    }
    let params = new URLSearchParams(url.searchParams);
    // Only these rewrites read the request body; every other request is forwarded as it came.
    const rewritesBody =
      isSearch ||
      (options.entraPatch === true && recorded.method === 'PATCH') ||
      Boolean(options.dropOnWrite);
    const json = rewritesBody ? recorded.body : undefined;
    let body: unknown = json;
    path = misreportGetPath(options, store, recorded.method, path);
    const filterText =
      isSearch && typeof json === 'object' && json !== null
        ? (json as { filter?: unknown }).filter
        : params.get('filter');
    const isList = (recorded.method === 'GET' && /\/(Users|Groups)$/.test(path)) || isSearch;
    if (isList && typeof filterText === 'string' && !isEqOnly(filterText)) {
      if (options.eqOnlyFilters === true) {
        reply(
          scimError(
            400,
            'Only "eq" filters (optionally joined by "and") are supported.',
            'invalidFilter',
          ),
        );
        return;
      }
      if (options.silentUnsupportedFilters === true) {
        const empty = {
          schemas: [URN.listResponse],
          totalResults: 0,
          itemsPerPage: 0,
          startIndex: 1,
          Resources: [],
        };
        reply({
          status: 200,
          headers: { 'Content-Type': 'application/scim+json' },
          body: Buffer.from(JSON.stringify(empty)),
        });
        return;
      }
    }
    const emptyList = {
      schemas: [URN.listResponse],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    };
    if (isList && answersEmpty(options, filterText)) {
      reply({
        status: 200,
        headers: { 'Content-Type': 'application/scim+json' },
        body: Buffer.from(JSON.stringify(emptyList)),
      });
      return;
    }
    if (isList) {
      params = misreportListParams(options, params);
      if (isSearch) body = misreportSearchBody(options, body);
      if (options.cursorOnly === true) {
        params.delete('startIndex');
        if (isSearch && typeof body === 'object' && body !== null) {
          const rest = { ...(body as Record<string, unknown>) };
          delete rest.startIndex;
          body = rest;
        }
      }
      if (isSearch && typeof body === 'object' && body !== null) {
        const b = body as Record<string, unknown>;
        const count = adjustCount(typeof b.count === 'number' ? b.count : undefined);
        body = count === undefined ? b : { ...b, count };
      } else {
        const asked = params.get('count');
        const count = adjustCount(asked === null ? undefined : Number(asked));
        if (count !== undefined) {
          params.set('count', String(count));
        }
      }
    }
    if (options.entraPatch === true && recorded.method === 'PATCH' && body !== undefined) {
      body = mapJson(body, (k, v) => {
        if (k === 'op' && typeof v === 'string') {
          return v.toLowerCase();
        }
        return v === 'True' || v === 'False' ? v === 'True' : v;
      });
    }
    if (options.dropOnWrite && /\/Users(\/|$)/.test(path) && typeof body === 'object' && body) {
      body = withoutAttributes(body, options.dropOnWrite);
    }
    if (isList) {
      options.onList?.(store, recorded);
    }
    const forwardBody = body === json ? raw : Buffer.from(JSON.stringify(body));
    const query = params.toString();
    const headers = { ...req.headers, 'content-length': String(forwardBody.length) };
    const answer = await invoke(
      handler,
      recorded.method,
      `${path}${query !== '' ? `?${query}` : ''}`,
      headers,
      forwardBody,
    );

    if (dropNow && drop.when === 'after-apply') {
      dropsLeft--;
      req.socket.destroy();
      return;
    }
    if (fail && f503.after === true) {
      reply(scimError(503, 'Service temporarily unavailable.'));
      return;
    }
    reply(
      transformAnswer(answer, {
        isList,
        filtered:
          typeof filterText === 'string' && filterText !== '' && options.ignoreFilters !== true,
        isPatch: recorded.method === 'PATCH',
        isSchemas: /\/Schemas(\/|$)/.test(path),
      }),
    );
  };

  /** Whether any option below changes a JSON answer of this kind (else it is sent as it came). */
  const rewritesAnswer = (kind: { isList: boolean; isSchemas: boolean }): boolean =>
    options.entraPatch === true ||
    (kind.isSchemas && options.mutability !== undefined) ||
    (kind.isList &&
      (options.totalResultsSkew !== undefined ||
        (options.listOmitsAttributes !== undefined && options.listOmitsAttributes !== false) ||
        options.stringNumbers === true ||
        options.lowercaseResourcesKey === true));

  const transformAnswer = (
    answer: Captured,
    kind: { isList: boolean; filtered: boolean; isPatch: boolean; isSchemas: boolean },
  ): Captured => {
    if (options.entraPatch === true && kind.isPatch && answer.status === 200) {
      const rest = Object.fromEntries(
        Object.entries(answer.headers).filter(([k]) => !/^content-(type|length)$/i.test(k)),
      );
      return { status: 204, headers: rest, body: Buffer.alloc(0) };
    }
    if (answer.body.length === 0 || !/json/.test(answer.headers['Content-Type'] ?? '')) {
      return answer;
    }
    if (!rewritesAnswer(kind)) return answer;
    let doc = JSON.parse(answer.body.toString('utf8')) as unknown;
    if (options.entraPatch === true) {
      doc = mapJson(doc, (k, v) =>
        k === 'active' && typeof v === 'boolean' ? (v ? 'True' : 'False') : v,
      );
    }
    if (kind.isSchemas && options.mutability !== undefined) {
      doc = withMutability(doc, options.mutability);
    }
    if (kind.isList && typeof doc === 'object' && doc !== null && 'Resources' in doc) {
      const list = { ...(doc as Record<string, unknown>) };
      skewTotal(options, list, kind.filtered);
      if (options.listOmitsAttributes !== undefined && options.listOmitsAttributes !== false) {
        const omit =
          options.listOmitsAttributes === true ? DEFAULT_OMITTED : options.listOmitsAttributes;
        list.Resources = (list.Resources as Record<string, unknown>[]).map((r) => {
          const copy = Object.fromEntries(Object.entries(r).filter(([k]) => !omit.includes(k)));
          if (Array.isArray(copy.schemas)) {
            copy.schemas = (copy.schemas as string[]).filter((s) => !omit.includes(s));
          }
          return copy;
        });
      }
      if (options.stringNumbers === true) {
        for (const key of ['totalResults', 'itemsPerPage', 'startIndex']) {
          if (typeof list[key] === 'number') {
            list[key] = String(list[key]);
          }
        }
      }
      if (options.lowercaseResourcesKey === true) {
        list.resources = list.Resources;
        delete list.Resources;
      }
      doc = list;
    }
    const body = Buffer.from(JSON.stringify(doc));
    return { ...answer, body };
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500);
      }
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    port,
    sandbox: store,
    requests,
    rateLimited: () => refused,
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
