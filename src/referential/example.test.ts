import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MANDATORY_CRITERIA } from './codes.js';
import { locationKey } from './countries.js';
import { readReferential } from './csv-read.js';
import { hypothesisNumber, profileLayer } from './hypotheses.js';
import { mergeLayers } from './merge.js';

const DIR = join(import.meta.dirname, '../../examples/referential');

describe('examples/referential', async () => {
  const read = await readReferential([DIR], { layerName: 'embedded:example' });
  const { referential, issues } = mergeLayers([read.layer, profileLayer('rcp')], { id: 'example' });
  const cc = (item: string, step: string) => referential.items.get(item)?.factors.get(`${step}|CLIMATE_CHANGE`)?.value;

  it('loads without any issue (no dangling default item or matching)', () => {
    expect(read.issues).toEqual([]);
    expect(issues).toEqual([]);
  });

  it('declares the five mandatory criteria', () => {
    expect([...referential.criteria.keys()].sort()).toEqual([...MANDATORY_CRITERIA].sort());
  });

  it('holds the ADEME device values of methodology §6 (kg CO2 eq; kWh = W × h/day × 365 / 1000)', () => {
    expect(cc('ademe-laptop', 'MANUFACTURING')).toBe(170);
    expect(cc('ademe-laptop', 'DISTRIBUTION')).toBe(12.3);
    expect(cc('ademe-laptop', 'END_OF_LIFE')).toBe(2.79);
    expect(referential.items.get('ademe-laptop')!.avgKWhPerYear).toBeCloseTo((26.5 * 3 * 365) / 1000, 10); // 29.0175
    expect(cc('ademe-desktop-pro', 'MANUFACTURING')).toBe(203);
    expect(referential.items.get('ademe-desktop-pro')!.avgKWhPerYear).toBeCloseTo((70 * 6 * 365) / 1000, 10); // 153.3
    expect(referential.items.get('ademe-box')).toMatchObject({ tier: 'NETWORK', avgKWhPerYear: 70.08 }); // 8 × 24 × 365 / 1000
    expect(referential.items.size).toBe(20); // 15 terminals and peripherals + 5 datacenter items
  });

  it('holds the ADEME server: 748 kg manufacturing, 367 W × 8760 h = 3214.92 kWh/yr', () => {
    const server = referential.items.get('ademe-server')!;
    expect(cc('ademe-server', 'MANUFACTURING')).toBe(748);
    expect(server.avgKWhPerYear).toBeCloseTo((367 * 8760) / 1000, 10);
    expect(server).toMatchObject({ tier: 'DATACENTER', unit: 'Item', amortised: true });
  });

  it('has the §6 default item types', () => {
    const t = (name: string) => referential.itemTypes.get(name.toLowerCase());
    expect([t('Laptop')?.defaultRefItem, t('Laptop')?.defaultLifespanYears]).toEqual(['ademe-laptop', 5]);
    expect([t('Desktop')?.defaultRefItem, t('Desktop')?.defaultLifespanYears]).toEqual(['ademe-desktop-pro', 6]);
    expect([t('Smartphone')?.defaultRefItem, t('Smartphone')?.defaultLifespanYears]).toEqual(['ademe-smartphone', 2.5]);
    expect([t('Server')?.isServer, t('Server')?.defaultLifespanYears]).toEqual([true, 5]);
    expect(
      ['Laptop', 'Desktop', 'Monitor', 'Smartphone', 'Tablet', 'Box', 'Printer', 'Server', 'Switch', 'Storage'].every(
        (n) => t(n) !== undefined,
      ),
    ).toBe(true);
  });

  it('has France 0.0519 (ADEME) and Ember 2024 mixes (g/kWh ÷ 1000)', () => {
    const mix = (s: string) => referential.electricity.get(locationKey(s))?.get('CLIMATE_CHANGE')?.valuePerKWh;
    expect(mix('France')).toBe(0.0519);
    expect(mix('Allemagne')).toBe(0.34206); // 342.06 / 1000
    expect(mix('USA')).toBe(0.38355); // 383.55 / 1000
    expect(mix('Royaume-Uni')).toBe(0.21579); // 215.79 / 1000
    expect(mix('Europe')).toBe(0.21302); // 213.02 / 1000
    expect(referential.electricity.size).toBe(10);
  });

  it('maps a few models and keeps the profile hypotheses on top', () => {
    expect(referential.matchings.get('PowerEdge R640')?.refItemTarget).toBe('ademe-server');
    expect(hypothesisNumber(referential, 'PUEParDefaut')?.value).toBe(1.75);
    expect(hypothesisNumber(referential, 'taux_utilisation_COPE')?.value).toBe(0.85);
  });
});
