/**
 * Trusted referentials (issue 9 point 3, methodology §3.5): `referential import` and `assess --referential` validate
 * the same way; non-finite values, negative factors and lifetimes outside (0, 50] refuse the row with a code naming
 * file:line:column; a pack whose manifest is missing, broken or not matching is refused (REF_PACK_INVALID); a source
 * with no usable row, or an unknown id, is a one-line fatal error (exit 2) — never a silent fall back to the defaults.
 *
 * Hand computation of the reference case: one line of 2 `Gizmo`, type lifespan 5 years, item `gizmo-item` with
 * MANUFACTURING 100 kg CO2 eq and 10 kWh/yr, in France (ADEME mix 0.0519 kg/kWh of the embedded pack):
 * MANUFACTURING = 2 × 100 / 5 = 40; USE = 2 × 10 × 0.0519 = 1.038; total 41.038.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, serialisePack, sha256, writePack, type PackManifest } from '../../src/referential/pack.js';
import { emptyLayer } from '../../src/referential/model.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-refcheck-'));
const home = join(tmp, 'home');
const savedHome = process.env.EMPREINTE_HOME;
beforeAll(() => {
  process.env.EMPREINTE_HOME = home;
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.EMPREINTE_HOME;
  else process.env.EMPREINTE_HOME = savedHome;
});
afterEach(() => {
  process.exitCode = undefined;
});

const run = (args: string[]) => runCli(args);

let seq = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const d = join(tmp, `f${seq++}`);
  await mkdir(d, { recursive: true });
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  return d;
}

const TYPES = (life: string) => `type;serveur;dureeVieDefaut;refItemParDefaut\nGizmo;false;${life};gizmo-item\n`;
const FACTORS = (value: string, kwh = '10') =>
  `nom;etapeacv;critere;consoElecMoyenne;valeur;unite;source\ngizmo-item;FABRICATION;Changement climatique;${kwh};${value};Item;test\n`;
const INVENTORY = await folder({
  'pe.csv': 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\nG1;X;2;Gizmo;France\n',
});

interface Totals {
  byCriterion: { criterion: string; value: number; byStep: Record<string, number>; errors: number }[];
}
async function assess(referential: string) {
  const outFile = join(tmp, `out${seq++}.json`);
  const r = await run([
    'assess',
    INVENTORY,
    '--referential',
    referential,
    '--date',
    '2025-06-30',
    '--criteria',
    'CLIMATE_CHANGE',
    '--steps',
    'MANUFACTURING,USE',
    '--format',
    'json',
    '--out',
    outFile,
  ]);
  const json =
    r.code === 0
      ? (JSON.parse(await readFile(outFile, 'utf8')) as {
          meta: { referential: { layers: { name: string; refused?: unknown[] }[] } };
          totals: Totals;
        })
      : undefined;
  return { ...r, cc: json?.totals.byCriterion[0], layers: json?.meta.referential.layers };
}

/** stderr of a fatal error: exactly one line `empreinte: <file…>: CODE message`. */
const oneLine = (err: string) => {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^empreinte: (\S.*: )?[A-Z][A-Z_]+ /);
  return lines[0]!;
};

describe('reference case (sound CSV folder)', () => {
  it('assess --referential gives 40 + 1.038 = 41.038; import stores it and the id gives the same', async () => {
    const ref = await folder({ 'types.csv': TYPES('5'), 'facteurs.csv': FACTORS('100') });
    const a = await assess(ref);
    expect(a.code).toBe(0);
    expect(a.cc!.byStep).toEqual({ MANUFACTURING: 40, USE: expect.closeTo(1.038, 12) as number });
    expect(a.cc!.value).toBeCloseTo(41.038, 12);
    const imp = await run(['referential', 'import', ref, '--id', 'gizmo']);
    expect(imp.code).toBe(0);
    const b = await assess('gizmo');
    expect(b.cc!.value).toBeCloseTo(41.038, 12);
  });
});

describe('row rules: refused with a code naming file:line:column', () => {
  it('a factor of 1e309: REF_NOT_FINITE; import stores nothing (exit 2); assess runs without it, total finite', async () => {
    const ref = await folder({ 'types.csv': TYPES('5'), 'facteurs.csv': FACTORS('1e309') });
    const imp = await run(['referential', 'import', ref, '--id', 'inf']);
    expect(imp.code).toBe(2);
    expect(imp.err).toMatch(
      /facteurs\.csv:2:valeur: REF_NOT_FINITE Row 2: field 'valeur' is not a finite number \(got '1e309'\)/,
    );
    expect(imp.err).not.toMatch(/ZodError|\n\s+at /);
    const a = await assess(ref);
    expect(a.code).toBe(0);
    expect(a.err).toMatch(/facteurs\.csv:2:valeur: REF_NOT_FINITE/);
    // The result lists the refused row (§3.5) on the user layer.
    expect(a.layers!.at(-1)!.refused).toEqual([
      { code: 'REF_NOT_FINITE', file: 'facteurs.csv', line: 2, column: 'valeur' },
    ]);
    expect(a.layers![0]!.refused).toBeUndefined();
    // The refused row was gizmo-item's only row (its factor and its 10 kWh): both indicators are errors, total 0.
    expect(a.cc!.value).toBe(0);
    expect(a.cc!.errors).toBe(2);
  });
  it('a negative factor (−170): REF_NEGATIVE_VALUE, never a negative total', async () => {
    const ref = await folder({ 'types.csv': TYPES('5'), 'facteurs.csv': FACTORS('-170') });
    const imp = await run(['referential', 'import', ref, '--id', 'neg']);
    expect(imp.code).toBe(2);
    expect(imp.err).toMatch(
      /facteurs\.csv:2:valeur: REF_NEGATIVE_VALUE Row 2: negative factor -170 for CLIMATE_CHANGE/,
    );
    const a = await assess(ref);
    expect(a.code).toBe(0);
    expect(a.err).toMatch(/facteurs\.csv:2:valeur: REF_NEGATIVE_VALUE/);
    expect(a.cc!.value).toBe(0);
  });
  it('a negative average consumption is refused too (it would be a negative USE)', async () => {
    const ref = await folder({ 'types.csv': TYPES('5'), 'facteurs.csv': FACTORS('100', '-10') });
    const a = await assess(ref);
    expect(a.err).toMatch(/facteurs\.csv:2:consoElecMoyenne: REF_NEGATIVE_VALUE/);
    expect(a.cc!.value).toBe(0);
  });
  for (const life of ['0', '-5', '51']) {
    it(`a type lifetime of ${life}: REF_LIFETIME_RANGE; import exits 2 without a stack; assess refuses the type`, async () => {
      const ref = await folder({ 'types.csv': TYPES(life), 'facteurs.csv': FACTORS('100') });
      const imp = await run(['referential', 'import', ref, '--id', `life${life}`]);
      expect(imp.code).toBe(2);
      expect(imp.err).toContain(
        `types.csv:2:dureeVieDefaut: REF_LIFETIME_RANGE Row 2: lifetime ${life} of type 'Gizmo' must be greater than 0 and at most 50 years.`,
      );
      expect(imp.err).not.toMatch(/\n\s+at /);
      const a = await assess(ref);
      expect(a.err).toMatch(/types\.csv:2:dureeVieDefaut: REF_LIFETIME_RANGE/);
      // Gizmo is no type of the active referential: the inventory's only line is rejected, nothing computed — since
      // issue 11 (no silent zero) that file is failed and the run exits 2 instead of reporting a total of 0.
      expect(a.code).toBe(2);
      expect(a.err).toMatch(/INP_ALL_LINES_REJECTED/);
    });
  }
  it('a lifetime of 50 years is accepted: 2 × 100 / 50 = 4', async () => {
    const ref = await folder({ 'types.csv': TYPES('50'), 'facteurs.csv': FACTORS('100') });
    const a = await assess(ref);
    expect(a.cc!.byStep.MANUFACTURING).toBe(4);
  });
});

describe('a source with no usable row, or nothing behind an id: one-line fatal error, exit 2', () => {
  it('an empty folder: import and assess refuse it (REF_NOTHING_USABLE), never an empty pack', async () => {
    const empty = await folder({});
    const imp = await run(['referential', 'import', empty, '--id', 'empty']);
    expect(imp.code).toBe(2);
    expect(oneLine(imp.err)).toMatch(/REF_NOTHING_USABLE Referential user:empty has no usable row \(0 refused\)/);
    const a = await assess(empty);
    expect(a.code).toBe(2);
    expect(oneLine(a.err)).toContain('REF_NOTHING_USABLE');
    expect(a.out).toBe('');
  });
  it('a folder whose every row is refused', async () => {
    const ref = await folder({ 'facteurs.csv': FACTORS('-1') });
    const a = await assess(ref);
    expect(a.code).toBe(2);
    expect(oneLine(a.err)).toMatch(/REF_NOTHING_USABLE .*\(1 refused\)/);
  });
  it('an id that resolves to nothing: REF_PACK_UNKNOWN', async () => {
    const a = await assess('no-such-pack');
    expect(a.code).toBe(2);
    expect(oneLine(a.err)).toContain("REF_PACK_UNKNOWN Referential pack 'no-such-pack' does not exist");
  });
});

describe('Empreinte pack folders: the manifest must describe the content (REF_PACK_INVALID)', () => {
  let packDir: string;
  beforeAll(async () => {
    const ref = await folder({ 'types.csv': TYPES('5'), 'facteurs.csv': FACTORS('100') });
    expect((await run(['referential', 'import', ref, '--id', 'base'])).code).toBe(0);
    packDir = join(home, 'referentials', 'base');
  });
  const copy = async () => {
    const d = join(tmp, `pack${seq++}`);
    await cp(packDir, d, { recursive: true });
    return d;
  };
  it('a sound pack folder imports under a new id and assesses like the CSV it came from (41.038)', async () => {
    const d = await copy();
    const imp = await run(['referential', 'import', d, '--id', 'copy']);
    expect(imp.code).toBe(0);
    expect((await assess(d)).cc!.value).toBeCloseTo(41.038, 12);
    expect((await assess('copy')).cc!.value).toBeCloseTo(41.038, 12);
  });
  const cases: [string, (d: string) => Promise<void>, RegExp][] = [
    ['missing manifest', (d) => rm(join(d, 'manifest.json')), /manifest\.json is missing/],
    ['broken manifest', (d) => writeFile(join(d, 'manifest.json'), '{"format": '), /invalid JSON/],
    [
      'a data file modified after the manifest',
      async (d) => {
        const p = join(d, 'factorRows.json');
        await writeFile(p, (await readFile(p, 'utf8')).replace('"value":100', '"value":1e309'));
      },
      /sha256/,
    ],
    [
      'a manifest whose content hash does not match its files',
      async (d) => {
        const p = join(d, 'manifest.json');
        const m = JSON.parse(await readFile(p, 'utf8')) as { contentHash: string };
        m.contentHash = '0'.repeat(64);
        await writeFile(p, JSON.stringify(m));
      },
      /contentHash/,
    ],
    [
      'a data file the manifest does not list',
      (d) => writeFile(join(d, 'extra.json'), '{"sources":{}}'),
      /not listed in the manifest/,
    ],
  ];
  for (const [name, breakIt, reason] of cases) {
    it(`${name}: import and assess refuse the pack in one line`, async () => {
      const d = await copy();
      await breakIt(d);
      const imp = await run(['referential', 'import', d, '--id', 'broken']);
      expect(imp.code).toBe(2);
      expect(oneLine(imp.err)).toMatch(reason);
      expect(imp.err).toContain('REF_PACK_INVALID');
      const a = await assess(d);
      expect(a.code).toBe(2);
      expect(oneLine(a.err)).toMatch(/REF_PACK_INVALID Pack \S+: manifest missing, unreadable or not matching/);
    });
  }
  it('a consistent pack holding a lifetime of 0, a negative factor and 1e309: those rows are refused, not the pack', async () => {
    const prov = { source: 'test', layer: 'user:x', file: 'facteurs.csv' };
    const row = (item: string, value: number, line: number) => ({
      item,
      step: 'MANUFACTURING' as const,
      criterion: 'CLIMATE_CHANGE',
      value,
      prov: { ...prov, line },
    });
    const layer = {
      ...emptyLayer('user:x'),
      itemTypes: [
        { type: 'Gadget', isServer: false, defaultLifespanYears: 4, prov: { ...prov, file: 'types.csv', line: 3 } },
        { type: 'Gizmo', isServer: false, defaultLifespanYears: 0, prov: { ...prov, file: 'types.csv', line: 2 } },
      ],
      factorRows: [row('a', -170, 2), row('b', 7, 3), row('c', 8, 4)],
    };
    const meta = { id: 'x', version: '1', title: 'x', inputs: [], licences: [], skipped: [], keepRowLocation: true };
    const d = join(tmp, `pack${seq++}`);
    await writePack(d, serialisePack(layer, meta));
    // Put 1e309 in row c and make the manifest match again (sha256 of the file, content hash).
    const file = join(d, 'factorRows.json');
    const text = (await readFile(file, 'utf8')).replace('"value":8', '"value":1e309');
    await writeFile(file, text);
    const manifestPath = join(d, 'manifest.json');
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as PackManifest;
    const files = m.files.map((f) => (f.path === 'factorRows.json' ? { ...f, sha256: sha256(text) } : f));
    const contentHash = sha256(files.map((f) => `${f.path}:${f.sha256}`).join('\n'));
    await writeFile(manifestPath, JSON.stringify({ ...m, files, contentHash }));
    const pack = await loadPack(d);
    expect(pack.issues!.map((i) => `${i.file}:${i.line}:${i.column}:${i.code}`)).toEqual([
      'types.csv:2:defaultLifespanYears:REF_LIFETIME_RANGE',
      'facteurs.csv:2:value:REF_NEGATIVE_VALUE',
      'facteurs.csv:4:value:REF_NOT_FINITE',
    ]);
    expect(pack.layer.itemTypes.map((t) => t.type)).toEqual(['Gadget']);
    expect(pack.layer.factorRows.map((r) => r.item)).toEqual(['b']);
    // `referential show` says which rows it left out.
    const show = await run(['referential', 'show', d]);
    expect(show.code).toBe(0);
    expect(show.err).toContain('warning: facteurs.csv:2:value: REF_NEGATIVE_VALUE');
    expect(show.err.trimEnd().split('\n')).toHaveLength(3);
  });
});
