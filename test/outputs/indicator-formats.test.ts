/**
 * NumEcoEval / G4IT indicator rows (src/outputs/indicator-formats.ts) from hand-built IndicatorRows. Column lists are
 * checked against the sources named in the module (copied here by hand from NumEcoEval's schema and G4IT's
 * csv-headers.yml), and every expected cell is written out.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorRow, RunMeta } from '../../src/engine/index.js';
import { csvRecord } from '../../src/formats/csv-write.js';
import { issue } from '../../src/issues/catalogue.js';
import {
  G4IT_INDICATOR_COLUMNS,
  g4itIndicator,
  indicatorExportContext,
  NUMECOEVAL_INDICATOR_COLUMNS,
  numecoevalIndicator,
  timestampText,
  type IndicatorExportContext,
} from '../../src/outputs/indicator-formats.js';

const ctx: IndicatorExportContext = {
  batchName: 'lot-2025',
  batchDate: '2025-06-30',
  organisation: 'CHU Exemple',
  calculationDate: new Date(Date.UTC(2026, 11, 6, 21, 54, 38, 5)),
  calculationVersion: 'empreinte 0.1.0',
  source: 'empreinte-pack 2025.1',
  dataSource: 'GLPI',
  sip: (c) => (c === 'CLIMATE_CHANGE' ? 2000 : undefined),
};

const laptopUse: IndicatorRow = {
  kind: 'physical-equipment',
  item: 'PC-001',
  entity: 'DSI',
  lifecycleStep: 'USE',
  criterion: 'CLIMATE_CHANGE',
  value: 12.5,
  unit: 'kg CO2 eq',
  status: 'OK',
  tier: 'TERMINAL',
};

describe('column lists', () => {
  it('match NumEcoEval physical-equipment indicator table (numecoeval-ihm export order)', () => {
    expect(NUMECOEVAL_INDICATOR_COLUMNS.ind_indicateur_impact_equipement_physique.join(';')).toBe(
      'date_calcul;date_lot;nom_lot;etapeacv;critere;source;statut_indicateur;trace;version_calcul;conso_elec_moyenne;' +
        'impact_unitaire;quantite;statut_equipement_physique;type_equipement;unite;nom_entite;nom_organisation;' +
        'nom_source_donnee;nom_equipement;date_lot_discriminator;nom_organisation_discriminator;' +
        'nom_entite_discriminator;nom_source_donnee_discriminator',
    );
  });

  it('match G4IT physicalEquipmentIndicator headers (csv-headers.yml)', () => {
    expect(G4IT_INDICATOR_COLUMNS.ind_physical_equipment.join(';')).toBe(
      'inventoryName;calculationDate;batchDate;batchName;acvStep;criteria;source;indicatorStatus;trace;' +
        'calculationVersion;averagePowerConsumption;unitImpact;quantity;physicalEquipmentStatus;equipmentType;unit;' +
        'entityName;organizationName;dataSourceName;equipmentName;entityNameDiscriminator;batchDateDiscriminator;' +
        'organizationNameDiscriminator;dataSourceNameDiscriminator;sipImpact',
    );
    expect(G4IT_INDICATOR_COLUMNS.ind_virtual_equipment).toHaveLength(27);
    expect(G4IT_INDICATOR_COLUMNS.ind_application).toHaveLength(27);
  });
});

describe('numecoevalIndicator', () => {
  it('maps a physical-equipment USE row: FR step code, criterion label, electricity on USE', () => {
    const out = numecoevalIndicator(laptopUse, ctx, {
      quantity: 2,
      type: 'Laptop',
      equipmentStatus: 'In use',
      electricityKWh: 35,
    });
    expect(out?.table).toBe('ind_indicateur_impact_equipement_physique');
    expect(out?.cells).toEqual([
      '2026-12-06T21:54:38.005',
      '2025-06-30',
      'lot-2025',
      'UTILISATION',
      'Climate change',
      'empreinte-pack 2025.1',
      'OK',
      '',
      'empreinte 0.1.0',
      35,
      12.5,
      2,
      'In use',
      'Laptop',
      'kg CO2 eq',
      'DSI',
      'CHU Exemple',
      'GLPI',
      'PC-001',
      '2025-06-30',
      'CHU Exemple',
      'DSI',
      'GLPI',
    ]);
  });

  it('maps an error: empty value, code and message in trace; electricity only on USE rows', () => {
    const row: IndicatorRow = {
      ...laptopUse,
      lifecycleStep: 'MANUFACTURING',
      criterion: 'RESOURCE_USE',
      unit: 'kg Sb eq',
      value: 0,
      status: 'ERROR',
      errorCode: 'CALC_FACTOR_MISSING',
      errorMessage: issue('CALC_FACTOR_MISSING', {
        item: 'ademe-laptop',
        step: 'MANUFACTURING',
        criterion: 'RESOURCE_USE',
      }),
    };
    const out = numecoevalIndicator(row, ctx, { electricityKWh: 35 })!;
    const cols = NUMECOEVAL_INDICATOR_COLUMNS.ind_indicateur_impact_equipement_physique;
    const at = (c: (typeof cols)[number]) => out.cells[cols.indexOf(c)];
    expect(at('etapeacv')).toBe('FABRICATION');
    expect(at('critere')).toBe('Resource use (minerals and metals)');
    expect(at('statut_indicateur')).toBe('ERROR');
    expect(at('impact_unitaire')).toBeUndefined();
    expect(at('conso_elec_moyenne')).toBeUndefined();
    expect(String(at('trace'))).toMatch(/^CALC_FACTOR_MISSING: ./);
  });

  it('maps virtual equipment and applications to their tables with their hosts', () => {
    const vm: IndicatorRow = {
      ...laptopUse,
      kind: 'virtual-equipment',
      item: 'vm-1',
      lifecycleStep: 'END_OF_LIFE',
      physicalEquipment: 'host-1',
    };
    const v = numecoevalIndicator(vm, ctx, { cluster: 'c1' })!;
    expect(v.table).toBe('ind_indicateur_impact_equipement_virtuel');
    const vc = NUMECOEVAL_INDICATOR_COLUMNS.ind_indicateur_impact_equipement_virtuel;
    expect(
      [vc.indexOf('nom_equipement'), vc.indexOf('nom_equipement_virtuel'), vc.indexOf('cluster')].map(
        (i) => v.cells[i],
      ),
    ).toEqual(['host-1', 'vm-1', 'c1']);
    expect(v.cells[vc.indexOf('etapeacv')]).toBe('FIN_DE_VIE');

    const app: IndicatorRow = {
      ...laptopUse,
      kind: 'application',
      item: 'Dossier patient',
      lifecycleStep: 'DISTRIBUTION',
      virtualEquipment: 'vm-1',
      physicalEquipment: 'host-1',
    };
    const a = numecoevalIndicator(app, ctx, { environment: 'Production', domain: 'Soins' })!;
    expect(a.table).toBe('ind_indicateur_impact_application');
    const ac = NUMECOEVAL_INDICATOR_COLUMNS.ind_indicateur_impact_application;
    const pick = (names: (typeof ac)[number][]) => names.map((n) => a.cells[ac.indexOf(n)]);
    expect(
      pick([
        'etapeacv',
        'nom_application',
        'type_environnement',
        'nom_equipement_physique',
        'nom_equipement_virtuel',
        'domaine',
      ]),
    ).toEqual(['DISTRIBUTION', 'Dossier patient', 'Production', 'host-1', 'vm-1', 'Soins']);
  });

  it('leaves out non-IT items and aggregate steps (no code in NumEcoEval); keeps messaging without a step', () => {
    expect(numecoevalIndicator({ ...laptopUse, kind: 'non-it' }, ctx)).toBeUndefined();
    expect(numecoevalIndicator({ ...laptopUse, lifecycleStep: 'EMBODIED' }, ctx)).toBeUndefined();
    const mail = numecoevalIndicator(
      { ...laptopUse, kind: 'messaging', item: 'DSI', lifecycleStep: 'WHOLE_LIFE' },
      ctx,
      { monthYear: '2025-03-01', mailCount: 1000, mailVolume: 250 },
    )!;
    expect(mail.table).toBe('ind_indicateur_impact_messagerie');
    expect(mail.cells.slice(0, 16)).toEqual([
      '2026-12-06T21:54:38.005',
      '2025-06-30',
      'lot-2025',
      'CHU Exemple',
      'GLPI',
      'Climate change',
      '2025-03-01',
      'DSI',
      'empreinte-pack 2025.1',
      'OK',
      '',
      'empreinte 0.1.0',
      12.5,
      'kg CO2 eq',
      1000,
      250,
    ]);
  });
});

describe('g4itIndicator', () => {
  it('maps a physical-equipment row with G4IT step codes and the SIP share', () => {
    const out = g4itIndicator({ ...laptopUse, lifecycleStep: 'DISTRIBUTION' }, ctx, { quantity: 2, type: 'Laptop' });
    expect(out?.file).toBe('ind_physical_equipment');
    expect(out?.cells).toEqual([
      'lot-2025',
      '2026-12-06T21:54:38.005',
      '2025-06-30',
      'lot-2025',
      'TRANSPORTATION',
      'Climate change',
      'empreinte-pack 2025.1',
      'OK',
      '',
      'empreinte 0.1.0',
      undefined, // electricity: USE rows only
      12.5,
      2,
      undefined,
      'Laptop',
      'kg CO2 eq',
      'DSI',
      'CHU Exemple',
      'GLPI',
      'PC-001',
      'DSI',
      '2025-06-30',
      'CHU Exemple',
      'GLPI',
      0.00625, // 12.5 / 2000
    ]);
    expect(csvRecord(out!.cells).split(';')).toHaveLength(25);
  });

  it('uses USING for USE, leaves out messaging, non-IT and aggregate steps', () => {
    const out = g4itIndicator(laptopUse, ctx)!;
    expect(out.cells[G4IT_INDICATOR_COLUMNS.ind_physical_equipment.indexOf('acvStep')]).toBe('USING');
    expect(g4itIndicator({ ...laptopUse, kind: 'messaging' }, ctx)).toBeUndefined();
    expect(g4itIndicator({ ...laptopUse, kind: 'non-it' }, ctx)).toBeUndefined();
    expect(g4itIndicator({ ...laptopUse, lifecycleStep: 'WHOLE_LIFE' }, ctx)).toBeUndefined();
    // No SIP for the criterion: empty.
    const acid = g4itIndicator({ ...laptopUse, criterion: 'ACIDIFICATION', unit: 'mol H+ eq' }, ctx)!;
    expect(acid.cells.at(-1)).toBeUndefined();
    expect(acid.cells[5]).toBe('Acidification');
  });

  it('fills virtual-equipment cloud fields', () => {
    const vm: IndicatorRow = { ...laptopUse, kind: 'virtual-equipment', item: 'vm-9', physicalEquipment: '' };
    const out = g4itIndicator(vm, ctx, {
      infrastructureType: 'CLOUD_SERVICES',
      provider: 'aws',
      instanceType: 'm5.large',
    })!;
    const cols = G4IT_INDICATOR_COLUMNS.ind_virtual_equipment;
    expect(out.file).toBe('ind_virtual_equipment');
    expect(
      ['virtualEquipmentName', 'infrastructureType', 'provider', 'instanceType'].map(
        (c) => out.cells[cols.indexOf(c as never)],
      ),
    ).toEqual(['vm-9', 'CLOUD_SERVICES', 'aws', 'm5.large']);
  });
});

describe('context', () => {
  it('is built from the run metadata', () => {
    const meta = {
      engine: { name: 'empreinte', version: '0.1.0' },
      profile: 'rcp',
      referenceDate: '2025-06-30',
      lifetimeMethod: 'REEL',
      period: { start: '2024-07-01', end: '2025-06-30', shares: true },
      referential: { id: 'empreinte-pack', version: '2025.1', hash: 'x', layers: [] },
      criteria: ['CLIMATE_CHANGE'],
      steps: ['USE'],
      organisation: 'CHU Exemple',
    } as RunMeta;
    const c = indicatorExportContext(meta, '2026-12-06T00:00:00.000');
    expect(c).toEqual({
      batchName: 'empreinte-2025-06-30',
      batchDate: '2025-06-30',
      organisation: 'CHU Exemple',
      calculationDate: '2026-12-06T00:00:00.000',
      calculationVersion: 'empreinte 0.1.0',
      source: 'empreinte-pack 2025.1',
    });
    expect(timestampText(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('2025-01-02T03:04:05.000');
  });
});
