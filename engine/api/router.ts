import type { z } from 'zod';
import { AppError, toErrorPayload } from '../../shared/errors/errors';
import { isChannel } from '../../shared/ipc/channels';
import { contract } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/util/result';
import type { Logger } from '../ports';
import { appInfo } from './handlers/app';
import {
  listConnections,
  removeConnection,
  saveConnection,
  testConnection,
} from './handlers/connections';
import { runCanary } from './handlers/canary';
import { cleanup, cleanupPreview } from './handlers/data';
import { openDialog, saveDialog, showInFolder } from './handlers/files';
import {
  inspectCsv,
  listPresets,
  listTargets,
  loadMapping,
  previewMapping,
  saveMapping,
} from './handlers/import';
import { controlJob, listJobs, startExport } from './handlers/jobs';
import { openPlanFile, planInfo, planRow, planWindow, startPlan } from './handlers/plan';
import {
  listRunViews,
  resumeRun,
  saveFailedRows,
  runLog,
  saveReport,
  startApply,
  undoRun,
} from './handlers/runs';
import type { ApiEngine, HandlerTable } from './types';

const HANDLERS: HandlerTable = {
  'app:info': appInfo,
  'connections:list': listConnections,
  'connections:save': saveConnection,
  'connections:remove': removeConnection,
  'connections:test': testConnection,
  'dialog:open': openDialog,
  'dialog:save': saveDialog,
  'shell:show-in-folder': showInFolder,
  'import:inspect': inspectCsv,
  'mapping:presets': listPresets,
  'mapping:targets': listTargets,
  'mapping:preview': previewMapping,
  'mapping:load': loadMapping,
  'mapping:save': saveMapping,
  'plan:start': startPlan,
  'plan:open': openPlanFile,
  'plan:info': planInfo,
  'plan:window': planWindow,
  'plan:row': planRow,
  'apply:start': startApply,
  'export:start': startExport,
  'jobs:list': listJobs,
  'jobs:control': controlJob,
  'runs:list': listRunViews,
  'runs:resume': resumeRun,
  'runs:undo': undoRun,
  'runs:save-report': saveReport,
  'runs:save-failed': saveFailedRows,
  'runs:log': runLog,
  'runs:canary': runCanary,
  'data:cleanup-preview': cleanupPreview,
  'data:cleanup': cleanup,
};

/** The channels the router answers, in table order (a surface test compares it with channels.ts). */
export const ROUTED_CHANNELS: readonly string[] = Object.keys(HANDLERS);

type RouterOptions = {
  /** Reported by `app:info`; defaults to `process.platform`. */
  platform?: string;
  /** Also parse every response against the contract (tests and the e2e harness turn this on). */
  validateResponses?: boolean;
  logger?: Logger;
};

export type Router = {
  /** Validates `request` for `channel`, runs its handler, and never throws: failures are Results. */
  dispatch(channel: string, request: unknown): Promise<Result<unknown>>;
};

/** Zod issues as dotted field paths, e.g. `settings.auth.username` (values never included). */
function issuePaths(issues: readonly z.core.$ZodIssue[]): string[] {
  const paths = issues.map((i) => (i.path.length ? i.path.map(String).join('.') : '(request)'));
  return [...new Set(paths)];
}

function invalidRequest(channel: string, error: z.ZodError): AppError {
  const fields = issuePaths(error.issues);
  return new AppError(
    'invalid_request',
    `The request to ${channel} is not valid: check ${fields.join(', ')}.`,
    {
      fields,
      // Messages describe the expectation ("expected string"), never the rejected value.
      raw: error.issues
        .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(request)'}: ${i.message}`)
        .join('\n'),
    },
  );
}

/**
 * The engine's single IPC entry point, shared by Electron main and the e2e harness so tests
 * exercise the exact validation and error mapping that ships.
 */
export function createRouter(engine: ApiEngine, options: RouterOptions = {}): Router {
  const context = { engine, platform: options.platform ?? process.platform };

  async function run(channel: string, request: unknown): Promise<unknown> {
    if (!isChannel(channel)) {
      throw new AppError('invalid_request', `"${channel}" is not a SCIM Porter channel.`);
    }
    const spec = contract[channel] as { request: z.ZodType; response: z.ZodType };
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) throw invalidRequest(channel, parsed.error);
    // The table is typed per channel; indexing it with the union loses the pairing, which the
    // request schema above has just re-established at run time.
    const handler = HANDLERS[channel] as (r: unknown, c: typeof context) => Promise<unknown>;
    const response = await handler(parsed.data, context);
    if (options.validateResponses) {
      const checked = spec.response.safeParse(response);
      if (!checked.success) {
        throw new AppError('internal', `The engine's answer to ${channel} broke the contract.`, {
          raw: issuePaths(checked.error.issues).join(', '),
        });
      }
    }
    return response;
  }

  return {
    async dispatch(channel, request) {
      try {
        return ok(await run(channel, request));
      } catch (e) {
        const payload = toErrorPayload(e);
        if (payload.code === 'internal') {
          options.logger?.log('error', `IPC ${channel} failed`, {
            error: e instanceof Error ? (e.stack ?? e.message) : String(e),
          });
        }
        return fail(payload);
      }
    },
  };
}
