import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const r = (p: string): string => resolve(import.meta.dirname, p);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The CLI is a second entry of the main build: same engine, plain Node, no Electron import.
        input: { index: r('electron/main/index.ts'), cli: r('electron/cli/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: r('electron/preload/index.ts') },
        // Sandboxed preloads must be one CommonJS file even though package.json says "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: r('renderer/index.html') } },
    },
    plugins: [react()],
  },
});
