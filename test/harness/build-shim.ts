import { resolve } from 'node:path';
import { build } from 'vite';

/**
 * Bundles browser-shim.ts (and the real shared/ipc/bridge.ts it imports) into one IIFE string
 * for `page.addInitScript({ content })`. Built in memory at test start, so it never goes stale.
 */
export async function buildBrowserShim(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: {
        entry: resolve(import.meta.dirname, 'browser-shim.ts'),
        formats: ['iife'],
        name: 'scimPorterShim',
      },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if ('output' in result) {
      const chunk = result.output.find((o) => o.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error('Building the browser shim produced no code.');
}
