import { events as EVENT_SCHEMAS } from '../../shared/ipc/contract';
import type { ErrorPayload } from '../../shared/errors/payload';
import { fail, type Result } from '../../shared/util/result';
import type { Router } from '../api/router';
import type { Clock, EventSink, Logger } from '../ports';
import {
  CLOSING,
  couldNotStart,
  crashedInvoke,
  DEFAULT_RESTART_POLICY,
  describeExit,
  interruptedJob,
  keepsStopping,
  recentStops,
  RESTARTED_NOTICE,
  type RestartPolicy,
} from './host-errors';
import { createJobTracker } from './job-tracker';
import { servePortCall, type HostPorts } from './port-calls';
import {
  describeIssues,
  FromEngineSchema,
  PROTOCOL_VERSION,
  type EngineStartOptions,
  type FromEngine,
  type ToEngine,
} from './protocol';

/**
 * A running engine process as main sees it: Electron's UtilityProcess in the app
 * (electron/main/engine-process.ts), a Node child process in tests (node-child.ts).
 */
export type EngineChild = {
  post(message: ToEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended, however it ended. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
};

type EngineHostOptions = {
  /** Starts one engine process (called again after an unexpected stop). */
  spawn: () => EngineChild;
  /** Sent to every engine process it starts (the secret store's description is added). */
  start: Omit<EngineStartOptions, 'secretStorage'>;
  /** The ports that live in main, served to the engine process. */
  ports: HostPorts;
  /** Engine events (validated against the contract) go here: the window in the app. */
  emit: EventSink;
  logger?: Logger;
  restart?: RestartPolicy;
  clock?: Clock;
  /** How long `dispose()` waits for the engine process to exit before killing it (ms). */
  shutdownTimeoutMs?: number;
};

/** The router's one method, served by the engine process, plus the host's lifecycle. */
export type EngineHost = Router & {
  /** A file the admin dropped on the window: the engine may read it. */
  grant(path: string): void;
  /** Resolves when the first engine process is ready; rejects when it could not start. */
  ready(): Promise<{ version: string }>;
  /** The engine process's id while one runs. */
  pid(): number | undefined;
  /** Shuts the engine process down (engine.dispose() inside it) and waits for it to exit. */
  dispose(): Promise<void>;
};

type Pending = { channel: string; resolve: (result: Result<unknown>) => void };
type Outgoing = { message: ToEngine; pending?: Pending };
type Generation = {
  child: EngineChild;
  ready: boolean;
  /** Invokes sent to this process and not answered yet, by id. */
  sent: Map<number, Pending>;
};

/**
 * Runs the engine in its own process and forwards to it: invokes (by id, answered with a Result),
 * events (checked against the contract, then to `emit`), dropped-file grants, and the engine's
 * calls to main's ports. An unexpected stop answers every open invoke with an error Result, ends
 * the jobs that were running with a failed `job:finished`, tells the window (`app:notice`), and
 * starts a new engine process, up to `restart.maxRestarts` times within `restart.windowMs`; after
 * that every request is answered with a clear error instead. Nothing here imports Electron.
 */
export function startEngineHost(options: EngineHostOptions): EngineHost {
  const host = new Host(options);
  host.spawn();
  return {
    dispatch: (channel, request) => host.dispatch(channel, request),
    grant: (path) => {
      host.grant(path);
    },
    ready: () => host.readyPromise,
    pid: () => host.pid(),
    dispose: () => host.dispose(),
  };
}

class Host {
  readonly readyPromise: Promise<{ version: string }>;
  private readonly policy: RestartPolicy;
  private readonly tracker = createJobTracker();
  private readonly outbox: Outgoing[] = [];
  private readonly stops: number[] = [];
  private current: Generation | undefined;
  private failure: ErrorPayload | undefined;
  private closing = false;
  private nextId = 1;
  private exited: (() => void) | undefined;
  private settleReady!: { resolve(v: { version: string }): void; reject(e: Error): void };

  constructor(private readonly options: EngineHostOptions) {
    this.policy = options.restart ?? DEFAULT_RESTART_POLICY;
    this.readyPromise = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // Nobody has to wait for ready(); an unawaited rejection must not take main down.
    this.readyPromise.catch(() => undefined);
  }

  dispatch(channel: string, request: unknown): Promise<Result<unknown>> {
    if (this.failure) return Promise.resolve(fail(this.failure));
    if (this.closing) return Promise.resolve(fail(CLOSING));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.enqueue({
        message: { type: 'invoke', id, channel, request },
        pending: { channel, resolve },
      });
    });
  }

  grant(path: string): void {
    if (!this.failure && !this.closing) this.enqueue({ message: { type: 'grant', path } });
  }

  pid(): number | undefined {
    return this.current?.child.pid;
  }

  dispose(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    this.failOutbox(CLOSING);
    const gen = this.current;
    if (!gen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.log('warn', 'the engine process did not stop in time; killing it');
        gen.child.kill();
      }, this.options.shutdownTimeoutMs ?? 10_000);
      this.exited = () => {
        clearTimeout(timer);
        resolve();
      };
      if (gen.ready) this.post(gen, { type: 'shutdown' });
      else gen.child.kill();
    });
  }

  spawn(): void {
    let child: EngineChild;
    try {
      child = this.options.spawn();
    } catch (e) {
      const error = couldNotStart({
        code: 'internal',
        message: e instanceof Error ? e.message : String(e),
      });
      this.giveUp(error, error.message);
      return;
    }
    const gen: Generation = { child, ready: false, sent: new Map() };
    this.current = gen;
    child.onMessage((raw) => {
      if (this.current === gen) this.receive(gen, raw);
    });
    child.onExit((code, signal) => {
      if (this.current === gen) this.stopped(gen, describeExit(code, signal));
    });
  }

  private receive(gen: Generation, raw: unknown): void {
    const parsed = FromEngineSchema.safeParse(raw);
    if (!parsed.success) {
      // The two sides disagree: a bug, handled like a crash (the exit handler takes over).
      this.log('error', 'the engine process sent a message the app cannot read; stopping it', {
        issues: describeIssues(parsed.error),
      });
      gen.child.kill();
      return;
    }
    this.handle(gen, parsed.data);
  }

  private handle(gen: Generation, message: FromEngine): void {
    switch (message.type) {
      case 'hello':
        this.post(gen, {
          type: 'start',
          protocol: PROTOCOL_VERSION,
          options: { ...this.options.start, secretStorage: this.options.ports.secrets.describe() },
        });
        return;
      case 'ready':
        gen.ready = true;
        for (const out of this.outbox.splice(0)) this.send(gen, out);
        this.settleReady.resolve({ version: message.version });
        return;
      case 'fatal': {
        const error = couldNotStart(message.error);
        this.giveUp(error, error.message);
        gen.child.kill();
        return;
      }
      case 'result':
        this.answer(gen, message.id, message.result);
        return;
      case 'event':
        this.forwardEvent(message.event, message.payload);
        return;
      case 'port:call':
        void servePortCall(this.options.ports, message.call).then((result) => {
          if (this.current === gen) this.post(gen, { type: 'port:result', id: message.id, result });
        });
        return;
    }
  }

  private answer(gen: Generation, id: number, result: Result<unknown>): void {
    const pending = gen.sent.get(id);
    if (!pending) return;
    gen.sent.delete(id);
    this.tracker.observeResult(pending.channel, result);
    pending.resolve(result);
  }

  private forwardEvent(event: keyof typeof EVENT_SCHEMAS, payload: unknown): void {
    const checked = EVENT_SCHEMAS[event].safeParse(payload);
    if (!checked.success) {
      this.log('warn', `dropped an engine event that breaks the contract: ${event}`, {
        issues: describeIssues(checked.error),
      });
      return;
    }
    this.tracker.observeEvent(event, checked.data);
    this.options.emit(event, checked.data);
  }

  /** The current engine process has ended: expected (closing, given up) or a crash. */
  private stopped(gen: Generation, exit: string): void {
    this.current = undefined;
    if (this.closing || this.failure) {
      const error = this.failure ?? CLOSING;
      for (const pending of gen.sent.values()) pending.resolve(fail(error));
      this.exited?.();
      return;
    }
    this.log('error', 'the engine process stopped unexpectedly', { exit });
    for (const p of gen.sent.values()) p.resolve(fail(crashedInvoke(p.channel, exit)));
    for (const finished of this.tracker.interrupt(interruptedJob(exit))) {
      this.options.emit('job:finished', finished);
    }
    // The taskbar bar belonged to those jobs; a failing desktop must not stop the restart.
    void servePortCall(this.options.ports, { method: 'desktop.setProgress', args: [null] });
    const at = (this.options.clock ?? Date).now();
    this.stops.push(at);
    const recent = recentStops(this.stops, at, this.policy);
    if (recent <= this.policy.maxRestarts) {
      this.notice(RESTARTED_NOTICE);
      this.spawn();
      return;
    }
    const error = keepsStopping(recent, this.policy.windowMs, exit);
    this.giveUp(error, `${error.message} Quit and reopen SCIM Porter.`);
  }

  private giveUp(error: ErrorPayload, noticeText: string): void {
    this.failure = error;
    this.failOutbox(error);
    this.settleReady.reject(new Error(error.message));
    this.notice(noticeText);
    this.log('error', 'the engine process is not running', {
      error: error.message,
      raw: error.raw,
    });
  }

  private enqueue(out: Outgoing): void {
    if (this.current?.ready) this.send(this.current, out);
    else this.outbox.push(out);
  }

  private send(gen: Generation, out: Outgoing): void {
    const id = out.message.type === 'invoke' ? out.message.id : undefined;
    if (id !== undefined && out.pending) gen.sent.set(id, out.pending);
    const error = this.post(gen, out.message);
    if (error === undefined) return;
    if (id !== undefined) gen.sent.delete(id);
    out.pending?.resolve(
      fail({
        code: 'internal',
        message: "This request could not be passed to SCIM Porter's engine.",
        raw: error,
      }),
    );
  }

  /** Posts one message; returns why it could not be sent (e.g. not cloneable), if it could not. */
  private post(gen: Generation, message: ToEngine): string | undefined {
    try {
      gen.child.post(message);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** Answers every request not yet sent to an engine process (start failed, gave up, closing). */
  private failOutbox(error: ErrorPayload): void {
    for (const out of this.outbox.splice(0)) out.pending?.resolve(fail(error));
  }

  private notice(message: string): void {
    this.options.emit('app:notice', { level: 'error', message });
  }

  private log(level: 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.options.logger?.log(level, message, fields);
  }
}
