/**
 * One pack hash wherever it is printed (`referential list`, `referential show`, the assess table, the JSON result), and
 * every command's output for people ends with a newline (stdout and stderr), success or error, English or French.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const run = (args: string[]) => runCli(args);

const INV = 'examples/inventory';
const DATE = ['--date', '2025-06-30'];

describe('the pack hash', () => {
  it('is the same in referential list, referential show, the assess table and the JSON result', async () => {
    const list = await run(['referential', 'list']);
    expect(list.code).toBe(0);
    const row = list.out.split('\n').find((l) => l.startsWith('empreinte-default\t'));
    const listed = row?.split('\t')[3];
    expect(listed).toMatch(/^[0-9a-f]{12}$/);

    const show = await run(['referential', 'show', 'empreinte-default']);
    expect(show.out).toMatch(new RegExp(`^pack hash: ${listed}[0-9a-f]{52} `, 'm'));

    const table = await run(['assess', INV, ...DATE, '--format', 'table']);
    expect(table.out).toContain(`(pack hash ${listed}, merged hash `);

    const json = await run(['assess', INV, ...DATE, '--summary', '--format', 'json']);
    const doc = JSON.parse(json.out) as { meta: { referential: { hash: string; layers: { packHash?: string }[] } } };
    const packs = doc.meta.referential.layers.flatMap((l) => (l.packHash ? [l.packHash] : []));
    expect(packs.map((h) => h.slice(0, 12))).toEqual([listed]);
    // The merged hash is another hash (it also covers the profile and the electricity dataset), named apart.
    expect(table.out).toContain(`merged hash ${doc.meta.referential.hash.slice(0, 12)})`);
  });
});

describe('every command ends its output with a newline', () => {
  const tmp = mkdtemp(join(tmpdir(), 'empreinte-nl-'));
  const cases: [string, () => Promise<string[]>][] = [
    ['--version', async () => ['--version']],
    ['--help', async () => ['--help']],
    ['assess --help', async () => ['assess', '--help']],
    ['assess table', async () => ['assess', INV, ...DATE, '--format', 'table']],
    ['assess table fr', async () => ['--lang', 'fr', 'assess', INV, ...DATE, '--format', 'table']],
    ['assess summary json', async () => ['assess', INV, ...DATE, '--summary', '--format', 'json']],
    [
      'assess csv (quiet on success)',
      async () => ['assess', INV, ...DATE, '--format', 'csv', '--out', join(await tmp, 'a.csv')],
    ],
    ['assess csv to stdout', async () => ['assess', INV, ...DATE, '--format', 'csv']],
    ['validate', async () => ['validate', INV]],
    ['validate json', async () => ['validate', INV, '--format', 'json']],
    ['explain', async () => ['explain', INV, ...DATE, '--item', 'PC-PORT-ADM']],
    ['referential list', async () => ['referential', 'list']],
    ['referential show', async () => ['referential', 'show', 'empreinte-default']],
    ['mapping presets', async () => ['mapping', 'presets']],
    ['scenario', async () => ['scenario', INV, ...DATE, '--scenario', 'examples/scenarios/laptops-longer.yaml']],
    ['compare', async () => ['compare', INV, '--with', 'examples/demo-2025', ...DATE]],
    ['error: missing input', async () => ['assess', 'no/such/folder', ...DATE]],
    ['error: bad option', async () => ['assess', INV, '--date', '2025-13-45']],
    ['error: unknown command', async () => ['frobnicate']],
    ['error fr', async () => ['--lang', 'fr', 'assess', 'no/such/folder', ...DATE]],
  ];
  it.each(cases)('%s', async (_name, args) => {
    const r = await run(await args());
    if (r.out !== '') expect(r.out.endsWith('\n'), `stdout: …${JSON.stringify(r.out.slice(-80))}`).toBe(true);
    if (r.err !== '') expect(r.err.endsWith('\n'), `stderr: …${JSON.stringify(r.err.slice(-80))}`).toBe(true);
  });
});
