import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ENVIRONMENT_COLOURS,
  ENVIRONMENT_LABELS,
  type Environment,
} from '../../shared/connections/environment';
import type { AuthSettings, ConnectionSettingsInput } from '../../shared/connections/profile';
import type { Engine } from '../../engine/create-engine';
import { connectFromFlags, envSecretFor } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import { formatDiscovery } from '../format-discovery';
import { formatTable, type CliIo } from '../io';
import { terminalValue } from '../terminal-text';

export const CONNECTIONS_HELP = `Usage:
  scim-porter connections list [--json]
  scim-porter connections add NAME --url URL [--auth bearer|basic|oauth2|header|none]
        [--username U] [--token-url URL --client-id ID [--scope S]] [--header-name H]
        [--ca FILE]... [--proxy URL] [--timeout MS] [--concurrency N] [--max-rps R] [--no-bulk]
        [--environment production|staging|sandbox|other]
  scim-porter connections test NAME [--json]
  scim-porter connections remove NAME

Profiles are saved in the data folder (shared with the app). Secrets are never saved by the CLI:
it reads them from SCIM_TOKEN (bearer), SCIM_PASSWORD (basic), SCIM_CLIENT_SECRET (OAuth) or
SCIM_HEADER_VALUE (custom header) when the connection is used.

--environment labels the connection as the app does (its colour is the label's default). Writing
to a production connection ("apply", "runs resume") needs --confirm-production NAME.`;

/** `--environment LABEL` as the profile's environment, with the label's default colour. */
function environmentFlag(label: string | undefined): { environment?: Environment } {
  if (label === undefined) return {};
  const known = ENVIRONMENT_LABELS.find((l) => l === label);
  if (!known) {
    throw new UsageError(`--environment must be one of ${ENVIRONMENT_LABELS.join(', ')}.`);
  }
  return { environment: { label: known, colour: DEFAULT_ENVIRONMENT_COLOURS[known] } };
}

const AUTH_KINDS = ['bearer', 'basic', 'oauth2', 'header', 'none'] as const;

function authSettings(v: Record<string, string | boolean | string[] | undefined>): AuthSettings {
  const kind = (v['auth'] as string | undefined) ?? 'bearer';
  switch (kind) {
    case 'bearer':
    case 'none':
      return { kind };
    case 'basic':
      if (typeof v['username'] !== 'string') throw new UsageError('--auth basic needs --username.');
      return { kind, username: v['username'] };
    case 'oauth2':
      if (typeof v['token-url'] !== 'string' || typeof v['client-id'] !== 'string') {
        throw new UsageError('--auth oauth2 needs --token-url and --client-id.');
      }
      return {
        kind,
        tokenUrl: v['token-url'],
        clientId: v['client-id'],
        ...(typeof v['scope'] === 'string' ? { scope: v['scope'] } : {}),
      };
    case 'header':
      if (typeof v['header-name'] !== 'string')
        throw new UsageError('--auth header needs --header-name.');
      return { kind, name: v['header-name'] };
    default:
      throw new UsageError(`--auth must be one of ${AUTH_KINDS.join(', ')}.`);
  }
}

export async function runConnections(engine: Engine, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      url: { type: 'string' },
      auth: { type: 'string' },
      username: { type: 'string' },
      'token-url': { type: 'string' },
      'client-id': { type: 'string' },
      scope: { type: 'string' },
      'header-name': { type: 'string' },
      ca: { type: 'string', multiple: true },
      proxy: { type: 'string' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      'max-rps': { type: 'string' },
      'no-bulk': { type: 'boolean' },
      environment: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, name, ...rest] = positionals;
  if (rest.length) throw new UsageError(CONNECTIONS_HELP);
  switch (action ?? '') {
    case 'list': {
      const all = await engine.connections.list();
      if (values.json) {
        io.out(JSON.stringify(all, null, 2));
        return EXIT.ok;
      }
      if (!all.length) {
        io.err('No saved connections. Add one with: scim-porter connections add NAME --url URL');
        return EXIT.ok;
      }
      // Names and URLs come from the profile file: one line each, whatever they hold.
      const rows = all.map((c) => [
        terminalValue(c.name),
        c.kind === 'sandbox' ? '(app sandbox)' : terminalValue(c.baseUrl),
        c.auth.kind,
        envSecretFor(c, io.env) ? 'set in environment' : c.auth.kind === 'none' ? '-' : 'not set',
      ]);
      for (const line of formatTable([['NAME', 'URL', 'AUTH', 'SECRET'], ...rows])) io.out(line);
      return EXIT.ok;
    }
    case 'add': {
      if (!name || !values.url) throw new UsageError('connections add needs a NAME and --url URL.');
      const settings: ConnectionSettingsInput = {
        name,
        baseUrl: values.url,
        auth: authSettings(values),
        tls: {
          verify: true,
          ...(values.ca?.length
            ? { caCertsPem: values.ca.map((f) => readFileSync(resolve(io.cwd, f), 'utf8')) }
            : {}),
        },
        ...(values.proxy ? { proxyUrl: values.proxy } : {}),
        ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
        ...(values.concurrency ? { maxConcurrency: Number(values.concurrency) } : {}),
        ...(values['max-rps'] ? { maxRequestsPerSecond: Number(values['max-rps']) } : {}),
        bulk: values['no-bulk'] ? 'never' : 'auto',
        ...environmentFlag(values.environment),
      };
      const saved = await engine.connections.save({ settings });
      if (values.json) io.out(JSON.stringify(saved, null, 2));
      else
        io.out(
          `Saved connection "${terminalValue(saved.name)}" (${terminalValue(saved.baseUrl)}).`,
        );
      return EXIT.ok;
    }
    case 'test': {
      if (!name) throw new UsageError('connections test needs the NAME of a saved connection.');
      const conn = await connectFromFlags(engine, { connection: name }, io);
      try {
        if (values.json) io.out(JSON.stringify(conn.discovery, null, 2));
        else for (const line of formatDiscovery(conn.discovery)) io.out(line);
      } finally {
        await conn.close();
      }
      return EXIT.ok;
    }
    case 'remove': {
      if (!name) throw new UsageError('connections remove needs the NAME of a saved connection.');
      const profile = await engine.connections.find(name);
      await engine.connections.remove(profile.id);
      io.out(`Removed connection "${terminalValue(profile.name)}".`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(CONNECTIONS_HELP);
  }
}
