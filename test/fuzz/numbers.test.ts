/**
 * Fuzz (issue 9): numbers at the float limits — 1e308, 1e309, -0, subnormals, NaN and Infinity texts, huge exponents,
 * decimal commas, grouping — in inventory cells and in referential rows. Each run asserts: no crash (only a coded
 * EmpreinteError may stop a run), read = imported + rejected, finite indicators and totals, and for the CLI exit 0 or
 * 2 with one line. Seeded; `FUZZ_RUNS` runs per property (default 200; the CLI property, ~0.3 s a run, does a
 * twentieth of them). Same convention as test/fuzz/readers.test.ts and `npm run fuzz`.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessInventory, type RunContext } from '../../src/engine/index.js';
import type { Datacenter, MessagingRow, PhysicalEquipment, VirtualEquipment } from '../../src/inventory/model.js';
import { EmpreinteError, type Issue } from '../../src/issues/catalogue.js';
import { processInventory, type InventorySink } from '../../src/inventory/pipeline.js';
import { profileLayer } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import type { Referential, ReferentialLayer } from '../../src/referential/model.js';
import { loadDefaultPack } from '../../src/referential/pack.js';
import { loadReferentialSource } from '../../src/referential/source.js';
import { isLifetimeInRange } from '../../src/referential/validate.js';
import { runCli } from '../helpers/cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const CLI_RUNS = Math.max(3, Math.ceil(RUNS / 20));
const SEED = 20261206;
const TIMEOUT = 60_000 + RUNS * 400;

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-fuzz-numbers-'));
let seq = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const d = join(tmp, `r${seq++}`);
  await mkdir(d);
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  return d;
}

// ——— generators ———

/** Number texts at the edges: float limits, overflow, underflow, signed zero, words, commas, grouping, limits. */
const special = fc.constantFrom(
  '1e308',
  '1.7976931348623157e308',
  '1.8e308',
  '1e309',
  '-1e309',
  '1e99999',
  '9'.repeat(400),
  '-0',
  '0',
  '5e-324',
  '2.2250738585072014e-308',
  '1e-400',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '0,5',
  '1,5e308',
  '1,5e309',
  '1 234,5',
  '1.234.567',
  '12,500',
  '1e6',
  '1000001',
  '1e7',
  '10000001',
  '50',
  '50.000001',
  '10',
  '10.5',
  '8784',
  '-1',
  '-170',
  '',
  'NULL',
);
const fromDouble = fc.double().map(String); // NaN, ±Infinity, -0, subnormals, 1.7976931348623157e+308…
const commaDouble = fc.double({ noNaN: true }).map((v) => String(v).replace('.', ','));
const hugeExponent = fc
  .tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -999, max: 999 }))
  .map(([m, e]) => `${m}e${e}`);
const small = fc.double({ min: 0, max: 1000, noNaN: true }).map(String);
const numberText = fc.oneof(special, fromDouble, commaDouble, hugeExponent, small);

const TYPES = ['Laptop', 'Server', 'Smartphone', 'Gizmo'] as const;

// ——— shared checks ———

/** Every number reachable in `v` is finite. */
function allFinite(v: unknown, path = '$'): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path} = ${v}`];
  if (v === null) return [`${path} = null`];
  if (Array.isArray(v)) return v.flatMap((x, i) => allFinite(x, `${path}[${i}]`));
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => allFinite(x, `${path}.${k}`));
  return [];
}

const CTX: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-06-30',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
};

let defaultLayer: ReferentialLayer;
let defaultRef: Referential;
beforeAll(async () => {
  const full = (await loadDefaultPack()).layer;
  // The embedded pack trimmed to what the fuzzed inventories use (laptops, electricity), so that merging it with a
  // fuzzed layer in every run stays fast; the full pack is what the CLI property runs on.
  defaultLayer = {
    ...full,
    factorRows: full.factorRows.filter((r) => r.item.startsWith('ademe-')),
    cloudProviders: [],
    cloudInstances: [],
    cloudPlatforms: [],
    cloudRegions: [],
    cpuSpecs: [],
  };
  defaultRef = mergeLayers([defaultLayer, profileLayer('rcp')]).referential;
});

/** Read an inventory folder as `assess` does and compute it; returns the file reports and the assessment. */
async function readAndAssess(dir: string, ref: Referential) {
  const input = {
    datacenters: [] as Datacenter[],
    physical: [] as PhysicalEquipment[],
    virtual: [] as VirtualEquipment[],
    messaging: [] as MessagingRow[],
  };
  const sink: InventorySink = {
    datacenter: (x) => void input.datacenters.push(x),
    physical: (x) => void input.physical.push(x),
    virtual: (x) => void input.virtual.push(x),
    messaging: (x) => void input.messaging.push(x),
  };
  const res = await processInventory(
    [dir],
    {
      referenceDate: CTX.referenceDate,
      isKnownType: (t) => [...ref.itemTypes.values()].some((x) => x.type.toLowerCase() === t.toLowerCase()),
    },
    sink,
  );
  return { res, out: assessInventory(input, ref, CTX) };
}

function checkIssuesLocated(issues: readonly Issue[]): void {
  for (const i of issues.filter((x) => x.severity === 'R')) {
    expect(i.file, i.code).toBeDefined();
    expect(i.line, i.code).toBeGreaterThan(1);
  }
}

// ——— properties ———

describe('fuzz: numbers in inventory cells', () => {
  const peLine = fc.record({
    type: fc.constantFrom(...TYPES),
    quantite: numberText,
    conso: numberText,
    duree: numberText,
    coeurs: numberText,
    dc: fc.boolean(),
  });
  const inventory = fc.record({
    pue: numberText,
    pe: fc.array(peLine, { minLength: 1, maxLength: 4 }),
    vm: fc.array(fc.record({ vcpu: numberText, cle: numberText, stock: numberText }), { maxLength: 3 }),
    mail: fc.array(fc.tuple(numberText, numberText, numberText), { maxLength: 2 }),
    strict: fc.boolean(),
  });

  it(
    'no crash, read = imported + rejected, rejections located, finite indicators and totals',
    async () => {
      await fc.assert(
        fc.asyncProperty(inventory, async (inv) => {
          const dir = await folder({
            'dc.csv': `nomCourtDatacenter;pue;localisation\nDC1;${inv.pue};France\n`,
            'pe.csv':
              'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;consoElecAnnuelle;dureeUsageInterne;nbCoeur;nomCourtDatacenter\n' +
              inv.pe
                .map(
                  (l, i) =>
                    `P${i};M;${l.quantite};${l.type};France;${l.conso};${l.duree};${l.coeurs};${l.dc ? 'DC1' : ''}`,
                )
                .join('\n') +
              '\n',
            ...(inv.vm.length
              ? {
                  'vm.csv':
                    'nomEquipementVirtuel;nomEquipementPhysique;vCPU;cleRepartition;capaciteStockage;typeEqv\n' +
                    inv.vm.map((v, i) => `V${i};P0;${v.vcpu};${v.cle};${v.stock};calcul`).join('\n') +
                    '\n',
                }
              : {}),
            ...(inv.mail.length
              ? {
                  'mail.csv':
                    'nombreMailEmis;nombreMailEmisXDestinataires;volumeTotalMailEmis;MoisAnnee;nomEntite\n' +
                    inv.mail.map(([a, b, c], i) => `${a};${b};${c};0${i + 1}2025;DSI`).join('\n') +
                    '\n',
                }
              : {}),
          });
          const { res, out } = await readAndAssess(dir, defaultRef);
          for (const f of res.files) {
            expect(f.fileError, f.path).toBeUndefined();
            expect(f.read, f.path).toBe(f.imported + f.rejected);
            checkIssuesLocated(f.issues);
          }
          for (const r of out.results)
            for (let s = 0; s < r.values.length; s++) expect(Number.isFinite(r.values[s]!)).toBe(true);
          expect(allFinite(out.totals)).toEqual([]);
          expect(allFinite(out.indicators.map((x) => x.value))).toEqual([]);
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          examples: [
            [
              {
                pue: '1e309',
                pe: [{ type: 'Server', quantite: '1e308', conso: '1e12', duree: '-0', coeurs: '5e-324', dc: true }],
                vm: [{ vcpu: '1e309', cle: 'NaN', stock: '1,5e308' }],
                mail: [['1e309', '1e308', '1e99999']],
                strict: false,
              },
            ],
          ],
        },
      );
    },
    TIMEOUT,
  );
});

describe('fuzz: numbers in referential rows', () => {
  const refRows = fc.record({
    types: fc.array(fc.tuple(fc.constantFrom('Gizmo', 'Gadget', 'Laptop'), numberText), { minLength: 1, maxLength: 3 }),
    factors: fc.array(fc.tuple(fc.constantFrom('gizmo-item', 'gadget-item'), numberText, numberText), {
      minLength: 1,
      maxLength: 4,
    }),
    hypothesis: numberText,
    mail: fc.tuple(numberText, numberText),
  });

  type RefRows = {
    types: [string, string][];
    factors: [string, string, string][];
    hypothesis: string;
    mail: [string, string];
  };
  const refFolder = (r: RefRows) =>
    folder({
      'types.csv':
        'type;serveur;dureeVieDefaut;refItemParDefaut\n' +
        r.types.map(([t, life]) => `${t};false;${life};${t.toLowerCase()}-item`).join('\n') +
        '\n',
      'facteurs.csv':
        'nom;etapeacv;critere;consoElecMoyenne;valeur;unite;source\n' +
        r.factors
          .map(([item, kwh, v]) => `${item};FABRICATION;Changement climatique;${kwh};${v};Item;fuzz`)
          .join('\n') +
        '\n',
      'hypotheses.csv': `code;valeur;source\nPUEParDefaut;${r.hypothesis};fuzz\n`,
      'messagerie.csv': `critere;constanteCoefficientDirecteur;constanteOrdonneeOrigine;source\nClimate change;${r.mail[0]};${r.mail[1]};fuzz\n`,
    });

  it(
    'rows kept follow §3.5 (finite, non-negative factors, lifetimes in (0, 50]); kept + refused = read; totals finite',
    async () => {
      const inv = await folder({
        'pe.csv':
          'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\nA;X;1000000;Gizmo;France\nB;X;2;Gadget;France\nC;X;1;Laptop;France\n',
      });
      await fc.assert(
        fc.asyncProperty(refRows, async (rows) => {
          const dir = await refFolder(rows);
          let src;
          try {
            src = await loadReferentialSource(dir, { layerName: 'user:fuzz' });
          } catch (e) {
            expect(e).toBeInstanceOf(EmpreinteError);
            return;
          }
          const l = src.layer;
          const read = rows.types.length + rows.factors.length + 2;
          const refused = new Set(src.issues.filter((i) => i.severity === 'R').map((i) => `${i.file}:${i.line}`)).size;
          const kept = l.itemTypes.length + l.factorRows.length + l.hypotheses.length + l.messaging.length;
          expect(kept + refused).toBe(read);
          checkIssuesLocated(src.issues);
          expect(allFinite(l.factorRows.map((r) => [r.value, r.avgKWhPerYear ?? 0]))).toEqual([]);
          for (const r of l.factorRows) expect(r.value >= 0 && (r.avgKWhPerYear ?? 0) >= 0).toBe(true);
          for (const m of l.messaging)
            expect(Number.isFinite(m.A) && Number.isFinite(m.b) && m.A >= 0 && m.b >= 0).toBe(true);
          for (const t of l.itemTypes)
            if (t.defaultLifespanYears !== undefined) expect(isLifetimeInRange(t.defaultLifespanYears)).toBe(true);
          for (const h of l.hypotheses) if (typeof h.value === 'number') expect(Number.isFinite(h.value)).toBe(true);
          const ref = mergeLayers([defaultLayer, profileLayer('rcp'), l]).referential;
          const { res, out } = await readAndAssess(inv, ref);
          expect(res.files[0]!.read).toBe(res.files[0]!.imported + res.files[0]!.rejected);
          expect(allFinite(out.totals)).toEqual([]);
          expect(allFinite(out.indicators.map((x) => x.value))).toEqual([]);
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          // The cases of issue 9 first: 1e309, −170, lifetimes 0 and −5, and a finite factor that overflows.
          examples: [
            [{ types: [['Gizmo', '5']], factors: [['gizmo-item', '1', '1e309']], hypothesis: '1.5', mail: ['1', '1'] }],
            [{ types: [['Gizmo', '5']], factors: [['gizmo-item', '1', '-170']], hypothesis: '1.5', mail: ['1', '1'] }],
            [
              {
                types: [
                  ['Gizmo', '0'],
                  ['Gadget', '-5'],
                ],
                factors: [['gizmo-item', '1', '1']],
                hypothesis: '1.5',
                mail: ['1', '1'],
              },
            ],
            [{ types: [['Gizmo', '1']], factors: [['gizmo-item', '1', '1e308']], hypothesis: '1.5', mail: ['1', '1'] }],
          ],
        },
      );
    },
    TIMEOUT,
  );
});

describe('fuzz: the CLI end to end', () => {
  it(
    'assess and referential import: exit 0 or 2, a fatal error is one line, totals finite, read = imported + rejected',
    async () => {
      const home = join(tmp, 'home');
      const saved = process.env.EMPREINTE_HOME;
      process.env.EMPREINTE_HOME = home;
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.tuple(numberText, numberText, numberText, numberText, numberText),
            async ([quantity, kwh, pue, factor, life]) => {
              const inv = await folder({
                'dc.csv': `nomCourtDatacenter;pue;localisation\nDC1;${pue};France\n`,
                'pe.csv': `nomEquipementPhysique;modele;quantite;type;paysDUtilisation;consoElecAnnuelle;nomCourtDatacenter\nA;X;${quantity};Gizmo;France;${kwh};DC1\nB;X;1;Laptop;France;;\n`,
              });
              const ref = await folder({
                'types.csv': `type;serveur;dureeVieDefaut;refItemParDefaut\nGizmo;false;${life};gizmo-item\n`,
                'facteurs.csv': `nom;etapeacv;critere;consoElecMoyenne;valeur;unite;source\ngizmo-item;FABRICATION;Changement climatique;1;${factor};Item;fuzz\n`,
              });
              const out = join(inv, 'out.json');
              const a = await runCli([
                'assess',
                inv,
                '--referential',
                ref,
                '--date',
                '2025-06-30',
                '--format',
                'json',
                '--out',
                out,
              ]);
              expect([0, 2]).toContain(a.code);
              expect(a.err).not.toMatch(/internal error|\n\s+at /);
              if (a.code === 2) {
                expect(a.err.trimEnd().split('\n')).toHaveLength(1);
                expect(a.err).toMatch(/^empreinte: .*[A-Z]{3}_[A-Z_]+ /);
              } else {
                const json = JSON.parse(await readFile(out, 'utf8')) as {
                  totals: unknown;
                  inventory: { read: number; imported: number; rejected: number }[];
                };
                expect(allFinite(json.totals)).toEqual([]);
                for (const f of json.inventory) expect(f.read).toBe(f.imported + f.rejected);
              }
              const imp = await runCli(['referential', 'import', ref, '--id', `fuzz${seq++}`]);
              expect([0, 2]).toContain(imp.code);
              expect(imp.err).not.toMatch(/internal error|ZodError|\n\s+at /);
              for (const line of imp.err
                .trimEnd()
                .split('\n')
                .filter((x) => x !== ''))
                expect(line).toMatch(
                  /^(empreinte: )?\S.*\b[A-Z]{3}_[A-Z_]+ |^referential import: \d+ row\(s\) rejected/,
                );
            },
          ),
          { numRuns: CLI_RUNS, seed: SEED },
        );
      } finally {
        if (saved === undefined) delete process.env.EMPREINTE_HOME;
        else process.env.EMPREINTE_HOME = saved;
      }
    },
    TIMEOUT,
  );
});
