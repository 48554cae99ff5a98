/**
 * Issue 17 item 6 through the router, as the page would ask: a plan whose mapping has a
 * pathological regexReplace, over a CSV with a long cell, is refused before any job starts, so no
 * cell is ever matched and planning cannot stall. (The pattern's cost is in regex-safety.test.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';

let dir: string;
let engine: Engine;
let router: Router;
const started: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-regex-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: createMemorySecretStore(),
    emit: (event) => started.push(event),
    sandbox: { enabled: true, seed: 0 },
  });
  router = createRouter(engine, { validateResponses: true });
  await writeFile(join(dir, 'hr.csv'), `userName,title\nada@porter.example,${'a'.repeat(999)}!\n`);
}, 30_000);
afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a pathological regexReplace cannot stall planning', () => {
  it.each(['^(a|a)*$', '^(\\w|\\d)+!$', '^\\s*\\s*\\s*\\s*$', '^(a+)+$'])(
    '%s is refused at plan:start, before a job runs',
    async (pattern) => {
      const mapping = {
        version: 1,
        resourceType: 'User',
        attributes: [
          { target: 'userName', source: { column: 'userName' } },
          {
            target: 'title',
            source: { column: 'title' },
            transforms: [{ op: 'regexReplace', pattern, replacement: 'x' }],
          },
        ],
      };
      const result = await router.dispatch('plan:start', {
        connectionId: 'local-sandbox',
        csvPath: join(dir, 'hr.csv'),
        mapping,
      });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('config');
        expect(JSON.stringify(result.error)).toMatch(/exponential time|can take minutes/);
      }
      expect(started.filter((e) => e.startsWith('job:'))).toEqual([]);
    },
  );
});
