/**
 * The sandbox's HTTP request handler: bearer auth, routing under `/scim/v2`, and the SCIM
 * endpoints of RFC 7644 §3 and §4. Framework-free so tests and the deviation servers can wrap it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URN } from '../shared/scim/urns';
import { isRecord } from './attribute-resolver';
import { hasBearerToken } from './auth';
import { runBulk } from './bulk';
import { ENDPOINTS, etagHeader, performWrite, present, type SandboxContext } from './context';
import { createCursorCodec } from './cursor';
import { discoveryList, resourceTypeDocument, schemaDocument } from './discovery-docs';
import { serviceProviderConfig, type SandboxFeatures } from './features';
import { parseJson, readBody, send, sendError } from './http-io';
import { listResources, type ListParams } from './list-query';
import { applyProjection, parseAttributeList } from './projection';
import { SandboxError, badRequest } from './sandbox-error';
import { SANDBOX_RESOURCE_TYPES, SANDBOX_SCHEMAS, type SandboxResourceType } from './schemas';
import type { SandboxStore } from './store';

/** Path prefix every SCIM endpoint lives under. */
export const SANDBOX_BASE_PATH = '/scim/v2';

const MAX_BODY = 16 * 1024 * 1024;

type Projection = { attributes: string[] | undefined; excluded: string[] | undefined };

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function checkContentType(req: IncomingMessage): void {
  const ct = headerValue(req, 'content-type');
  // RFC 7644 §3.1 names application/scim+json; plain application/json is accepted too.
  if (ct !== undefined && !/^application\/(scim\+)?json\b/i.test(ct.trim())) {
    throw new SandboxError(
      415,
      `Content-Type "${ct}" is not supported; send application/scim+json.`,
    );
  }
}

function queryParams(url: URL): ListParams & Projection {
  const q = url.searchParams;
  const get = (k: string) => q.get(k) ?? undefined;
  return {
    filter: get('filter'),
    sortBy: get('sortBy'),
    sortOrder: get('sortOrder'),
    startIndex: get('startIndex'),
    count: get('count'),
    ...(q.has('cursor') ? { cursor: q.get('cursor') ?? '' } : {}),
    attributes: parseAttributeList(get('attributes'), 'attributes'),
    excluded: parseAttributeList(get('excludedAttributes'), 'excludedAttributes'),
  };
}

function searchParams(body: unknown): ListParams & Projection {
  if (
    !isRecord(body) ||
    !Array.isArray(body.schemas) ||
    !body.schemas.includes(URN.searchRequest)
  ) {
    throw badRequest(
      'invalidSyntax',
      `A search body must have "schemas": ["${URN.searchRequest}"].`,
    );
  }
  return {
    filter: body.filter,
    sortBy: body.sortBy,
    sortOrder: body.sortOrder,
    startIndex: body.startIndex,
    count: body.count,
    ...('cursor' in body ? { cursor: body.cursor ?? '' } : {}),
    attributes: parseAttributeList(body.attributes, 'attributes'),
    excluded: parseAttributeList(body.excludedAttributes, 'excludedAttributes'),
  };
}

function list(
  ctx: SandboxContext,
  types: SandboxResourceType[],
  params: ListParams & Projection,
): Record<string, unknown> {
  return listResources(
    {
      store: ctx.store,
      features: ctx.features,
      codec: ctx.codec,
      now: ctx.now,
      present: (r) => applyProjection(r.type, present(ctx, r), params.attributes, params.excluded),
    },
    types,
    params,
  );
}

function discovery(ctx: SandboxContext, segments: string[]): unknown {
  const [head, id] = segments;
  if (head === 'ServiceProviderConfig' && id === undefined) {
    return serviceProviderConfig(ctx.features, ctx.baseUrl);
  }
  if (head === 'Schemas' || head === 'ResourceTypes') {
    if (id === undefined) {
      return discoveryList(head, ctx.baseUrl);
    }
    const doc =
      head === 'Schemas'
        ? SANDBOX_SCHEMAS.find((s) => s.id === id)
        : SANDBOX_RESOURCE_TYPES.find((r) => r.name === id || r.id === id);
    if (doc === undefined) {
      throw new SandboxError(404, `${head}/${id} not found.`);
    }
    return 'attributes' in doc
      ? schemaDocument(doc, ctx.baseUrl)
      : resourceTypeDocument(doc, ctx.baseUrl);
  }
  return undefined;
}

async function route(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const segments = url.pathname
    .slice(SANDBOX_BASE_PATH.length)
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const isBulk = segments.length === 1 && segments[0] === 'Bulk';
  if (hasBody) {
    checkContentType(req);
  }
  const raw = hasBody
    ? await readBody(req, isBulk ? ctx.features.bulkMaxPayloadSize : MAX_BODY)
    : undefined;
  const body = raw === undefined ? undefined : () => parseJson(raw);

  if (method === 'GET') {
    const doc = discovery(ctx, segments);
    if (doc !== undefined) {
      send(res, 200, doc);
      return;
    }
  }
  if (isBulk) {
    if (method !== 'POST') {
      throw new SandboxError(405, '/Bulk accepts POST only.');
    }
    if (!ctx.features.bulk) {
      throw new SandboxError(501, 'Bulk operations are not supported by this server.');
    }
    send(res, 200, runBulk(ctx, body?.()));
    return;
  }
  if (segments.length === 1 && segments[0] === '.search' && method === 'POST') {
    send(res, 200, list(ctx, ['User', 'Group'], searchParams(body?.())));
    return;
  }
  if (segments[0] === 'Me') {
    throw new SandboxError(501, '/Me is not supported by this server.');
  }
  const type = segments[0] !== undefined ? ENDPOINTS[segments[0]] : undefined;
  if (type === undefined || segments.length > 2) {
    throw new SandboxError(404, `No SCIM endpoint at ${url.pathname}.`);
  }
  const id = segments[1];
  if (id === '.search') {
    if (method !== 'POST') {
      throw new SandboxError(405, '.search accepts POST only.');
    }
    send(res, 200, list(ctx, [type], searchParams(body?.())));
    return;
  }
  const params = queryParams(url);
  if (method === 'GET' && id === undefined) {
    send(res, 200, list(ctx, [type], params));
    return;
  }
  if (method === 'GET' && id !== undefined) {
    const r = ctx.store.record(type, id);
    if (r === undefined) {
      throw new SandboxError(404, `${type} ${id} not found.`);
    }
    const inm = headerValue(req, 'if-none-match');
    if (
      ctx.features.etag &&
      inm !== undefined &&
      inm.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${r.rev}"`)
    ) {
      send(res, 304, undefined, etagHeader(ctx, r));
      return;
    }
    send(
      res,
      200,
      applyProjection(type, present(ctx, r), params.attributes, params.excluded),
      etagHeader(ctx, r),
    );
    return;
  }
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') {
    throw new SandboxError(405, `${method} is not allowed here.`);
  }
  const result = performWrite(ctx, method, type, id, body?.(), headerValue(req, 'if-match'));
  const r = result.record;
  if (r === undefined) {
    send(res, result.status);
    return;
  }
  const headers: Record<string, string> = { ...etagHeader(ctx, r) };
  if (result.status === 201) {
    headers.Location = `${ctx.baseUrl}/${segments[0] ?? ''}/${r.id}`;
  }
  send(
    res,
    result.status,
    applyProjection(type, present(ctx, r), params.attributes, params.excluded),
    headers,
  );
}

/**
 * Creates the request handler for a store. Requests outside `/scim/v2` get 404; requests without
 * the bearer token get 401 with a SCIM error body.
 */
export function createSandboxHandler(
  store: SandboxStore,
  features: SandboxFeatures,
  token: string,
  now: () => number = Date.now,
): (req: IncomingMessage, res: ServerResponse) => void {
  const codec = createCursorCodec();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname !== SANDBOX_BASE_PATH && !url.pathname.startsWith(`${SANDBOX_BASE_PATH}/`)) {
      throw new SandboxError(
        404,
        `No SCIM service at ${url.pathname}; the base URL is ${SANDBOX_BASE_PATH}.`,
      );
    }
    if (!hasBearerToken(req.headers, token)) {
      req.resume();
      throw new SandboxError(401, 'Missing or wrong bearer token.');
    }
    const host = headerValue(req, 'host') ?? '127.0.0.1';
    const ctx: SandboxContext = {
      store,
      features,
      codec,
      now,
      baseUrl: `http://${host}${SANDBOX_BASE_PATH}`,
    };
    await route(ctx, req, res, url);
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      req.resume();
      sendError(res, e);
    });
  };
}
