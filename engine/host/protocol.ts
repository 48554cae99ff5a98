/**
 * The wire protocol between the app's main process and the engine process (an Electron
 * `utilityProcess` in the app, a Node child process in tests and benches). Both sides parse
 * every message they receive with these schemas; nothing else crosses the channel.
 *
 * ```
 *   main (host)                                   engine process (child)
 *                         ◀── hello {protocol}        channel open, listening
 *   start {options} ──▶                               createEngine + createRouter
 *                         ◀── ready {version}         (or fatal {error}: could not start)
 *   invoke {id, channel, request} ──▶                 router.dispatch
 *                         ◀── result {id, result}     always a Result, never a throw
 *                         ◀── event {event, payload}  job:progress, job:finished, …
 *                         ◀── port:call {id, call}    a dialog, a secret, the taskbar…
 *   port:result {id, result} ──▶
 *   grant {path} ──▶                                  a file the admin dropped on the window
 *   shutdown ──▶                                      engine.dispose(), then the process exits
 * ```
 *
 * Messages on one channel arrive in order, so a `grant` sent before an `invoke` is in force when
 * the invoke runs. Ids are per direction: invoke ids are the host's, port-call ids the child's.
 * When the child exits without being asked to, the host answers every pending invoke with an
 * error Result (see engine-host.ts); a message either side cannot parse is a bug in the other and
 * is treated the same way as a crash.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorPayload } from '../../shared/errors/payload';
import { EVENTS } from '../../shared/ipc/channels';
import type { Result } from '../../shared/util/result';
import { PortCallSchema } from './port-calls';

/** Bumped on any incompatible change; both sides are built together, so this catches stale builds. */
export const PROTOCOL_VERSION = 1;

/** ErrorPayload (shared/errors/payload.ts) as a schema; a compile-time check keeps the two equal. */
const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  nextStep: z.string().optional(),
  status: z.number().optional(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
  method: z.string().optional(),
  url: z.string().optional(),
  raw: z.string().optional(),
  lookupKey: z.string().optional(),
  retryAfterMs: z.number().optional(),
  fields: z.array(z.string()).optional(),
  csvFix: z.object({ skipLines: z.number().optional(), header: z.boolean().optional() }).optional(),
});

/** A Result envelope whose value is left to the contract (validated by the router). */
const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);

const IdSchema = z.number().int().nonnegative();

/** How secrets are stored, as main's SecretStore describes it (fixed once the store is built). */
const SecretStorageSchema = z.object({
  backend: z.string(),
  secure: z.boolean(),
  warning: z.string().optional(),
});

/** What the engine process needs to build the engine; everything Electron-only stays in main. */
export const EngineStartOptionsSchema = z.strictObject({
  /** The app's data folder (Electron userData). */
  dataDir: z.string().min(1),
  /** `chosen` in the app: the page may only name files picked in a dialog or dropped. */
  fileAccess: z.enum(['any', 'chosen']),
  sandbox: z.strictObject({
    enabled: z.boolean(),
    port: z.number().int().min(0).max(65_535).optional(),
    seed: z.number().int().optional(),
    /** The sandbox's bearer token; random when absent (tests choose one to seed the sandbox). */
    token: z.string().min(16).max(200).optional(),
  }),
  /** Lowest level the engine process logs to its stderr; no logging when absent. */
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  /** Also check every response against the contract (tests and the e2e harness). */
  validateResponses: z.boolean().optional(),
  secretStorage: SecretStorageSchema,
});
export type EngineStartOptions = z.infer<typeof EngineStartOptionsSchema>;

/** Messages from main (the host) to the engine process. */
export const ToEngineSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('start'),
    protocol: z.literal(PROTOCOL_VERSION),
    options: EngineStartOptionsSchema,
  }),
  z.strictObject({
    type: z.literal('invoke'),
    id: IdSchema,
    channel: z.string().min(1).max(200),
    request: z.unknown(),
  }),
  z.strictObject({ type: z.literal('grant'), path: z.string().min(1).max(4096) }),
  z.strictObject({ type: z.literal('port:result'), id: IdSchema, result: ResultSchema }),
  z.strictObject({ type: z.literal('shutdown') }),
]);
export type ToEngine = z.infer<typeof ToEngineSchema>;

/** Messages from the engine process to main. */
export const FromEngineSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), protocol: z.literal(PROTOCOL_VERSION) }),
  z.strictObject({ type: z.literal('ready'), version: z.string() }),
  z.strictObject({ type: z.literal('fatal'), error: ErrorPayloadSchema }),
  z.strictObject({ type: z.literal('result'), id: IdSchema, result: ResultSchema }),
  z.strictObject({ type: z.literal('event'), event: z.enum(EVENTS), payload: z.unknown() }),
  z.strictObject({ type: z.literal('port:call'), id: IdSchema, call: PortCallSchema }),
]);
export type FromEngine = z.infer<typeof FromEngineSchema>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type WireError = z.output<typeof ErrorPayloadSchema>;
/**
 * Compile-time proof that the wire schemas carry exactly the shared types. Types that differ only
 * by an optional field are assignable both ways, so the field names are compared too: a field the
 * schema forgot would be stripped from every error on its way to the window.
 */
type ProtocolMatchesShared = [
  Same<WireError, ErrorPayload>,
  Same<keyof WireError, keyof ErrorPayload>,
  Same<keyof NonNullable<WireError['csvFix']>, keyof NonNullable<ErrorPayload['csvFix']>>,
  Same<z.output<typeof ResultSchema>, Result<unknown>>,
] extends [true, true, true, true]
  ? true
  : never;
/** Instantiated so a mismatch is an error here rather than a silent `never`. */
export const PROTOCOL_MATCHES_SHARED: ProtocolMatchesShared = true;

/** Zod issues in one line (paths and expectations only, never the values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(message)'}: ${i.message}`)
    .join('; ')
    .slice(0, 2000);
}
