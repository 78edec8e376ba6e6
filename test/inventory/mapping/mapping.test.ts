import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMappingSuggest } from '../../../src/cli/mapping.js';
import {
  applyMapping,
  convertDate,
  convertUnit,
  loadMappingFile,
  parseMappingText,
  presetMapping,
  resolveMapping,
  suggestMapping,
  validateMappingFile,
} from '../../../src/inventory/mapping/index.js';
import { parseRecord } from '../../../src/inventory/parse-row.js';
import { SAMPLES } from './helpers.js';
import { rejectedIssue, thrownIssue } from '../../helpers/issues.js';

describe('unit conversions', () => {
  it('bytes, decimal and binary, declared or written in the cell', () => {
    expect(convertUnit('2', { from: 'TB', to: 'GB' })).toBe('2000'); // 2 × 10¹² / 10⁹
    expect(convertUnit('512', { from: 'GB', to: 'TB' })).toBe('0.512');
    expect(convertUnit('8192', { from: 'MB', to: 'GB' })).toBe('8.192');
    expect(convertUnit('16 Gio', { from: 'auto', to: 'GiB' })).toBe('16');
    expect(convertUnit('1024 Mio', { from: 'auto', to: 'GiB' })).toBe('1');
    expect(convertUnit('238.47 Gio', { from: 'auto', to: 'GB', round: true })).toBe('256'); // 256.05
    expect(convertUnit('1 To', { from: 'auto', to: 'GB' })).toBe('1000');
    expect(convertUnit('16076', { from: 'MiB', to: 'GiB', round: 'up' })).toBe('16'); // 15.70 → 16
    expect(convertUnit('500', { from: 'auto', to: 'GB' })).toBe('500'); // bare number: already in the target unit
  });

  it('energy and power', () => {
    expect(convertUnit('45', { from: 'W', to: 'kWh/year', hoursPerYear: 2000 })).toBe('90'); // 45 W × 2000 h = 90 kWh
    expect(convertUnit('1500', { from: 'Wh', to: 'kWh' })).toBe('1.5');
    expect(convertUnit('2', { from: 'MWh', to: 'kWh' })).toBe('2000');
    expect(convertUnit('1 234,5', { from: 'Wh', to: 'kWh' })).toBe('1.2345'); // French grouping read by parseNumber
  });

  it('returns undefined for unreadable cells and mismatched units', () => {
    expect(convertUnit('abc', { from: 'GB', to: 'TB' })).toBeUndefined();
    expect(convertUnit('16 Xo', { from: 'auto', to: 'GB' })).toBeUndefined();
    expect(convertUnit('16 GB', { from: 'W', to: 'kWh/year', hoursPerYear: 10 })).toBeUndefined();
    expect(convertUnit('45', { from: 'W', to: 'kWh/year' })).toBeUndefined(); // no hours given
  });
});

describe('date formats', () => {
  it('reads the declared formats, ignores time parts, refuses impossible dates', () => {
    expect(convertDate('22-01-2024', ['dd-MM-yyyy'])).toBe('2024-01-22');
    expect(convertDate('18-11-2025 08:12', ['yyyy-MM-dd', 'dd-MM-yyyy'])).toBe('2025-11-18');
    expect(convertDate('06/20/2023', ['MM/dd/yyyy'])).toBe('2023-06-20');
    expect(convertDate('3/7/2024', ['dd/MM/yyyy'])).toBe('2024-07-03');
    expect(convertDate('31-02-2024', ['dd-MM-yyyy'])).toBeUndefined();
    expect(convertDate('2024-01-22', ['dd-MM-yyyy'])).toBeUndefined();
  });
});

describe('mapping files', () => {
  const header = [
    'Asset',
    'Référence',
    'Qté',
    'Catégorie',
    'Pays',
    'Acheté le',
    'Disque (To)',
    'RAM',
    'Puissance (W)',
    'Note',
  ];

  it('maps values case/accent-insensitively, converts units and dates, applies defaults and exclusions', async () => {
    const m = await loadMappingFile('test/fixtures/mapping/purchasing.yaml');
    expect(m.kind).toBe('physical-equipment');
    const applied = applyMapping(m, header, { file: 'achats.csv' });
    const r = applied.map(
      ['PC-1', 'Latitude 5420', '', 'ordinateur PORTABLE', '', '15/03/2021', '0,5', '8192', '45', 'x'],
      2,
    );
    // A size that is not a whole number is rounded with a warning naming the source column (issue 11).
    expect(r.issues).toEqual([
      {
        code: 'INP_MAPPING_ROUNDED',
        severity: 'W',
        details: { field: 'RAM', value: '8.192', rounded: 8 },
        file: 'achats.csv',
        line: 2,
        column: 'RAM',
      },
    ]);
    expect(r.record).toEqual({
      nomEquipementPhysique: 'PC-1',
      modele: 'Latitude 5420',
      quantite: '1', // default
      type: 'Laptop', // "ordinateur PORTABLE" folded = "Ordinateur portable"
      paysDUtilisation: 'France', // ${defaultCountry}
      dateAchat: '2021-03-15',
      tailleDuDisque: '500', // 0,5 TB = 500 GB
      tailleMemoire: '8', // 8192 MB = 8.192 GB, rounded
      consoElecAnnuelle: '90', // 45 W × 2000 h / 1000
    });
    expect(applied.map(['T-1', 'iPad', '3', 'Tablette', 'Spain', '', '', '', '', ''], 3).record.type).toBe('Tablette'); // kept
    expect(applied.map(['E-1', 'P2422H', '1', ' Écran ', '', '', '', '', '', ''], 4).record.type).toBe('Monitor'); // ECRAN
    // The record parses with the row parser; issues name the source column.
    const bad = applied.map(['PC-2', 'M', '1', 'Laptop', 'France', '31/02/2021', '', '', '', ''], 5);
    const res = parseRecord(
      'physical-equipment',
      bad.record,
      5,
      { mode: 'lenient', file: 'achats.csv' },
      applied.display,
    );
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors.map((e) => `${e.code}:${e.column}`)).toEqual(['INP_BAD_DATE:Acheté le']);
    const soft = applied.map(['S', 'Office', '1', 'Logiciel', '', '', '', '', '', ''], 6);
    expect(soft.issues.map((i) => [i.code, i.severity, i.line, i.details.reason])).toEqual([
      ['INP_MAPPING_EXCLUDED', 'R', 6, 'software is not equipment'],
    ]);
  });

  it('names a source column missing from the header (INP_HEADER_MISSING)', async () => {
    const m = await loadMappingFile('test/fixtures/mapping/purchasing.yaml');
    const i = thrownIssue(() =>
      applyMapping(
        m,
        header.filter((h) => h !== 'RAM'),
        { file: 'achats.csv' },
      ),
    );
    expect(i.code).toBe('INP_HEADER_MISSING');
    expect(i.column).toBe('RAM');
    expect(i.file).toBe('achats.csv');
    expect(String(i.details.columns)).toContain('RAM');
  });

  it('rejects invalid mapping files naming file, path and reason', async () => {
    const bad = (text: string) => thrownIssue(() => parseMappingText(text, 'm.yaml'));
    let i = bad('kind: laptops\nfields: { name: A }\n');
    expect([i.code, i.file, i.column]).toEqual(['INP_MAPPING_INVALID', 'm.yaml', 'kind']);
    i = bad('kind: physical-equipment\nfields:\n  name: { from: A, colour: red }\n');
    expect(i.column).toBe('fields.name');
    expect(String(i.details.reason)).toMatch(/colour/);
    i = bad('kind: physical-equipment\nfields:\n  diskGB: { from: D, unit: { from: TB, to: parsecs } }\n');
    expect(i.column).toBe('fields.diskGB.unit.to');
    i = bad('kind: [unclosed\n');
    expect([i.code, i.column]).toEqual(['INP_MAPPING_INVALID', '(document)']);
    i = bad('{ "kind": "physical-equipment", ');
    expect(String(i.details.reason)).toMatch(/JSON/);
    const resolve = (doc: unknown) => thrownIssue(() => resolveMapping(validateMappingFile(doc, 'm.json'), 'm.json'));
    i = resolve({ kind: 'physical-equipment', fields: { colour: 'A' } });
    expect([i.column, String(i.details.reason)]).toEqual([
      'fields.colour',
      expect.stringContaining('not a column of kind physical-equipment'),
    ]);
    i = resolve({ kind: 'physical-equipment', fields: { country: { value: '${nowhere}' } } });
    expect([i.column, i.details.reason]).toEqual(['fields.country.value', "unknown parameter 'nowhere'"]);
    i = resolve({ extends: 'glpi-tablets' });
    expect(i.column).toBe('extends');
    i = resolve({ fields: { name: 'A' } });
    expect(i.column).toBe('kind');
    i = resolve({ kind: 'physical-equipment', fields: { name: 'A', nomEquipementPhysique: 'B' } });
    expect(String(i.details.reason)).toMatch(/same column/);
  });

  it('extends a preset and overrides its parameters and fields (JSON)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'empreinte-mapping-'));
    try {
      const p = join(dir, 'glpi.json');
      await writeFile(
        p,
        JSON.stringify({
          extends: 'glpi-printers',
          parameters: { defaultCountry: 'Spain' },
          fields: { status: { value: 'x' } },
        }),
      );
      const m = await loadMappingFile(p);
      expect(m.name).toBe('glpi-printers');
      expect(m.fields.paysDUtilisation).toMatchObject({ default: 'Spain' });
      expect(m.fields.statut).toEqual({ value: 'x' });
      expect((await rejectedIssue(loadMappingFile(join(dir, 'nope.yaml')))).code).toBe('INP_FILE_UNREADABLE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('preset parameters are substituted', () => {
    expect(presetMapping('intune-devices', { defaultCountry: 'Italy' }).fields.paysDUtilisation).toEqual({
      value: 'Italy',
    });
  });
});

describe('mapping suggest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empreinte-suggest-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('recognises the GLPI sample and prints its preset as valid YAML', async () => {
    const yaml = await runMappingSuggest(SAMPLES + 'glpi-computers-fr.csv');
    expect(yaml).toMatch(/^# Header recognised as the built-in preset 'glpi-computers'/);
    const doc = parseMappingText(yaml, 'suggested.yaml');
    expect(doc.kind).toBe('physical-equipment');
    expect(doc.name).toBe('glpi-computers');
    // Lieu, Dernière modification, Numéro de série, Numéro d'inventaire, garantie are not used by the preset.
    expect(yaml).toMatch(/# Header columns not used: .*Lieu/);
    // The printed mapping, resolved, maps the sample's first data row like the preset.
    const header = ['Nom', 'Statut', 'Fabricant', 'Type', 'Modèle', 'Composants - Mémoire'];
    const applied = applyMapping(resolveMapping(doc, 'suggested.yaml'), header);
    expect(
      applied.map(['PC-1', 'En service', 'Dell Inc.', 'Notebook', 'Latitude 5420', '16 Gio']).record,
    ).toMatchObject({
      type: 'Laptop',
      tailleMemoire: '16',
      quantite: '1',
      paysDUtilisation: 'France',
    });
  });

  it('proposes columns for an unknown header by FR/EN synonyms and similarity', async () => {
    const s = suggestMapping(['Hostname', 'Marque', 'Modèle PC', "Date d'achat", 'Catégorie', 'Commentaire']);
    expect(s.preset).toBeUndefined();
    expect(s.kind).toBe('physical-equipment');
    expect(s.mapping.fields).toEqual({
      name: 'Hostname',
      model: 'Modèle PC',
      quantity: { value: '1' },
      type: 'Catégorie',
      country: { value: '${defaultCountry}' },
      purchaseDate: "Date d'achat",
      manufacturer: 'Marque',
    });
    expect(s.unused).toEqual(['Commentaire']);
    expect(s.missing).toEqual([]);
    const p = join(dir, 'fleet.csv');
    await writeFile(p, 'Asset;Product\nA;B\n');
    const yaml = await runMappingSuggest(p, { kind: 'physical-equipment' });
    expect(yaml).toMatch(/Mandatory columns without a source .*type/);
    expect(parse(yaml).fields.name).toBe('Asset');
    expect((await rejectedIssue(runMappingSuggest(p, { kind: 'laptops' }))).code).toBe('INP_BAD_ENUM');
  });
});
