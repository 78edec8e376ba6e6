/**
 * Issue 11, start-up time: the CLI bundle is split at its dynamic imports, so that the commands other than `serve` and
 * `admin` load none of the server's dependencies (kysely, pg, fastify…) when they start. Bundles the sources with the
 * options of scripts/bundle.mjs and follows the static imports from the entry: no server package among them, while
 * the dynamic imports still reach them. Each command's module is imported on demand (src/cli/main.ts): `assess` loads
 * neither the digital-service model (publicodes, the ADEME rules) nor the report's components,
 * nor the modules of the other commands.
 */
import { build, type Metafile } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript build script without type declarations
import { bundleOptions, SERVER_PACKAGES } from '../../scripts/bundle.mjs';

const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'empreinte-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const isServerPackage = (path: string): boolean =>
  (SERVER_PACKAGES as string[]).some((p) =>
    p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p || path.startsWith(`${p}/`),
  );

/** Inputs (source files, packages) of the outputs reached from `file` through static imports (through chunks). */
function inputsFrom(meta: Metafile, file: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    const o = meta.outputs[f];
    for (const i of Object.keys(o?.inputs ?? {})) found.add(i);
    for (const imp of o?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) found.add(imp.path);
      else walk(imp.path);
    }
  };
  walk(file);
  return found;
}

/** External packages reached from `file` through the given kinds of import edges (transitively through chunks). */
function externalsFrom(meta: Metafile, file: string, follow: (kind: string) => boolean): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const imp of meta.outputs[f]?.imports ?? []) {
      if (!follow(imp.kind)) continue;
      if (imp.external) found.add(imp.path);
      else walk(imp.path);
    }
  };
  walk(file);
  return found;
}

describe('CLI bundle (issue 11)', () => {
  it('loads no server dependency at start-up; serve/admin reach them through dynamic imports', async () => {
    const result = await build({
      ...bundleOptions(join(root, 'src', 'cli', 'main.ts'), out),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const meta = result.metafile;
    if (meta === undefined) throw new Error('esbuild gave no metafile');
    const entry = Object.keys(meta.outputs).find((f) => f.endsWith('empreinte.mjs'))!;
    expect(entry).toBeDefined();
    const atStart = [...externalsFrom(meta, entry, (k) => k === 'import-statement')];
    expect(atStart.filter(isServerPackage)).toEqual([]);
    const all = [...externalsFrom(meta, entry, () => true)];
    expect(all.filter(isServerPackage)).toEqual(expect.arrayContaining(['kysely', 'fastify']));

    // `assess`: the entry, then the chunk of src/cli/assess.ts (imported when the command line names it).
    const assessChunk = Object.keys(meta.outputs).find((f) => meta.outputs[f]!.entryPoint === 'src/cli/assess.ts');
    if (assessChunk === undefined) throw new Error('no chunk for src/cli/assess.ts: not imported on demand');
    const assessInputs = [...inputsFrom(meta, entry), ...inputsFrom(meta, assessChunk)];
    expect(assessInputs).toContain('src/engine/assess.ts');
    expect(assessInputs).toContain('src/referential/pack.ts');
    const unwanted = (i: string) =>
      i.includes('node_modules/publicodes/') ||
      i === 'publicodes' ||
      i.startsWith('src/services/') ||
      i.startsWith('src/web/') ||
      i.startsWith('src/cli/service') ||
      i === 'src/cli/scenario.ts' ||
      i === 'src/cli/campaign-report.ts';
    expect(assessInputs.filter(unwanted)).toEqual([]);
    // The service command still reaches the ADEME model, through its own chunk.
    const serviceChunk = Object.keys(meta.outputs).find((f) => meta.outputs[f]!.entryPoint === 'src/cli/service.ts');
    if (serviceChunk === undefined) throw new Error('no chunk for src/cli/service.ts');
    expect([...inputsFrom(meta, serviceChunk)]).toContain('src/services/ademe-model.ts');
  }, 60_000);
});
