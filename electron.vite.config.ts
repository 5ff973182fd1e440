import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { buildCsp, withCspMeta } from './src/main/platform/csp';

const root = import.meta.dirname;

/**
 * The dev server needs inline scripts/styles (React refresh preamble, injected CSS), which the
 * production CSP in index.html forbids; relax the <meta> only while serving.
 */
function devCspPlugin(): Plugin {
  return {
    name: 'pairdesk:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => withCspMeta(html, buildCsp('dev')),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // package.json "dependencies" stay external (loaded from node_modules at run time);
      // better-sqlite3 (native) and ws (optional native add-ons) must never be bundled.
      externalizeDeps: true,
      rollupOptions: {
        // The worker threads are entries of their own, found next to the running main bundle:
        // out/main/analyticsWorker.js (src/main/analytics/workerEntry.ts) and
        // out/main/importWriterWorker.js (an import's SQLite writes, src/main/store/importWriter.ts).
        input: {
          index: resolve(root, 'src/main/electron/main.ts'),
          analyticsWorker: resolve(root, 'src/main/analytics/analyticsWorker.ts'),
          importWriterWorker: resolve(root, 'src/main/store/importWriterWorker.ts'),
        },
        external: ['better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
        // ESM ("type": "module") → out/main/index.js, the package.json "main".
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot require() anything but `electron`: bundle everything, CJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devCspPlugin()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
