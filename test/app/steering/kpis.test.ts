/**
 * State KPIs on a small inventory assessed with a referential built by hand (test/helpers/referential.ts); every
 * expected value is worked out below from the rules of docs/steering.md "State KPIs" and methodology F2/F3.
 *
 * Referential: Laptop (default lifetime 4), Desktop (5); electricity France 0.05 kg/kWh. Run: rcp, REEL, reference
 * date 2025-12-31, period 2025, F3 rule `category`.
 */
import { describe, expect, it } from 'vitest';
import { assess, type AssessInput } from '../../../src/app/assess.js';
import { memorySink } from '../../../src/app/sinks/memory.js';
import { pathSources } from '../../../src/app/sources.js';
import { campaignKpis } from '../../../src/app/steering/kpis.js';
import { loadCampaign } from '../../../src/app/steering/scenario.js';
import { climateRun, depsWith, inventoryDir } from '../../helpers/app.js';
import { testReferential } from '../../helpers/referential.js';

const ref = testReferential({
  items: {
    lap: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 100 } }, kwh: 20 },
    desk: { factors: { MANUFACTURING: { CLIMATE_CHANGE: 300 } }, kwh: 100 },
  },
  types: {
    Laptop: { lifespan: 4, defaultItem: 'lap', synonyms: ['Ordinateur portable'] },
    Desktop: { lifespan: 5, defaultItem: 'desk' },
  },
  electricity: { France: { CLIMATE_CHANGE: 0.05 } },
});
const deps = depsWith(ref, '2025-12-31');

const dir = await inventoryDir('empreinte-kpis-', {
  'entites.csv': ['nomEntite;nbCollaborateurs', 'A;10', 'B;4'],
  'equipements_physiques.csv': [
    'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;nomEntite;dateAchat;dateRetrait;dureeUsageInterne;dureeUsageAmont;tauxAchatReconditionne;dureeUsageAval;tauxReemploi;finDeVie',
    'L1;;Laptop;10;France;A;;;4;;;;;',
    'L2;;Ordinateur portable;6;France;A;2019-12-31;;;2;;;;',
    'L3;;Laptop;4;France;B;2021-01-01;2025-06-30;;;;;;don',
    'OUT;;Laptop;5;France;B;2020-01-01;2024-12-31;;;;;;Recyclage',
    'D1;;Desktop;4;France;B;;;5;3;0.5;2;0.25;',
    'D2;;Desktop;2;France;;;;5;;;;;recyclage',
  ],
});
const input: AssessInput = { sources: pathSources([dir]), run: climateRun('REEL') };

describe('State KPIs', () => {
  it('units, equipment per collaborator, shares and end of life, per campaign and per entity', async () => {
    const k = await campaignKpis(deps, input);
    // OUT was withdrawn before 2025: out of the period, not counted. Units: 10 + 6 + 4 + 4 + 2 = 26.
    expect(k.campaign.units).toBe(26);
    expect(k.campaign.headcount).toBe(14);
    expect(k.campaign.equipmentPerCollaborator).toBeCloseTo(26 / 14, 12);
    // refurbished: L2 has a dureeUsageAmont (6 × 1), D1 its rate 0.5 (4 × 0.5) → 8 of 26
    expect(k.campaign.refurbished.units).toBeCloseTo(8, 12);
    expect(k.campaign.refurbished.share).toBeCloseTo(8 / 26, 12);
    // reused: D1 dureeUsageAval 2 at tauxReemploi 0.25 → 4 × 0.25 = 1
    expect(k.campaign.reused.share).toBeCloseTo(1 / 26, 12);
    // finDeVie: L3 don (4), D2 recyclage (2); OUT is out of the period
    expect(k.campaign.endOfLife.units).toEqual({ reuse: 0, donation: 4, recycling: 2, unknown: 0 });
    expect(k.campaign.endOfLife.reuseOrDonationShare).toBeCloseTo(4 / 6, 12);

    const a = k.byEntity.find((e) => e.entity === 'A')!;
    const b = k.byEntity.find((e) => e.entity === 'B')!;
    expect(k.byEntity.map((e) => e.entity)).toEqual(['A', 'B']);
    expect(a.units).toBe(16);
    expect(a.equipmentPerCollaborator).toBeCloseTo(1.6, 12);
    expect(b.units).toBe(8);
    expect(b.equipmentPerCollaborator).toBeCloseTo(2, 12);
    expect(b.endOfLife.reuseOrDonationShare).toBe(1);
    expect(k.withoutEntity?.units).toBe(2);
    expect(k.withoutEntity?.equipmentPerCollaborator).toBeNull();
  });

  it('average lifetime per type, retained vs expected, quantity-weighted (F2 + F3 category rule)', async () => {
    const k = await campaignKpis(deps, input);
    // F3 Laptop: rows with an upstream life: L2, 6 of the 6 + 10 + 4 = 20 units in the period (OUT, out of the
    // period, is out of every count, §2.2) → p = 0.3, mean upstream 2 → +0.6 year on every Laptop without its own
    // rate. L1: no dates → dureeUsageInterne 4 → 4.6. L2: in service, age 2019-12-31 → 2025-12-31 = 2192 days / 365
    // = 6.005479 > 4 → 6.605479. L3: retired, dates 2021-01-01 → 2025-06-30 = 1461 + 180 = 1641 days / 365 =
    // 4.495890 → 5.095890.
    const laptop = (10 * 4.6 + 6 * (2192 / 365 + 0.6) + 4 * (1641 / 365 + 0.6)) / 20;
    const l = k.campaign.lifetimeByType.find((t) => t.type === 'Laptop')!;
    expect(l.quantity).toBe(20);
    expect(l.retainedYears).toBeCloseTo(laptop, 9);
    expect(l.expectedYears).toBeCloseTo(4, 12); // dureeUsageInterne 4 (L1), type default 4 (L2, L3)
    expect(l.gapYears).toBeCloseTo(laptop - 4, 9);
    // Desktop: D1 5 + its rate 0.5 × mean upstream 3 = 1.5 + reuse 0.25 × 2 = 0.5 → 7; D2 5 + the type's share of
    // refurbished purchases 4/6 × 3 = 2 → 7. Expected 5 both.
    const d = k.campaign.lifetimeByType.find((t) => t.type === 'Desktop')!;
    expect(d.retainedYears).toBeCloseTo(7, 9);
    expect(d.expectedYears).toBe(5);
  });

  it('footprint per collaborator = the entity total of assess / its headcount; headcounts can be given', async () => {
    const sink = memorySink({ rows: false });
    const full = await assess(deps, input, sink);
    const byEntity = full.totals.by['entity']!;
    const k = await campaignKpis(deps, input, { headcounts: { A: 20 } });
    const a = k.byEntity.find((e) => e.entity === 'A')!;
    expect(a.headcount).toBe(20);
    expect(a.footprint[0]!.perCollaborator).toBeCloseTo(byEntity['A']!['CLIMATE_CHANGE']! / 20, 9);
    const b = k.byEntity.find((e) => e.entity === 'B')!;
    expect(b.footprint[0]!.perCollaborator).toBeCloseTo(byEntity['B']!['CLIMATE_CHANGE']! / 4, 9);
    expect(k.campaign.headcount).toBe(24);
    expect(k.campaign.footprint[0]!.perCollaborator).toBeCloseTo(full.totals.byCriterion[0]!.value / 24, 9);
  });

  it('a finDeVie outside réemploi, don, recyclage, inconnu: INP_BAD_ENUM naming file, line and column', async () => {
    const bad = await inventoryDir('empreinte-kpis-bad-', {
      'equipements_physiques.csv': [
        'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;finDeVie',
        'X;;Laptop;1;France;broyage',
        'Y;;Laptop;1;France;Réemploi',
      ],
    });
    const lenient = await loadCampaign(deps, { ...input, sources: pathSources([bad]) });
    const found = lenient.files[0]!.issues.find((i) => i.code === 'INP_BAD_ENUM');
    expect(found).toMatchObject({ line: 2, column: 'finDeVie', severity: 'W' });
    expect(found?.file).toMatch(/equipements_physiques\.csv$/);
    // lenient: the value is dropped with the warning, the line kept; 'Réemploi' is read as reuse
    expect(lenient.inventory.physical.map((p) => p.endOfLife)).toEqual([undefined, 'reuse']);
    const strict = await loadCampaign(deps, { ...input, sources: pathSources([bad]), strict: true });
    expect(strict.inventory.physical.map((p) => p.name)).toEqual(['Y']);
    expect(strict.files[0]!.issues.find((i) => i.code === 'INP_BAD_ENUM')).toMatchObject({ line: 2, severity: 'R' });
  });
});
