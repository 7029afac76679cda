// Builds the console into ../dist/console (shipped in the npm package, served at /console/ by
// `elanus serve`). `npm run build:console` runs it; `npm run build` includes it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite console` against a running `elanus serve` on the default ports.
    proxy: { '/v2': 'http://127.0.0.1:19121', '/console/config.json': 'http://127.0.0.1:19121' },
  },
});
