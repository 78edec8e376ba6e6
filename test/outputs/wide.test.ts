/**
 * The wide layout (src/outputs/wide.ts): header and row of hand-built item results on a hand-built Layout; expected
 * cells written out by hand (slot = step index × criteria count + criterion index, as src/engine/layout.ts defines).
 */
import { describe, expect, it } from 'vitest';
import { Layout } from '../../src/engine/layout.js';
import type { ItemResult } from '../../src/engine/result.js';
import { csvFormat, csvRecord } from '../../src/formats/csv-write.js';
import { issue } from '../../src/issues/catalogue.js';
import { wideHeader, wideRow, wideRows, wideStatus } from '../../src/outputs/wide.js';

const layout = new Layout(['MANUFACTURING', 'USE'], ['CLIMATE_CHANGE', 'ACIDIFICATION']);
// Slots: 0 = MANUFACTURING×CLIMATE_CHANGE, 1 = MANUFACTURING×ACIDIFICATION, 2 = USE×CLIMATE_CHANGE, 3 = USE×ACIDIFICATION.

function item(over: Partial<ItemResult>): ItemResult {
  return {
    kind: 'physical-equipment',
    name: 'PC-001',
    entity: 'DSI',
    quantity: 3,
    values: [2.4600000000000004, 0.012345678, 31.99999, 0],
    status: [1, 1, 1, 0],
    errors: new Map(),
    itKWh: 0,
    facilityKWh: 0,
    dims: { tier: 'TERMINAL', type: 'Laptop', country: 'FR' },
    warnings: [],
    inTotal: true,
    at: { file: 'parc.csv', line: 12 },
    explain: () => {
      throw new Error('not needed');
    },
    ...over,
  };
}

describe('wideHeader', () => {
  it('lists the dimensions, then criterion × step with units (criteria outermost), then status', () => {
    expect(wideHeader(layout)).toEqual([
      'kind',
      'name',
      'entity',
      'type',
      'tier',
      'country',
      'datacenter',
      'quantity',
      'virtualEquipment',
      'physicalEquipment',
      'file',
      'line',
      'CLIMATE_CHANGE MANUFACTURING (kg CO2 eq)',
      'CLIMATE_CHANGE USE (kg CO2 eq)',
      'ACIDIFICATION MANUFACTURING (mol H+ eq)',
      'ACIDIFICATION USE (mol H+ eq)',
      'status',
    ]);
  });
});

describe('wideRow', () => {
  it('gives the dimensions and the rounded values in header order; a slot not computed is empty', () => {
    const row = wideRow(item({}), layout);
    expect(row).toEqual([
      'physical-equipment',
      'PC-001',
      'DSI',
      'Laptop',
      'TERMINAL',
      'FR',
      undefined,
      3,
      undefined,
      undefined,
      'parc.csv',
      12,
      2.46, // slot 0
      32, // slot 2: 31.99999 to 4 significant digits
      0.01235, // slot 1
      undefined, // slot 3: absent
      'OK',
    ]);
    expect(row.length).toBe(wideHeader(layout).length);
  });

  it('writes exact values when asked', () => {
    const row = wideRow(item({}), layout, { significantDigits: null });
    expect(row.slice(12, 15)).toEqual([2.4600000000000004, 31.99999, 0.012345678]);
  });

  it('leaves slots in error empty and counts them with their distinct codes in the status', () => {
    const missing = issue('CALC_ELECTRICITY_MISSING', { item: 'ademe-laptop' });
    const r = item({
      kind: 'virtual-equipment',
      name: 'vm-1',
      physicalEquipment: 'host-1',
      status: [1, 2, 2, 2],
      errors: new Map([
        [1, issue('CALC_FACTOR_MISSING', { item: 'ademe-laptop', step: 'MANUFACTURING', criterion: 'RESOURCE_USE' })],
        [2, missing],
        [3, missing],
      ]),
    });
    const row = wideRow(r, layout);
    expect(row[0]).toBe('virtual-equipment');
    expect(row[9]).toBe('host-1');
    expect(row.slice(12)).toEqual([
      2.46,
      undefined,
      undefined,
      undefined,
      '3 errors: CALC_FACTOR_MISSING, CALC_ELECTRICITY_MISSING',
    ]);
    expect(wideStatus(item({ status: [2, 1, 1, 0], errors: new Map([[0, missing]]) }), layout)).toBe(
      '1 error: CALC_ELECTRICITY_MISSING',
    );
  });

  it('empties every value of an item out of the period and says so', () => {
    const r = item({
      outOfPeriod: issue('CALC_OUT_OF_PERIOD', {
        name: 'pc-1',
        start: '2025-01-01',
        end: '2025-12-31',
        from: '2020-01-01',
        to: '2024-06-30',
      }),
    });
    expect(wideRow(r, layout).slice(12)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'excluded: CALC_OUT_OF_PERIOD',
    ]);
  });

  it('goes through the CSV writer in French as numbers with decimal commas, text neutralised', () => {
    const r = item({ name: '=cmd', entity: undefined, at: undefined });
    expect(csvRecord(wideRow(r, layout), csvFormat('fr'))).toBe(
      "physical-equipment;'=cmd;;Laptop;TERMINAL;FR;;3;;;;;2,46;32;0,01235;;OK",
    );
  });
});

describe('wideRows', () => {
  it('gives the same rows as wideRow for every item', () => {
    const row = wideRows(layout);
    const items = [
      item({}),
      item({
        status: [2, 1, 0, 1],
        errors: new Map([
          [0, issue('CALC_FACTOR_MISSING', { item: 'ademe-laptop', step: 'MANUFACTURING', criterion: 'RESOURCE_USE' })],
        ]),
      }),
    ];
    expect(items.map(row)).toEqual(items.map((r) => wideRow(r, layout)));
    expect(row(items[1]!).slice(12)).toEqual([undefined, undefined, 0.01235, 0, '1 error: CALC_FACTOR_MISSING']);
  });
});
