/**
 * End to end without the CLI: a small estate assessed by the engine (hand-built referential), its items written in
 * the wide layout to an XLSX items sheet and to a French CSV, its totals and breakdowns to two more sheets; read back
 * with the project's readers. Expected values computed by hand from the referential's factors:
 * Laptop `lap` (FIXE lifetime 5 years), 10 units in France: MANUFACTURING 10 × 100 / 5 = 200, DISTRIBUTION
 * 10 × 10 / 5 = 20, END_OF_LIFE 10 × 5 / 5 = 10, USE 10 × 20 kWh × 0.05 = 10 kg CO2 eq.
 * Server `srv` (FIXE 4 years), 1 unit in Germany: MANUFACTURING 1000 / 4 = 250, DISTRIBUTION 20 / 4 = 5,
 * END_OF_LIFE 10 / 4 = 2.5, USE 1000 kWh × 1.75 (default PUE of a server, methodology F7) × 0.4 = 700.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../../src/engine/layout.js';
import { openCsv } from '../../src/formats/csv.js';
import { csvFormat, csvPreamble, csvRecord } from '../../src/formats/csv-write.js';
import type { TableRow } from '../../src/formats/table.js';
import { XlsxWriter } from '../../src/formats/xlsx-write.js';
import { openXlsx } from '../../src/formats/xlsx.js';
import { parseNumber } from '../../src/inventory/cells.js';
import {
  G4IT_INDICATOR_COLUMNS,
  g4itRowsOf,
  NUMECOEVAL_INDICATOR_COLUMNS,
  numecoevalRowsOf,
} from '../../src/outputs/indicator-formats.js';
import { breakdownsSheet, totalsSheet } from '../../src/outputs/totals-sheets.js';
import { wideHeader, wideRow } from '../../src/outputs/wide.js';
import { run } from '../helpers/engine.js';
import { embodiedItem, testReferential } from '../helpers/referential.js';

const ref = testReferential({
  items: {
    lap: embodiedItem({ CLIMATE_CHANGE: [100, 10, 5] }, 20),
    srv: embodiedItem({ CLIMATE_CHANGE: [1000, 20, 10] }, 1000),
  },
  types: {
    Laptop: { lifespan: 5, defaultItem: 'lap' },
    Server: { lifespan: 4, defaultItem: 'srv', isServer: true },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 }, Germany: { CLIMATE_CHANGE: 0.4 } },
});

const assessed = run(
  {
    physical: [
      { name: 'PC-001', type: 'Laptop', quantity: 10, country: 'France' },
      { name: 'SRV-1', type: 'Server', quantity: 1, country: 'Germany' },
    ],
  },
  ref,
  { lifetimeMethod: 'FIXE' },
);
const layout = new Layout(['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'], ['CLIMATE_CHANGE']);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'empreinte-workbook-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rows(t: { rows: AsyncIterable<TableRow> }): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of t.rows) out.push([...r.cells]);
  return out;
}

describe('items, totals and breakdowns', () => {
  it('writes an XLSX whose items sheet has one row per item and whose totals equal the hand-computed sums', async () => {
    const path = join(dir, 'result.xlsx');
    const ws = createWriteStream(path);
    const x = new XlsxWriter((c) =>
      ws.write(c) ? undefined : new Promise<void>((resolve) => ws.once('drain', () => resolve())),
    );
    const items = await x.addSheet('items', { header: wideHeader(layout) });
    for (const r of assessed.results) await items.appendRow(wideRow(r, layout));
    await items.close();
    const totals = totalsSheet(assessed.totals, layout.steps);
    const t = await x.addSheet('totals', { header: totals.header });
    for (const r of totals.rows) await t.appendRow(r);
    await t.close();
    const breakdowns = breakdownsSheet(assessed.totals);
    const b = await x.addSheet('breakdowns', { header: breakdowns.header });
    for (const r of breakdowns.rows) await b.appendRow(r);
    await b.close();
    await x.close();
    await new Promise<void>((resolve) => ws.end(() => resolve()));

    const [itemSheet, totalSheet, breakdownSheet] = await openXlsx(path);
    expect(itemSheet!.header.slice(12)).toEqual([
      'CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)',
      'CLIMATE_CHANGE DISTRIBUTION (kg CO2 eq)',
      'CLIMATE_CHANGE USE (kg CO2 eq)',
      'CLIMATE_CHANGE END_OF_LIFE (kg CO2 eq)',
      'status',
    ]);
    const itemRows = await rows(itemSheet!);
    expect(itemRows.map((r) => [r[1], r[3], r[7], ...r.slice(12)])).toEqual([
      ['PC-001', 'Laptop', '10', '200', '20', '10', '10', 'OK'],
      ['SRV-1', 'Server', '1', '250', '5', '700', '2.5', 'OK'],
    ]);
    expect(totalSheet!.header).toEqual([
      'criterion',
      'unit',
      'MANUFACTURING',
      'DISTRIBUTION',
      'USE',
      'END_OF_LIFE',
      'total',
      'peopleEquivalent',
      'perCollaborator',
      'indicators',
      'errors',
    ]);
    // 200 + 20 + 10 + 10 + 250 + 5 + 700 + 2.5 = 1197.5
    expect((await rows(totalSheet!))[0]!.slice(0, 7)).toEqual([
      'CLIMATE_CHANGE',
      'kg CO2 eq',
      '450',
      '25',
      '710',
      '12.5',
      '1198', // 1197.5 to 4 significant digits
    ]);
    const byType = (await rows(breakdownSheet!)).filter((r) => r[0] === 'type');
    expect(byType).toEqual([
      ['type', 'Laptop', 'CLIMATE_CHANGE', '240', 'kg CO2 eq'],
      ['type', 'Server', 'CLIMATE_CHANGE', '957.5', 'kg CO2 eq'],
    ]);
  });

  it('writes a French wide CSV that reads back with its numbers', async () => {
    const fr = csvFormat('fr');
    let text = csvPreamble(wideHeader(layout), fr);
    for (const r of assessed.results) text += csvRecord(wideRow(r, layout), fr) + '\n';
    const path = join(dir, 'items-fr.csv');
    await writeFile(path, text, 'utf8');
    const t = await openCsv(path);
    expect(t.delimiter).toBe(';');
    const read = await rows(t);
    const ctx = { delimiter: ';' };
    const values = read.map((r) =>
      r.slice(12, 16).map((c) => {
        const n = parseNumber(c, ctx);
        return n.ok ? n.value : Number.NaN;
      }),
    );
    expect(values).toEqual([
      [200, 20, 10, 10],
      [250, 5, 700, 2.5],
    ]);
    expect(read[1]![15]).toBe('2,5');
  });
});

describe('NumEcoEval and G4IT rows of assessed items', () => {
  const ctx = {
    batchName: 'lot',
    batchDate: '2025-01-01',
    organisation: 'Org',
    calculationDate: '2026-12-06T00:00:00.000',
    calculationVersion: 'empreinte 0.1.0',
    source: 'test',
  };

  it('gives one NumEcoEval row per computed slot with the hand-computed values and the USE electricity', () => {
    const cols = NUMECOEVAL_INDICATOR_COLUMNS.ind_indicateur_impact_equipement_physique;
    const pick = (cells: readonly unknown[]) =>
      ['nom_equipement', 'etapeacv', 'impact_unitaire', 'conso_elec_moyenne', 'quantite', 'type_equipement'].map(
        (c) => cells[cols.indexOf(c as (typeof cols)[number])],
      );
    const rows = assessed.results.flatMap((r) => [...numecoevalRowsOf(r, layout, ctx)]);
    expect(rows.every((r) => r.table === 'ind_indicateur_impact_equipement_physique')).toBe(true);
    expect(rows.map((r) => pick(r.cells))).toEqual([
      ['PC-001', 'FABRICATION', 200, undefined, 10, 'Laptop'],
      ['PC-001', 'DISTRIBUTION', 20, undefined, 10, 'Laptop'],
      // 10 units × 20 kWh at the equipment
      ['PC-001', 'UTILISATION', 10, 200, 10, 'Laptop'],
      ['PC-001', 'FIN_DE_VIE', 10, undefined, 10, 'Laptop'],
      ['SRV-1', 'FABRICATION', 250, undefined, 1, 'Server'],
      ['SRV-1', 'DISTRIBUTION', 5, undefined, 1, 'Server'],
      ['SRV-1', 'UTILISATION', 700, 1000, 1, 'Server'],
      ['SRV-1', 'FIN_DE_VIE', 2.5, undefined, 1, 'Server'],
    ]);
  });

  it('gives the G4IT rows with G4IT step codes and the caller’s extra fields', () => {
    const cols = G4IT_INDICATOR_COLUMNS.ind_physical_equipment;
    const rows = [...g4itRowsOf(assessed.results[0]!, layout, ctx, { fields: { equipmentStatus: 'In use' } })];
    expect(rows.map((r) => r.cells[cols.indexOf('acvStep')])).toEqual([
      'MANUFACTURING',
      'TRANSPORTATION',
      'USING',
      'END_OF_LIFE',
    ]);
    expect(rows.map((r) => r.cells[cols.indexOf('physicalEquipmentStatus')])).toEqual(Array(4).fill('In use'));
  });
});
