/**
 * The ports that must live in main (native dialogs, the file manager, the taskbar, notifications,
 * and the OS keychain through safeStorage), called from the engine process as RPCs. One table
 * names every method with the schema of its arguments and of its answer; main serves exactly
 * these, and the engine process gets a DesktopPort and a SecretStore that call them.
 */
import { z } from 'zod';
import { AppError, toErrorPayload } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import { fail, ok, type Result } from '../../shared/util/result';
import type { DesktopPort, SecretStore } from '../ports';

const FileDialogOptionsSchema = z.strictObject({
  title: z.string().max(500),
  filters: z
    .array(
      z.strictObject({
        name: z.string().max(200),
        extensions: z.array(z.string().max(50)).max(50),
      }),
    )
    .max(20),
  defaultName: z.string().max(4096).optional(),
});
const PathSchema = z.string().min(1).max(4096);
const KeySchema = z.string().min(1).max(500);
const Nothing = z.undefined();

/** Every method main serves to the engine process: `port.method` → argument tuple and answer. */
const PORT_METHODS = {
  'desktop.openFile': {
    args: z.tuple([FileDialogOptionsSchema]),
    answer: z.string().optional(),
  },
  'desktop.saveFile': {
    args: z.tuple([FileDialogOptionsSchema]),
    answer: z.string().optional(),
  },
  'desktop.showInFolder': { args: z.tuple([PathSchema]), answer: Nothing },
  'desktop.setProgress': { args: z.tuple([z.number().min(-1).max(1).nullable()]), answer: Nothing },
  'desktop.notify': {
    args: z.tuple([z.string().max(500), z.string().max(2000)]),
    answer: Nothing,
  },
  'secrets.get': { args: z.tuple([KeySchema]), answer: z.string().optional() },
  'secrets.set': { args: z.tuple([KeySchema, z.string().max(100_000)]), answer: Nothing },
  'secrets.delete': { args: z.tuple([KeySchema]), answer: Nothing },
} as const;

type Methods = typeof PORT_METHODS;
type PortMethod = keyof Methods;
type PortArgs<M extends PortMethod> = z.output<Methods[M]['args']>;
type PortAnswer<M extends PortMethod> = z.output<Methods[M]['answer']>;

const call = <M extends string, A extends z.ZodType>(method: M, args: A) =>
  z.strictObject({ method: z.literal(method), args });

/** One port call as it crosses the channel: the method and its (validated) arguments. */
export const PortCallSchema = z.discriminatedUnion('method', [
  call('desktop.openFile', PORT_METHODS['desktop.openFile'].args),
  call('desktop.saveFile', PORT_METHODS['desktop.saveFile'].args),
  call('desktop.showInFolder', PORT_METHODS['desktop.showInFolder'].args),
  call('desktop.setProgress', PORT_METHODS['desktop.setProgress'].args),
  call('desktop.notify', PORT_METHODS['desktop.notify'].args),
  call('secrets.get', PORT_METHODS['secrets.get'].args),
  call('secrets.set', PORT_METHODS['secrets.set'].args),
  call('secrets.delete', PORT_METHODS['secrets.delete'].args),
]);
export type PortCall = z.output<typeof PortCallSchema>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time proof that the call schema names every method of the table, and no other. */
type PortCallsCoverTable = Same<PortCall['method'], PortMethod>;
/** Instantiated so a mismatch is an error here rather than a silent `false`. */
export const PORT_CALLS_COVER_TABLE: PortCallsCoverTable = true;

/** What main serves: its real desktop and secret store. */
export type HostPorts = { desktop: DesktopPort; secrets: SecretStore };

async function run(ports: HostPorts, call: PortCall): Promise<unknown> {
  const { desktop, secrets } = ports;
  switch (call.method) {
    case 'desktop.openFile':
      return desktop.openFile(...call.args);
    case 'desktop.saveFile':
      return desktop.saveFile(...call.args);
    case 'desktop.showInFolder':
      desktop.showInFolder(...call.args);
      return undefined;
    case 'desktop.setProgress':
      desktop.setProgress(...call.args);
      return undefined;
    case 'desktop.notify':
      desktop.notify(...call.args);
      return undefined;
    case 'secrets.get':
      return secrets.get(...call.args);
    case 'secrets.set':
      return secrets.set(...call.args);
    case 'secrets.delete':
      return secrets.delete(...call.args);
  }
}

/** Main's side: runs one call against the real ports; failures become an error Result. */
export async function servePortCall(ports: HostPorts, call: PortCall): Promise<Result<unknown>> {
  try {
    return ok(await run(ports, call));
  } catch (e) {
    return fail(toErrorPayload(e));
  }
}

/** Sends one call to main and resolves with its (unchecked) answer, or rejects with its error. */
type PortCaller = (call: PortCall) => Promise<Result<unknown>>;

function answerOf<M extends PortMethod>(method: M, result: Result<unknown>): PortAnswer<M> {
  if (!result.ok) throw errorFrom(result.error);
  const parsed = PORT_METHODS[method].answer.safeParse(result.value);
  if (!parsed.success) {
    throw new AppError('internal', `The app answered ${method} with something unexpected.`);
  }
  return parsed.data as PortAnswer<M>;
}

/** An error Result from the other process as an AppError again (same code and facts). */
function errorFrom(payload: ErrorPayload): AppError {
  const { code, message, ...facts } = payload;
  return new AppError(code, message, facts);
}

/**
 * The engine process's side: a DesktopPort and a SecretStore whose methods are calls to main.
 * `describe()` must answer synchronously, so main sends its answer once, in the start message.
 * Fire-and-forget methods (progress, notifications, show in folder) report failures to `onError`.
 */
export function createRemotePorts(
  caller: PortCaller,
  secretStorage: ReturnType<SecretStore['describe']>,
  onError: (method: PortMethod, error: unknown) => void,
): HostPorts {
  const call = async <M extends PortMethod>(method: M, args: PortArgs<M>) =>
    answerOf(method, await caller({ method, args } as PortCall));
  const send = <M extends PortMethod>(method: M, args: PortArgs<M>): void => {
    call(method, args).catch((e: unknown) => {
      onError(method, e);
    });
  };
  return {
    desktop: {
      openFile: (options) => call('desktop.openFile', [options]),
      saveFile: (options) => call('desktop.saveFile', [options]),
      showInFolder: (path) => {
        send('desktop.showInFolder', [path]);
      },
      setProgress: (fraction) => {
        send('desktop.setProgress', [fraction]);
      },
      notify: (title, body) => {
        send('desktop.notify', [title, body]);
      },
    },
    secrets: {
      get: (key) => call('secrets.get', [key]),
      set: (key, value) => call('secrets.set', [key, value]),
      delete: (key) => call('secrets.delete', [key]),
      describe: () => secretStorage,
    },
  };
}
