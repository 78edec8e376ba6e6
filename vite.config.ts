/**
 * The dashboard's build (src/web → dist/web): Preact through the automatic JSX runtime, no inline scripts (the
 * server's CSP allows only its own scripts and styles), no module-preload polyfill (it is an inline script), source
 * maps off. `npm run web:dev` serves it with /api proxied to a running `empreinte serve` (EMPREINTE_API, default
 * http://127.0.0.1:8080).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env['EMPREINTE_API'] ?? 'http://127.0.0.1:8080' },
  },
});
