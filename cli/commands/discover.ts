import { parseArgs } from 'node:util';
import type { Engine } from '../../engine/create-engine';
import { CONNECTION_OPTIONS, connectFromFlags } from '../connect';
import { EXIT } from '../exit-codes';
import { formatDiscovery } from '../format-discovery';
import type { CliIo } from '../io';

export const DISCOVER_HELP = `Usage: scim-porter discover (--connection NAME | --url URL) [--json]

Reads /ServiceProviderConfig, /ResourceTypes and /Schemas, probes what the server really does
(paging kinds, filters, ETags) and prints what SCIM Porter will use.`;

export async function runDiscover(engine: Engine, argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...CONNECTION_OPTIONS, json: { type: 'boolean' } },
    strict: true,
  });
  const conn = await connectFromFlags(engine, values, io);
  try {
    if (values.json) io.out(JSON.stringify(conn.discovery, null, 2));
    else for (const line of formatDiscovery(conn.discovery)) io.out(line);
    return EXIT.ok;
  } finally {
    await conn.close();
  }
}
