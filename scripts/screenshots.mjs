#!/usr/bin/env node
// `npm run screenshots`: refreshes the README's images on purpose. The end-to-end tests write every
// screenshot to test/e2e/screenshots/ (git-ignored, so `npm test` never changes tracked files);
// this runs them, then copies the images the README and docs/ show into docs/screenshots/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const from = 'test/e2e/screenshots';
const to = 'docs/screenshots';
const docs = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const wanted = new Set();
for (const file of docs) {
  for (const m of readFileSync(file, 'utf8').matchAll(
    /docs\/screenshots\/([\w.-]+\.png)|\(screenshots\/([\w.-]+\.png)\)/g,
  )) {
    wanted.add(m[1] ?? m[2]);
  }
}

const run = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error('The end-to-end tests failed; docs/screenshots/ was left as it was.');
  process.exit(run.status ?? 1);
}
let copied = 0;
for (const name of wanted) {
  const src = join(from, name);
  if (!existsSync(src)) {
    console.error(`No screenshot ${src}: the README names an image no test takes.`);
    process.exit(1);
  }
  copyFileSync(src, join(to, name));
  copied++;
}
console.log(`${copied} images refreshed in ${to}/ (review with git diff, then commit).`);
