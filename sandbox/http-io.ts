/** Reading requests and writing SCIM responses (RFC 7644 §3.1 media type, §3.12 error bodies). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URN } from '../shared/scim/urns';
import type { ScimType } from '../shared/errors/payload';
import { SandboxError, badRequest } from './sandbox-error';
import { takeFault } from './write-faults';

const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Reads the whole body; 413 once it passes `limit` bytes (the rest is drained, not buffered). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      if (!tooBig) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (tooBig) {
        reject(new SandboxError(413, `The request body is larger than ${limit} bytes.`, 'tooMany'));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

/** Parses a JSON body; 400 invalidSyntax when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) {
    throw badRequest('invalidSyntax', 'The request needs a JSON body.');
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badRequest('invalidSyntax', 'The request body is not valid JSON.');
  }
}

/** RFC 7644 §3.12 error body; `status` is a string there. */
export function errorBody(
  status: number,
  detail: string,
  scimType?: ScimType,
): Record<string, unknown> {
  return {
    schemas: [URN.error],
    status: String(status),
    ...(scimType !== undefined ? { scimType } : {}),
    detail,
  };
}

/** Sends a JSON body (or none) with the SCIM media type. */
export function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const fault = status < 300 ? takeFault(res) : undefined;
  if (fault === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (fault === '503') {
    send(res, 503, errorBody(503, 'Injected fault: the write was applied, its answer lost.'));
    return;
  }
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': SCIM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends an error: a SandboxError as itself, anything else as 500 without internals. */
export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof SandboxError) {
    const headers: Record<string, string> =
      e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="SCIM Porter sandbox"' } : {};
    send(res, e.status, errorBody(e.status, e.message, e.scimType), headers);
    return;
  }
  send(res, 500, errorBody(500, 'The sandbox failed to handle the request.'));
}
