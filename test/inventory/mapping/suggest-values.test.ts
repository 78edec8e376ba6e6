/**
 * `mapping suggest` on a purchasing export (issue 11): consumption, memory and disk columns mapped (with the unit
 * their header names), a value map skeleton for the category column from the first rows, and the suggested mapping
 * applied: a decimal disk size rounded with a warning, a decimal core count refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runMappingSuggest } from '../../../src/cli/mapping.js';
import { runValidate } from '../../../src/cli/validate.js';
import { suggestMapping } from '../../../src/inventory/mapping/index.js';
import { FIXTURES } from './helpers.js';

const CSV = [
  'Inventaire;Désignation;Catégorie;Qté;Consommation (kWh/an);RAM (Go);Disque (Go);Coeurs;Date achat',
  'A-001;Latitude 5420;Portables;1;35,2;16;476,9;4;15/03/2021',
  'A-002;P2422H;Écrans;1;22;;;;2022-09-28',
  'A-003;MFP M479;Imprimante;1;120,5;;;;',
  'A-004;PowerEdge R740;Serveurs;1;2100;128;1920;3,5;2020-01-02',
  'A-005;Latitude 5420;portables;2;35,2;16;512;4;15/03/2021',
  'A-006;Zebra ZD421;Étiqueteuse;1;12;;;;',
].join('\n');

describe('mapping suggest on a purchasing export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-suggest-values-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('maps consumption, memory and disk, and proposes a value map for the category', async () => {
    const p = join(dir, 'achats.csv');
    await writeFile(p, CSV + '\n');
    const yaml = await runMappingSuggest(p);
    const doc = parse(yaml);
    expect(doc.fields).toEqual({
      name: 'Inventaire',
      model: 'Désignation',
      quantity: 'Qté',
      type: {
        from: 'Catégorie',
        // distinct values in order of appearance ("portables" folds to "Portables"); "Étiqueteuse" has no guess
        map: {
          Portables: 'Laptop',
          Écrans: 'Monitor',
          Imprimante: 'Printer',
          Serveurs: 'Server',
          Étiqueteuse: 'Étiqueteuse',
        },
      },
      country: { value: '${defaultCountry}' },
      purchaseDate: 'Date achat',
      annualKWh: 'Consommation (kWh/an)',
      cores: 'Coeurs',
      memoryGB: 'RAM (Go)',
      diskGB: 'Disque (Go)',
    });
    expect(yaml).toMatch(
      /# Value map of 'Catégorie' from the first 6 rows: confirm each item type; kept as written \(no guess\): Étiqueteuse\./,
    );
  });

  it('the suggested mapping, applied: 476,9 GB → 477 with INP_MAPPING_ROUNDED, a 3,5 core count refused', async () => {
    const p = join(dir, 'achats2.csv');
    await writeFile(p, CSV + '\n');
    const m = join(dir, 'achats.yaml');
    await writeFile(m, await runMappingSuggest(p));
    const io = { out: () => undefined, err: () => undefined, tty: false, today: () => '2025-12-31' };
    const r = await runValidate([p], { format: 'json', mapping: m }, io);
    const f = r.files[0]!;
    // Line 5: cores "3,5" is a count, not rounded → INP_NOT_INTEGER rejects the line; the others are kept.
    expect([f.headerStyle, f.read, f.imported, f.rejected]).toEqual(['mapping:achats.yaml', 6, 5, 1]);
    expect(f.issueCounts.INP_NOT_INTEGER).toBe(1);
    expect(f.issueCounts.INP_MAPPING_ROUNDED).toBe(1);
    const rounded = f.issues.find((i) => i.code === 'INP_MAPPING_ROUNDED')!;
    expect(rounded).toMatchObject({ line: 2, column: 'Disque (Go)', details: { value: '476,9', rounded: 477 } });
  });

  it('units in headers: Mo memory → GiB rounded up, Go/To disks, Wh consumption; a consumption in W is not mapped', () => {
    const s = suggestMapping(['Nom', 'Modèle', 'RAM (Mo)', 'Disque (To)', 'Conso (Wh/an)']);
    expect(s.mapping.fields).toMatchObject({
      memoryGB: { from: 'RAM (Mo)', unit: { from: 'MiB', to: 'GiB', round: 'up' } },
      diskGB: { from: 'Disque (To)', unit: { from: 'TB', to: 'GB', round: true } },
      annualKWh: { from: 'Conso (Wh/an)', unit: { from: 'Wh', to: 'kWh' } },
    });
    const w = suggestMapping(['Nom', 'Modèle', 'Consommation (W)']);
    expect(w.mapping.fields!.annualKWh).toBeUndefined();
    expect(w.unused).toContain('Consommation (W)');
    expect(w.yaml).toMatch(/'Consommation \(W\)' looks like annualKWh but its unit does not fit/);
  });

  it('on a recognised preset, custom columns for consumption, memory and disk are added', () => {
    // A Snipe-IT report with three custom fields (Snipe-IT writes a custom field under the name the organisation gave it).
    const header = [
      'Asset Tag',
      'Model',
      'Category',
      'RAM (Go)',
      'Stockage (Go)',
      'Consommation (kWh/an)',
      'MAC Address',
    ];
    const s = suggestMapping(header);
    expect(s.preset).toBe('snipeit-assets');
    expect(s.mapping.fields).toMatchObject({
      tailleMemoire: 'RAM (Go)',
      tailleDuDisque: 'Stockage (Go)',
      consoElecAnnuelle: 'Consommation (kWh/an)',
    });
    expect(s.unused).toEqual(['MAC Address']);
    expect(s.yaml).toMatch(/# Added to the preset from columns it does not read .*RAM \(Go\) → tailleMemoire/);
  });

  it('a Snipe-IT export is recognised as its preset by mapping suggest', async () => {
    const yaml = await runMappingSuggest(FIXTURES + 'snipeit-assets-en.csv');
    expect(yaml).toMatch(/^# Header recognised as the built-in preset 'snipeit-assets'/);
    // The GLPI default monitors export (same columns as phones) is told apart by its rows here too.
    expect(await runMappingSuggest(FIXTURES + 'glpi-monitors-default-fr.csv')).toMatch(/preset 'glpi-monitors'/);
  });
});
