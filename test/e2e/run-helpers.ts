/** Helpers of the run screen and run log e2e specs (issue 19): seed, plan, open, read the server. */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { NodeHost } from '../harness/node-host';
import { planCsv } from '../harness/plan-fixtures';
import { expect } from './fixtures';

type ScimUser = { id: string; userName: string; title?: string; active?: boolean };

export function sandboxOf(host: NodeHost): { url: string; token: string } {
  const s = host.engine.sandbox();
  if (!s) throw new Error('the sandbox is not running');
  return s;
}

export async function findUser(host: NodeHost, userName: string): Promise<ScimUser | undefined> {
  const { url, token } = sandboxOf(host);
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${url}/Users?filter=${filter}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { Resources?: ScimUser[] };
  return body.Resources?.[0];
}

/** Plans `csv` against the sandbox (or `connectionId`) through the engine's own API. */
export async function planOnSandbox(
  host: NodeHost,
  csv: string,
  connectionId?: string,
): Promise<string> {
  const profiles = await host.engine.connections.list();
  const conn = await host.engine.connections.open(connectionId ?? profiles[0]?.id ?? '');
  try {
    const dir = join(host.dataDir, 'e2e-plans');
    await mkdir(dir, { recursive: true });
    return await planCsv(conn, dir, csv, {});
  } finally {
    await conn.close();
  }
}

/** Applies a plan outside the UI (to seed the server); returns the run id. */
export async function applyOutsideUi(host: NodeHost, file: string): Promise<string> {
  const info = await host.engine.plans.register(file);
  const profiles = await host.engine.connections.list();
  const { applyPlan } = await import('../../engine/apply/apply-run');
  const conn = await host.engine.connections.open(profiles[0]?.id ?? '');
  try {
    const r = await applyPlan({
      conn,
      dataDir: host.dataDir,
      planFile: info.file,
      target: { connection: 'Local sandbox', baseUrl: conn.discovery.baseUrl },
    });
    return r.run.id;
  } finally {
    await conn.close();
  }
}

export async function openPlanInUi(app: Page, host: NodeHost, file: string): Promise<void> {
  await nav(app, 'Import');
  host.desktop.willOpen(file);
  await app.getByRole('button', { name: 'Open a saved plan…' }).click();
  await expect(app.getByRole('heading', { name: 'Plan preview' })).toBeVisible();
}

export async function nav(app: Page, name: string): Promise<void> {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

/** report.csv lines per status (the report's own count of what happened). */
export async function reportStatuses(file: string): Promise<Record<string, number>> {
  const lines = (await readFile(file, 'utf8')).trim().split(/\r?\n/).slice(1);
  const out: Record<string, number> = {};
  for (const line of lines) {
    const status = line.split(',')[3] ?? '';
    out[status] = (out[status] ?? 0) + 1;
  }
  return out;
}
