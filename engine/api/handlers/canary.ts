import { canaryEvidence } from '../../use-cases/canary';
import type { Handler } from '../types';

/**
 * `runs:canary`: the accounts a (canary) run changed, each read back from the connection's server
 * with one GET (at most 50). A short request, not a job: the connection is opened and closed here.
 */
export const runCanary: Handler<'runs:canary'> = async ({ runId, connectionId }, { engine }) => {
  const profile = await engine.connections.find(connectionId);
  const conn = await engine.connections.open(profile.id);
  try {
    return await canaryEvidence({ conn, dataDir: engine.dataDir, runId });
  } finally {
    await conn.close();
  }
};
