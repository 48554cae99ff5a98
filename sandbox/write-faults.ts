/**
 * Seeded write faults for the sandbox (features.writeFaults): a write is applied by the handler as
 * usual, then — for a seeded share of writes — its successful answer is replaced by a 503 or the
 * connection is dropped before any byte of the answer leaves (http-io.ts `send` asks
 * {@link takeFault}). Reads and refused writes are never touched.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WriteFaults } from './features';
import { createPrng } from './seed';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type FaultKind = '503' | 'drop';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const pending = new WeakMap<ServerResponse, FaultKind>();

/** The fault chosen for this response, if any (once: it is cleared). */
export function takeFault(res: ServerResponse): FaultKind | undefined {
  const kind = pending.get(res);
  pending.delete(res);
  return kind;
}

/** Wraps a handler so a seeded share of writes fails after being applied. */
export function withWriteFaults(handler: Handler, faults: WriteFaults | undefined): Handler {
  if (!faults || faults.rate <= 0) return handler;
  const random = createPrng(faults.seed);
  const kinds: readonly FaultKind[] = faults.kinds?.length ? faults.kinds : ['503', 'drop'];
  return (req, res) => {
    if (WRITES.has(req.method ?? '') && random() < faults.rate) {
      const kind = kinds[Math.floor(random() * kinds.length)] ?? '503';
      pending.set(res, kind);
      faults.onFault?.(kind, req.method ?? '', req.url ?? '');
    }
    handler(req, res);
  };
}
