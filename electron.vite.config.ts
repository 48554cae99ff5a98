import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const r = (p: string): string => resolve(import.meta.dirname, p);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // Three entries of one build: main (the only one importing Electron), the engine process
        // main forks as a utilityProcess (engine.js), and the CLI (same engine, plain Node).
        input: {
          index: r('electron/main/index.ts'),
          engine: r('engine/host/engine-entry.ts'),
          cli: r('cli/main.ts'),
        },
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
