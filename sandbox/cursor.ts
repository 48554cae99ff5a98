/**
 * RFC 9865 cursors: opaque to clients, HMAC-signed so a tampered or foreign cursor is
 * `invalidCursor`, stamped with their issue time so an old one is `expiredCursor` (§5).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from './sandbox-error';

/** Where the next page starts: after the record with creation order `seq`, or at `offset`. */
export type CursorPosition = { kind: 'seq'; value: number } | { kind: 'offset'; value: number };

/** What a cursor carries. `query` binds it to the filter/sort it was issued for. */
export type CursorState = CursorPosition & { issuedAt: number; query: string };

export type CursorCodec = {
  encode(state: CursorState): string;
  /** Throws 400 invalidCursor / expiredCursor. */
  decode(text: string, query: string, now: number, timeoutMs: number): CursorState;
};

/** A codec with a fresh random key (cursors do not survive a sandbox restart, which RFC 9865 allows). */
export function createCursorCodec(key: Buffer = randomBytes(32)): CursorCodec {
  const sign = (payload: string): string =>
    createHmac('sha256', key).update(payload).digest('base64url').slice(0, 22);
  return {
    encode: (state) => {
      const payload = Buffer.from(
        JSON.stringify([
          state.kind === 'seq' ? 's' : 'o',
          state.value,
          state.issuedAt,
          state.query,
        ]),
      ).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    decode: (text, query, now, timeoutMs) => {
      const invalid = () =>
        badRequest('invalidCursor', 'The cursor is not one this server issued for this query.');
      const [payload, mac] = text.split('.');
      if (payload === undefined || mac === undefined) {
        throw invalid();
      }
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(mac);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw invalid();
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      if (!Array.isArray(parsed) || parsed.length !== 4) {
        throw invalid();
      }
      const [kind, value, issuedAt, q] = parsed as unknown[];
      if (typeof value !== 'number' || typeof issuedAt !== 'number' || q !== query) {
        throw invalid();
      }
      if (now - issuedAt > timeoutMs) {
        throw badRequest('expiredCursor', 'The cursor has expired; start the listing again.');
      }
      return kind === 's'
        ? { kind: 'seq', value, issuedAt, query }
        : { kind: 'offset', value, issuedAt, query };
    },
  };
}
