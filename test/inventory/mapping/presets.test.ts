/**
 * Every sample of ../shared/samples read AS IT IS through its auto-detected preset, with hand-written expectations
 * taken from the sample lines quoted in the comments (README: ../shared/samples/README.md).
 */
import { describe, expect, it } from 'vitest';
import { ok, readSample, rejected } from './helpers.js';

describe('GLPI 10 computers, fr_FR (glpi-computers-fr.csv: BOM, trailing ;, YYYY-MM-DD, Gio)', () => {
  it('recognises the preset and reads every data line', async () => {
    const { preset, rows } = await readSample('glpi-computers-fr.csv');
    expect(preset).toBe('glpi-computers');
    expect(rows.size).toBe(43); // README: 43 rows
  });

  it('maps types, models, dates, quantities, memory and disk', async () => {
    const { rows } = await readSample('glpi-computers-fr.csv');
    // Line 2: "PC-DDT-0101";…;"Laptop";"Latitude 5420";…;"16 Gio";"238.47 Gio";"2021-03-15";"2021-04-06";…
    expect(ok(rows, 2)).toMatchObject({
      name: 'PC-DDT-0101',
      type: 'Laptop',
      model: 'Latitude 5420',
      quantity: 1,
      country: 'France', // no Pays column: defaultCountry
      purchaseDate: '2021-03-15',
      status: 'En service',
      manufacturer: 'Dell Inc.',
      memoryGB: 16, // 16 GiB, memory kept in binary GB
      diskGB: 256, // 238.47 GiB × 1.073741824 = 256.05 GB → 256
      dataSource: 'GLPI',
      entity: 'Entité racine > DDT',
    });
    // Line 29: type "Notebook" → Laptop; Lenovo machine-type code kept as the model.
    expect(ok(rows, 29)).toMatchObject({ type: 'Laptop', model: '21CF004LFR' });
    // Line 34 (PC-SGCD-0999): only purchase date filled; no memory/disk.
    const l34 = ok(rows, 34);
    expect(l34).toMatchObject({ purchaseDate: '2022-09-28', status: 'En stock' });
    expect(l34.memoryGB).toBeUndefined();
    // Line 35: "(4127)", empty status, no financial data.
    const l35 = ok(rows, 35);
    expect(l35).toMatchObject({ name: '(4127)', type: 'Laptop' });
    expect(l35.status).toBeUndefined();
    expect(l35.purchaseDate).toBeUndefined();
    // Line 38: SRV-FIC-01, Rack Mount Chassis, decommission in the future, disk 6.99 Tio.
    expect(ok(rows, 38)).toMatchObject({
      type: 'Rack server',
      purchaseDate: '2019-12-10',
      retirementDate: '2026-06-30',
      memoryGB: 192,
      diskGB: 7686, // 6.99 × 1024⁴ / 10⁹ = 7685.59 → 7686
    });
  });

  it('rejects the virtual machines with the mapping reason', async () => {
    const { rows } = await readSample('glpi-computers-fr.csv');
    // Lines 40–42: VMware7,1 / VMware7,1 / Hyper-V Virtual Machine.
    for (const line of [40, 41, 42]) expect(rejected(rows, line)).toEqual(['INP_MAPPING_EXCLUDED:']);
    const vm = rows.get(40)!.errors[0]!;
    expect(vm.details.reason).toMatch(/virtual machine/);
    const kept = [...rows.values()].filter((r) => r.ok).length;
    expect(kept).toBe(40); // 43 − 3 virtual machines
  });

  it('uses the defaultCountry parameter', async () => {
    const { rows } = await readSample('glpi-computers-fr.csv', { defaultCountry: 'Belgium' });
    expect(ok(rows, 2).country).toBe('Belgium');
  });
});

describe('GLPI 11 computers, en_GB (glpi-computers-en.csv: no BOM, DD-MM-YYYY, 1,234.56, GiB)', () => {
  it('reads dates written DD-MM-YYYY and English sizes', async () => {
    const { preset, rows } = await readSample('glpi-computers-en.csv');
    expect(preset).toBe('glpi-computers');
    expect(rows.size).toBe(25);
    // Line 11: CCAS-PC-02;…;"Notebook";"21E3006BFR";…;"8 GiB";"238.47 GiB";"03-10-2022";"10-10-2022";…
    expect(ok(rows, 11)).toMatchObject({
      type: 'Laptop',
      model: '21E3006BFR',
      purchaseDate: '2022-10-03',
      memoryGB: 8,
      diskGB: 256,
    });
    // Line 20: SRV-HV-01, Rack Mount Chassis, 256 GiB, 6.99 TiB, 14-11-2022.
    expect(ok(rows, 20)).toMatchObject({
      type: 'Rack server',
      purchaseDate: '2022-11-14',
      memoryGB: 256,
      diskGB: 7686,
    });
    // Line 26: PC-SANS-INFOCOM, empty status, no financial data, 7.5 GiB → 8 (nearest), 476.94 GiB → 512.1 → 512.
    const l26 = ok(rows, 26);
    expect(l26).toMatchObject({ type: 'Laptop', memoryGB: 8, diskGB: 512 });
    expect(l26.purchaseDate).toBeUndefined();
    // Line 23: Hyper-V guest → excluded.
    expect(rejected(rows, 23)).toEqual(['INP_MAPPING_EXCLUDED:']);
  });
});

describe('GLPI monitors, network equipment, phones, printers (fr_FR)', () => {
  it('monitors: serial as name, Monitor type, meeting-room screen as TV, KVM console without model kept', async () => {
    const { preset, rows } = await readSample('glpi-monitors-fr.csv');
    expect(preset).toBe('glpi-monitors');
    expect(rows.size).toBe(26);
    // Line 2: "DELL P2422H" (EDID name, repeated on line 3) → serial CN0GJ3WF7444523B1XYL is the name.
    expect(ok(rows, 2)).toMatchObject({
      name: 'CN0GJ3WF7444523B1XYL',
      type: 'Monitor',
      model: 'DELL P2422H',
      quantity: 1,
    });
    expect(ok(rows, 3).name).toBe('CN0GJ3WF7444523B1Y2L');
    // Line 26: "Écran de visioconférence", QM65B → TV.
    expect(ok(rows, 26)).toMatchObject({ type: 'TV', model: 'QM65B', purchaseDate: '2023-03-08' });
    // Line 25: "Console KVM" with an empty Modèle → kept without a model (§2.4: an empty modele is legal; the
    // pipeline warns INP_MODEL_EMPTY and the item resolves from its type).
    expect(ok(rows, 25).model).toBeUndefined();
  });

  it('network: SNMP "Networking" typed from the model; manual types mapped; UPS kept as written', async () => {
    const { preset, rows } = await readSample('glpi-networkequipment-fr.csv');
    expect(preset).toBe('glpi-network-equipment');
    expect(rows.size).toBe(21);
    expect(ok(rows, 2)).toMatchObject({ type: 'Switch', model: 'C9200L-48P-4G' }); // Networking + C9200L
    expect(ok(rows, 11)).toMatchObject({ type: 'Firewall', model: 'FortiGate-100F' }); // "Pare-feu"
    expect(ok(rows, 13)).toMatchObject({ type: 'Router' }); // "Routeur", ISR4331/K9
    expect(ok(rows, 14)).toMatchObject({ type: 'Wi-Fi access point' }); // "Borne Wi-Fi"
    expect(ok(rows, 19)).toMatchObject({ type: 'Storage' }); // "Stockage", Synology RS1221+
    expect(ok(rows, 20)).toMatchObject({ type: 'Onduleur' }); // no UPS item type: left for INP_UNKNOWN_TYPE
    // Line 22: Networking, firmware "17.9.4a<br>17.6.5" (not mapped), C9200L → Switch.
    expect(ok(rows, 22)).toMatchObject({ type: 'Switch', purchaseDate: '2021-05-17' });
  });

  it('phones: smartphones, IP/DECT/conference phones; the almost empty line is kept without a model', async () => {
    const { preset, rows } = await readSample('glpi-phones-fr.csv');
    expect(preset).toBe('glpi-phones');
    expect(rows.size).toBe(22);
    expect(ok(rows, 2)).toMatchObject({ type: 'IP phone', model: 'CP-8841', purchaseDate: '2019-04-15' }); // Téléphone IP
    expect(ok(rows, 11)).toMatchObject({ type: 'IP phone', model: '8262 DECT Handset' }); // DECT
    expect(ok(rows, 13)).toMatchObject({ type: 'Smartphone', model: 'SM-A546B' });
    expect(ok(rows, 23)).toMatchObject({ type: 'IP phone', model: 'Trio 8500' }); // Pieuvre de conférence
    // Line 22: "MOB-SGCD-9999";…;"Smartphone";"" → no model: kept, resolved from its type (§2.4).
    expect(ok(rows, 22)).toMatchObject({ type: 'Smartphone' });
    expect(ok(rows, 22).model).toBeUndefined();
  });

  it('printers: every printer is the Printer type; the empty line is kept without a model', async () => {
    const { preset, rows } = await readSample('glpi-printers-fr.csv');
    expect(preset).toBe('glpi-printers');
    expect(rows.size).toBe(20);
    expect(ok(rows, 2)).toMatchObject({ name: 'NPI5F2BE10', type: 'Printer', model: 'HP LaserJet M507' });
    expect(ok(rows, 6)).toMatchObject({ retirementDate: '2024-06-30' });
    // Line 21: "Imprimante ''générique''" with every other cell empty: no model, kept as a Printer (§2.4).
    expect(ok(rows, 21)).toMatchObject({ type: 'Printer' });
    expect(ok(rows, 21).model).toBeUndefined();
  });
});

describe('OCS Inventory computers (ocs-computers.csv: unquoted header, CRLF before rows)', () => {
  it('types from the asset category or the model, RAM MiB rounded up to GiB, no dates', async () => {
    const { preset, rows } = await readSample('ocs-computers.csv');
    expect(preset).toBe('ocs-computers');
    expect(rows.size).toBe(25);
    // Line 2: "DDT";…;"PC-DDT-0101";"cmartin";…;"16076";…;"Latitude 5420";"09/12/2024";"Portables"
    const l2 = ok(rows, 2);
    expect(l2).toMatchObject({ name: 'PC-DDT-0101', type: 'Laptop', memoryGB: 16, quantity: 1, user: 'cmartin' });
    expect(l2.purchaseDate).toBeUndefined(); // BIOS date is not a purchase date
    // Line 9: RAM 8074 MiB = 7.88 GiB → 8.
    expect(ok(rows, 9).memoryGB).toBe(8);
    // Line 17: empty category, Lenovo machine type 11MY… (ThinkCentre) → Desktop; 7888 MiB → 8.
    expect(ok(rows, 17)).toMatchObject({ type: 'Desktop', model: '11MY003XFR', memoryGB: 8 });
    // Line 25: empty category and TAG, ASUS Vivobook → Laptop.
    expect(ok(rows, 25)).toMatchObject({ name: 'DESKTOP-7H3K2QF', type: 'Laptop' });
    // Line 24: VMware7,1 guest excluded.
    expect(rejected(rows, 24)).toEqual(['INP_MAPPING_EXCLUDED:']);
  });
});

describe('Intune devices (intune-devices.csv: comma, 51 columns)', () => {
  it('types from OS and model, serial as name, storage MB → GB, personal devices BYOD', async () => {
    const { preset, rows } = await readSample('intune-devices.csv');
    expect(preset).toBe('intune-devices');
    expect(rows.size).toBe(28);
    // Line 2: LENOVO 20W000T2FR, Windows, serial PF2K1ABC, Total storage 476102 MB → 476 GB.
    expect(ok(rows, 2)).toMatchObject({
      name: 'PF2K1ABC',
      type: 'Laptop',
      model: '20W000T2FR',
      diskGB: 476,
      country: 'France',
      quantity: 1,
      status: 'Managed',
    });
    // Line 17: PC-PERSO-4412, no serial → device name; Ownership Personal → BYOD.
    expect(ok(rows, 17)).toMatchObject({ name: 'PC-PERSO-4412', type: 'Laptop', usageMode: 'BYOD', diskGB: 487 });
    // Line 23: iOS/iPadOS "iPad (9th generation)" → Tablet; 60928 MB → 61 GB.
    expect(ok(rows, 23)).toMatchObject({ name: 'DMPGK1ABQ1GC', type: 'Tablet', diskGB: 61 });
    // Line 29: Android Pixel 8a → Smartphone, personal.
    expect(ok(rows, 29)).toMatchObject({ type: 'Smartphone', model: 'Pixel 8a', usageMode: 'BYOD' });
    expect([...rows.values()].every((r) => r.ok)).toBe(true);
  });
});
