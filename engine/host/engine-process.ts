import { AppError, toErrorPayload } from '../../shared/errors/errors';
import { isEventName } from '../../shared/ipc/channels';
import { fail, type Result } from '../../shared/util/result';
import { createRouter, type Router } from '../api/router';
import { createEngine, type Engine } from '../create-engine';
import { createLogger, type LineSink } from '../log/logger';
import type { Logger } from '../ports';
import { createRemotePorts, type PortCall } from './port-calls';
import {
  describeIssues,
  PROTOCOL_VERSION,
  ToEngineSchema,
  type EngineStartOptions,
  type FromEngine,
  type ToEngine,
} from './protocol';

/** The engine process's end of the channel to main (parent-channel.ts builds it). */
export type ParentChannel = {
  post(message: FromEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Main went away (a Node parent's IPC channel closed); Electron kills the process itself. */
  onClose(listener: () => void): void;
};

type ServeOptions = {
  /** Where the engine logs when the start message asks for logging (default process.stderr). */
  logSink?: LineSink;
};

type Running = { engine: Engine; router: Router; logger: Logger | undefined };

/**
 * The engine process: says hello, builds the engine and its router from main's start message
 * (ports that live in main become calls over the channel), then answers invokes until main asks
 * it to shut down — or goes away. Resolves once the engine is disposed; the caller then exits.
 */
export function serveEngine(channel: ParentChannel, options: ServeOptions = {}): Promise<void> {
  return new EngineProcess(channel, options).run();
}

class EngineProcess {
  private running: Running | undefined;
  private starting = false;
  private stopping: Promise<void> | undefined;
  private readonly portCalls = new Map<number, (result: Result<unknown>) => void>();
  private nextPortCall = 1;
  private finished!: () => void;

  constructor(
    private readonly channel: ParentChannel,
    private readonly options: ServeOptions,
  ) {}

  run(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
    this.channel.onMessage((raw) => {
      this.receive(raw);
    });
    this.channel.onClose(() => {
      void this.stop();
    });
    this.post({ type: 'hello', protocol: PROTOCOL_VERSION });
    return done;
  }

  private receive(raw: unknown): void {
    const parsed = ToEngineSchema.safeParse(raw);
    if (!parsed.success) {
      this.refuse(raw, describeIssues(parsed.error));
      return;
    }
    this.handle(parsed.data);
  }

  private handle(message: ToEngine): void {
    switch (message.type) {
      case 'start':
        void this.start(message.options);
        return;
      case 'invoke':
        void this.invoke(message.id, message.channel, message.request);
        return;
      case 'grant':
        // A dropped file may be read (imported, opened), never written.
        this.running?.engine.files.grant(message.path, 'read');
        return;
      case 'port:result': {
        const resolve = this.portCalls.get(message.id);
        this.portCalls.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'shutdown':
        void this.stop();
        return;
    }
  }

  private async start(options: EngineStartOptions): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    const logger = options.logLevel
      ? createLogger({ level: options.logLevel, sink: this.options.logSink ?? process.stderr })
      : undefined;
    const ports = createRemotePorts(
      (call) => this.callMain(call),
      options.secretStorage,
      (method, e) => {
        logger?.log('warn', `the app could not do ${method}`, { error: toErrorPayload(e).message });
      },
    );
    try {
      const engine = await createEngine({
        dataDir: options.dataDir,
        secrets: ports.secrets,
        desktop: ports.desktop,
        emit: (event, payload) => {
          this.emit(event, payload, logger);
        },
        fileAccess: options.fileAccess,
        sandbox: options.sandbox,
        ...(logger ? { logger } : {}),
      });
      const router = createRouter(engine, {
        ...(logger ? { logger } : {}),
        ...(options.validateResponses ? { validateResponses: true } : {}),
      });
      this.running = { engine, router, logger };
      this.post({ type: 'ready', version: engine.version });
    } catch (e) {
      this.post({ type: 'fatal', error: toErrorPayload(e) });
    }
  }

  private async invoke(id: number, channel: string, request: unknown): Promise<void> {
    const running = this.running;
    const result = running
      ? await running.router.dispatch(channel, request)
      : fail(new AppError('internal', "SCIM Porter's engine has not started yet.").toPayload());
    try {
      this.channel.post({ type: 'result', id, result });
    } catch (e) {
      // The answer could not be cloned onto the channel: still answer, so main never waits.
      this.post({
        type: 'result',
        id,
        result: fail({
          code: 'internal',
          message: `The engine's answer to ${channel} could not be sent to the window.`,
          raw: e instanceof Error ? e.message : String(e),
        }),
      });
    }
  }

  private callMain(call: PortCall): Promise<Result<unknown>> {
    const id = this.nextPortCall++;
    return new Promise((resolve) => {
      this.portCalls.set(id, resolve);
      this.post({ type: 'port:call', id, call });
    });
  }

  private emit(event: string, payload: unknown, logger: Logger | undefined): void {
    if (!isEventName(event)) return;
    try {
      this.channel.post({ type: 'event', event, payload });
    } catch (e) {
      logger?.log('error', `could not send the ${event} event`, { error: String(e) });
    }
  }

  /** Disposes the engine once (sandbox stopped, jobs cancelled), then lets run() resolve. */
  private stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.running?.engine.dispose();
      this.finished();
    })();
    return this.stopping;
  }

  /** A message main should never send: answer it if it was an invoke, so main does not wait. */
  private refuse(raw: unknown, issues: string): void {
    const id = (raw as { id?: unknown } | null)?.id;
    const type = (raw as { type?: unknown } | null)?.type;
    if (type === 'invoke' && typeof id === 'number' && Number.isInteger(id) && id >= 0) {
      this.post({
        type: 'result',
        id,
        result: fail({
          code: 'internal',
          message: 'The engine could not read this request.',
          raw: issues,
        }),
      });
    }
    this.running?.logger?.log('error', 'the app sent a message the engine cannot read', { issues });
  }

  private post(message: FromEngine): void {
    try {
      this.channel.post(message);
    } catch {
      // The channel is gone (main exited): nothing left to tell.
    }
  }
}
