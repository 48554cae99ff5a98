import type { ConnectionProfile } from '../../shared/connections/profile';
import type { JobKind, JobOutcome } from '../../shared/ipc/schemas/jobs';
import type { OpenConnection } from '../connections/open-connection';
import type { JobContext } from '../workspace/job-registry';
import type { ApiEngine } from './types';

type JobSpec = {
  kind: JobKind;
  /** The connection the job works on; its name completes the label. */
  connectionId: string;
  /** The job's label, given the connection's name (shown in the UI and notifications). */
  label: (connectionName: string) => string;
  /** What the job works on (a plan file, a run id), so the Runs screen finds it again. */
  subject?: string;
};

/**
 * Wraps a use case as a background job: finds the connection (a wrong id fails the request at
 * once), starts the job, opens the connection inside it (its pacing joins every progress event),
 * hands the use case the job's cancel signal, pause control and progress reporter, and closes the connection however it ends. Every
 * IPC handler that starts work goes through here, so none repeats the scaffolding.
 */
export async function asJob(
  engine: ApiEngine,
  spec: JobSpec,
  work: (conn: OpenConnection, ctx: JobContext, profile: ConnectionProfile) => Promise<JobOutcome>,
): Promise<string> {
  const profile = await engine.connections.find(spec.connectionId);
  return engine.jobs.start(
    spec.kind,
    spec.label(profile.name),
    async (ctx) => {
      const conn = await engine.connections.open(profile.id);
      // Every progress event carries how the connection is paced, and repeats while it waits.
      ctx.pacing(() => conn.http.pacing());
      try {
        return await work(conn, ctx, profile);
      } finally {
        await conn.close();
      }
    },
    spec.subject,
  );
}
