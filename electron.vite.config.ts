import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * Three builds: the main process as one file with its dependencies bundled (out/main), the preload as one CommonJS file (sandboxed
 * preloads cannot load ES modules or other files) in out/preload, and the renderer
 * (out/renderer).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Every dependency (electron-store, conf, ky, zod, fast-xml-parser …) is bundled into
      // main.js: loading ESM packages from inside app.asar has broken in several Electron
      // releases. Only 'electron' and Node built-ins stay imports (electron/main-bundle.test.ts).
      externalizeDeps: false,
      rollupOptions: { input: { main: resolve(import.meta.dirname, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload may require only 'electron': every dependency (zod, via the shared
      // contract) is bundled into the one file instead of being left as a require().
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(import.meta.dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
