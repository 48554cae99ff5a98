import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The product and its docs cite only documents inside the repository: the facts a comment relies
 * on live in docs/ (docs/server-behaviour.md, docs/scim-client-rules.md). Documents kept beside
 * the repository are not shipped with it, so a reference to them is a dead link for everyone else.
 */
const ROOT = join(__dirname, '..', '..', '..');
const FOLDERS = [
  'electron',
  'engine',
  'cli',
  'sandbox',
  'shared',
  'renderer',
  'bench',
  'test',
  'scripts',
  'docs',
];
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'output', 'screenshots', '.git']);
const TEXT = /\.(?:[cm]?[jt]sx?|md|json|css|html|ya?ml|txt)$/;

// Built from parts so that this file does not match itself.
const NEEDLES = [
  ['vendor-', 'quirks'],
  ['scim-client-', 'checklist'],
  ['examples-to-', 'follow'],
  ['toolchain', '.md'],
  ['../shared', '/docs'],
  ['/work', '/shared'],
  ['team', ' kit'],
].map((parts) => parts.join(''));

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...textFiles(path));
    } else if (TEXT.test(name)) {
      out.push(path);
    }
  }
  return out;
}

function filesToCheck(): string[] {
  const rootDocs = readdirSync(ROOT)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, name));
  return [...rootDocs, ...FOLDERS.flatMap((folder) => textFiles(join(ROOT, folder)))];
}

function hits(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    const lower = line.toLowerCase();
    for (const needle of NEEDLES) {
      if (lower.includes(needle)) found.push(`${relative(ROOT, path)}:${i + 1}: ${needle}`);
    }
  });
  return found;
}

describe('references to documents outside the repository', () => {
  it('scans the product, its tests and its docs', () => {
    const files = filesToCheck().map((f) => relative(ROOT, f));
    expect(files).toContain('README.md');
    expect(files).toContain('CONTRIBUTING.md');
    expect(files).toContain(join('engine', 'scim', 'quirks', 'index.ts'));
    expect(files).toContain(join('test', 'unit', 'repo', 'no-kit-references.test.ts'));
  });

  it('finds none', () => {
    expect(filesToCheck().flatMap(hits)).toEqual([]);
  });
});
