/**
 * Printers, storage arrays and UPS in the default pack (issue 8, "Weights"): values by hand from the rows of
 * shared/data/equipment-extras/equipment-extras.csv (device share of each declaration, see its SOURCES.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { foldKey } from '../../src/referential/codes.js';
import { defaultCategoryCompatible } from '../../src/referential/matching/matcher.js';
import { mergeLayers } from '../../src/referential/merge.js';
import type { Referential } from '../../src/referential/model.js';
import { loadDefaultPack, type Pack } from '../../src/referential/pack.js';

let pack: Pack;
let ref: Referential;
beforeAll(async () => {
  pack = await loadDefaultPack();
  ref = mergeLayers([pack.layer]).referential;
});

const item = (name: string) => {
  const it = ref.items.get(name);
  if (!it) throw new Error(`no item ${name}`);
  return it;
};
const embodied = (name: string) => item(name).factors.get('EMBODIED|CLIMATE_CHANGE');

describe('equipment extras in the default pack', () => {
  it('A4 printer: median of the 10 Lexmark A4 device shares and TEC-based kWh', () => {
    // embodied_gwp_kg rows a4_laser_mono + a4_laser_colour from Boavizta (gwp_total × (1 − gwp_use_ratio)):
    //   B3340dw 8230 × 0.0109 = 89.7; B3442dw 8730 × 0.0092 = 80.3; MB3442adwe 8770 × 0.0125 = 109.6;
    //   MX331adne 8250 × 0.0133 = 109.7; C3224dw 5590 × 0.0233 = 130.2; C3326dw 5750 × 0.0226 = 129.9;
    //   C3426dwe 6130 × 0.0212 = 130.0; MC3224dwe 5610 × 0.025 = 140.3; MC3326adwe 5780 × 0.026 = 150.3;
    //   MC3426adwe 6150 × 0.0228 = 140.2 → sorted 5th and 6th: (129.9 + 130.0) / 2 = 129.95
    expect(embodied('empreinte-printer-a4')?.value).toBeCloseTo(129.95, 10);
    // yearly_kwh: 15.08 16.12 17.68 17.68 18.72 | 19.24 22.8 23.4 24.4 28.0 → (18.72 + 19.24) / 2 = 18.98
    expect(item('empreinte-printer-a4').avgKWhPerYear).toBeCloseTo(18.98, 10);
    // the ecodiag "<40 kg" row (130 kg, 71 kWh, no licence) is not among the rows used
    expect(embodied('empreinte-printer-a4')?.prov.source).not.toContain('ecodiag');
    expect(embodied('empreinte-printer-a4')?.prov.licence).toContain('ODbL');
  });
  it('A3 MFP: median of the 4 manufacturer declarations = (983 + 1173) / 2 = 1078 kg; 260 kWh (Lexmark CX924dxe)', () => {
    // Konica Minolta 65 ppm 2274 − 1680 = 594; Konica Minolta AD-16-E720 750 + 132 + 68 + 33 = 983;
    // Canon CR-DG01-12004 900 + 100 + 43 + 130 = 1173; Lexmark CX924dxe 23800 × (1 − 0.9412) = 1399.4
    const f = embodied('empreinte-printer-a3-mfp');
    expect(f?.value).toBeCloseTo(1078, 10);
    expect(item('empreinte-printer-a3-mfp').avgKWhPerYear).toBe(260);
    for (const row of ['CX924dxe', 'AD-16-E720', '65 ppm', 'CR-DG01-12004']) expect(f?.prov.source).toContain(row);
    expect(f?.prov.source).not.toContain('ecodiag');
  });
  it('storage array: Seagate OneStor SP2584, 190000 × (1 − 0.9652) = 6612 kg, 14800 kWh/yr, DATACENTER', () => {
    expect(embodied('empreinte-storage-array')?.value).toBeCloseTo(6612, 8);
    expect(item('empreinte-storage-array').avgKWhPerYear).toBe(14800);
    expect(item('empreinte-storage-array').tier).toBe('DATACENTER');
  });
  it('types and synonyms: copiers → A3 MFP, laser printers → A4, SAN → storage array, NAS → storage, onduleur → UPS', () => {
    const typeOf = (n: string) => ref.itemTypes.get(foldKey(n));
    const cases: [string, string, string | undefined][] = [
      ['Copieur', 'A3 multifunction printer', 'empreinte-printer-a3-mfp'],
      ['Photocopieur', 'A3 multifunction printer', 'empreinte-printer-a3-mfp'],
      ['MFP A3', 'A3 multifunction printer', 'empreinte-printer-a3-mfp'],
      ['Imprimante multifonction', 'A3 multifunction printer', 'empreinte-printer-a3-mfp'],
      ['Imprimante multifonction A4', 'A4 printer', 'empreinte-printer-a4'],
      ['Imprimante laser', 'A4 printer', 'empreinte-printer-a4'],
      ['Imprimante A4', 'A4 printer', 'empreinte-printer-a4'],
      ['Imprimante', 'Printer', 'ademe-printer'],
      ['Baie de stockage', 'Storage array', 'empreinte-storage-array'],
      ['SAN', 'Storage array', 'empreinte-storage-array'],
      ['NAS', 'Storage', 'ademe-storage'],
      ['Onduleur', 'UPS', undefined],
      ['ASI', 'UPS', undefined],
    ];
    for (const [name, type, def] of cases) {
      expect(typeOf(name)?.type, name).toBe(type);
      expect(typeOf(name)?.defaultRefItem, name).toBe(def);
    }
    expect(typeOf('A3 multifunction printer')?.defaultLifespanYears).toBe(5);
    expect(typeOf('Storage array')?.defaultLifespanYears).toBe(5);
  });
  it('switch, router and firewall have no default consumption: no open figure (docs/referential.md)', () => {
    for (const n of ['ademe-switch', 'ademe-router', 'ademe-firewall']) expect(item(n).avgKWhPerYear).toBeUndefined();
  });
  it('fuzzy model matching of the new types stays among printers / SAN-NAS footprints', () => {
    // Boavizta subcategories: a Lexmark printer is "Printer", the OneStor "SAN/NAS", a MacBook "Laptop".
    expect(defaultCategoryCompatible('A3 multifunction printer', 'Printer')).toBe(true);
    expect(defaultCategoryCompatible('A4 printer', 'Printer')).toBe(true);
    expect(defaultCategoryCompatible('A4 printer', 'Laptop')).toBe(false);
    expect(defaultCategoryCompatible('Storage array', 'SAN/NAS')).toBe(true);
    expect(defaultCategoryCompatible('Storage array', 'Laptop')).toBe(false);
  });
});
