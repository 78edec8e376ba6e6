// Bundles the compiled CLI (dist/cli/main.js, from `tsc -p tsconfig.build.json`) and its dependencies into one ES
// module, dist/empreinte.mjs, that `bin/empreinte` runs: one file to load instead of hundreds of modules (issue 11,
// start-up time). Plain JavaScript so that `npm ci` (the `prepare` script) needs nothing but esbuild, installed with
// the dev dependencies (through tsx). Packages loaded through `createRequire` stay runtime requires (node_modules).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: join(root, 'dist', 'empreinte.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // The campaign report's Preact components (src/web/report, compiled by tsc with jsx react-jsx) import
  // `preact/jsx-runtime`; these settings make esbuild compile any JSX it meets the same way.
  jsx: 'automatic',
  jsxImportSource: 'preact',
  // The server's dependencies stay runtime imports: they are loaded only by `serve`/`admin`, and some locate files
  // next to their own module (better-sqlite3's native addon through `bindings`, pino's transports), which a bundle
  // would break.
  external: [
    'better-sqlite3',
    'pg',
    'pg-boss',
    'kysely',
    'fastify',
    '@fastify/*',
    'fastify-type-provider-zod',
    'pino',
    'pino-*',
  ],
  // CommonJS dependencies bundled into an ES module call `require` for Node built-ins.
  banner: {
    js: "import { createRequire as __empreinteRequire } from 'node:module'; const require = __empreinteRequire(import.meta.url);",
  },
});
