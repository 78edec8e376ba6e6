/**
 * Build the embedded default referential pack (methodology §6, §8) from the open datasets in `shared/data/`:
 *
 *   npm run referential:build [-- --data <dir>] [-- --out <dir>]
 *
 * Defaults: data = `../shared/data` relative to the repository (or $EMPREINTE_DATA_DIR), out =
 * `referential/empreinte-default`. The output is deterministic (sorted rows, sorted keys, no timestamps) and
 * committed. Every value carries its source, licence and vintage; rows from datasets under share-alike licences
 * (ODbL, CC BY-SA) are written to their own files.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { CRITERIA, STEP_LABELS, ALL_STEPS, foldKey, type StepCode } from '../src/referential/codes.js';
import { normaliseLocation } from '../src/referential/countries.js';
import { HYPOTHESES } from '../src/referential/hypotheses.js';
import type {
  CloudInstanceRow,
  CloudPlatformRow,
  CloudProvider,
  CloudRegion,
  CpuSpec,
  CriterionEntry,
  ElectricityFactor,
  FactorRow,
  Hypothesis,
  ItemType,
  NetworkType,
  Normalisation,
  Provenance,
  ReferentialLayer,
  ServerHost,
  Tier,
} from '../src/referential/model.js';
import { DEFAULT_PACK_ID, serialisePack, sha256, writePack, type PackMeta } from '../src/referential/pack.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACK_VERSION = '1.0.0';
const LAYER = `embedded:${DEFAULT_PACK_ID}`;

// ------------------------------------------------------------------------------------------------------------------
// Files of the pack (one per licence family, §8: ODbL and CC BY-SA data stay separate files)
// ------------------------------------------------------------------------------------------------------------------
const F = {
  criteria: 'criteria.json',
  hypotheses: 'hypotheses.json',
  itemTypes: 'item-types.json',
  ademe: 'items-ademe.json',
  network: 'items-network.json',
  footprints: 'items-boavizta-footprints.json',
  extras: 'items-equipment-extras.json',
  elecAdeme: 'electricity-ademe.json',
  elecEmber: 'electricity-ember.json',
  elecBoavizta: 'electricity-boavizta.json',
  normalisation: 'normalisation.json',
  g4itServices: 'g4it-digital-service.json',
  cloud: 'cloud-boavizta.json',
  cpus: 'cpu-specs-boavizta.json',
} as const;

const FILE_DESCRIPTIONS: Record<string, string> = {
  [F.criteria]: 'Criteria (§1.3) and lifecycle steps (§1.2)',
  [F.hypotheses]: 'Hypotheses (§3.6, §6): PUE, lifetimes, usage shares, household sizes, box shares',
  [F.itemTypes]: 'Item types with default reference items, lifespans, tiers and FR/EN synonyms (§6)',
  [F.ademe]:
    'ADEME reference items (ACV-NUM 2.1.0, step split, kWh per F17) with Boavizta multi-criteria EMBODIED factors; datacenter equipment; documented proxies',
  [F.network]: 'Network per-GB factors (ACV-NUM transmission par défaut, source NegaOctet), WHOLE_LIFE',
  [F.footprints]:
    'Boavizta environmental-footprint-data manufacturer product footprints (ODbL 1.0 / DbCL 1.0), EMBODIED CLIMATE_CHANGE',
  [F.extras]:
    'A4 printers, A3 multifunction printers and storage arrays from shared/data/equipment-extras (medians of manufacturer declarations, device share only: paper and supplies excluded); ODbL 1.0 (derived from Boavizta environmental-footprint-data)',
  [F.elecAdeme]: 'Electricity CLIMATE_CHANGE factor, dataset ademe (France)',
  [F.elecEmber]: 'Electricity CLIMATE_CHANGE factors, dataset ember (Ember via CO2.js, CC BY-SA)',
  [F.elecBoavizta]: 'Electricity CLIMATE_CHANGE factors, dataset boavizta (crowdsourcing/electrical_mix.csv)',
  [F.normalisation]: 'People-equivalent divisors (F18, JRC 2019 via G4IT)',
  [F.g4itServices]:
    'G4IT digital-service tables: network types (F11, ref_network_type.csv, fixed-line capacities) and the S/M/L server hosts (ref_server_host.csv)',
  [F.cloud]:
    'Boavizta cloud archetypes (F15): providers, instance types → platform, bare-metal platforms (server.csv), regions → country',
  [F.cpus]: 'Boavizta CPU catalogue (F16 die size and cores, F17 TDP and range): crowdsourcing/cpu_specs.csv',
};

// ------------------------------------------------------------------------------------------------------------------
// Citations
// ------------------------------------------------------------------------------------------------------------------
const ACV = 'npm @incubateur-ademe/publicodes-acv-numerique@2.1.0: publicodes-acv-numerique.model.json';
const ACV_LIC = 'MIT';
const ACV_VINTAGE = 'ACV-NUM 2.1.0 (ADEME–Arcep 2022 / Base Empreinte)';
const BOA_FACTORS = 'Boavizta/boaviztapi@15878f0 (v2.4.1): boaviztapi/data/factors.yml';
const BOA_LIC = 'AGPL-3.0-only (Boavizta); upstream ADEME Base Empreinte';
const BOA_MIX = 'Boavizta/boaviztapi@15878f0 (v2.4.1): boaviztapi/data/crowdsourcing/electrical_mix.csv';
const EFD = 'Boavizta/environmental-footprint-data@61323eb: boavizta-data-us.csv';
const EFD_LIC = 'ODbL-1.0 (database) / DbCL-1.0 (contents)';
const EMBER = 'thegreenwebfoundation/co2.js@27cbe83: data/output/average-intensities.json (Ember yearly average)';
const EMBER_LIC = 'CC-BY-4.0 (Ember); republished by CO2.js under CC-BY-SA';
const G4IT_DATA = 'teamg4it/g4it: services/backend/src/main/resources/db/changelog/referential-data';
const G4IT_LIC = 'Apache-2.0';
const IMPACTCO2 = 'incubateur-ademe/impactco2@8076a48: src/data/categories/numerique.json';
const ADEME_2025 =
  'ADEME, Évaluation de l’impact environnemental du numérique en France (2022 data), Table 5 (mirror DISIC/MiNumEco: public/docs/2024/etude-ademe-impacts-environnementaux-numerique.pdf)';
const CCF_PUE = 'cloud-carbon-footprint/cloud-carbon-footprint: microsite/docs/HowItWorks/Methodology.md';
const SPEC = 'empreinte methodology.md';
/** G4IT's digital-service tables (Apache-2.0), transcribed (methodology §6 "transcribe"). */
const G4IT_DS_DATA = 'G4ITTeam/g4it@ece60a2: services/backend/src/main/resources/db/changelog/data';

const prov = (file: string, source: string, licence: string, vintage?: string): Provenance => ({
  source,
  licence,
  vintage,
  layer: LAYER,
  file,
});

// ------------------------------------------------------------------------------------------------------------------
// Input reading with hashes
// ------------------------------------------------------------------------------------------------------------------
interface InputRec {
  path: string;
  sha256: string;
  origin?: string;
  licence?: string;
}

class Inputs {
  readonly list: InputRec[] = [];
  constructor(readonly dataDir: string) {}
  async text(rel: string, origin: string, licence: string): Promise<string> {
    const buf = await readFile(join(this.dataDir, rel));
    this.list.push({ path: rel, sha256: sha256(buf), origin, licence });
    return buf.toString('utf8');
  }
}

const num = (s: string | undefined, what: string): number => {
  const v = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(v))
    throw new Error(`build: ${what} is not a number: '${s}'`);
  return v;
};

// ------------------------------------------------------------------------------------------------------------------
// ACV-NUM devices
// ------------------------------------------------------------------------------------------------------------------
type Rules = Record<string, unknown>;

function ruleValue(rules: Rules, name: string): number {
  const r = rules[name] as { valeur?: unknown } | undefined;
  if (!r || typeof r.valeur !== 'number') throw new Error(`build: ACV-NUM rule '${name}' has no numeric value`);
  return r.valeur;
}

/** §6 "Terminals and peripherals": pack name → ACV-NUM rule prefix. */
const ADEME_DEVICES: readonly { name: string; rule: string; label: string; tier: Tier }[] = [
  { name: 'ademe-laptop', rule: 'acv . ordinateur portable', label: 'Laptop (ADEME)', tier: 'TERMINAL' },
  {
    name: 'ademe-desktop',
    rule: 'acv . ordinateur fixe',
    label: 'Desktop without screen, personal use (ADEME)',
    tier: 'TERMINAL',
  },
  {
    name: 'ademe-desktop-pro',
    rule: 'acv . ordinateur fixe pro',
    label: 'Desktop without screen, professional use (ADEME)',
    tier: 'TERMINAL',
  },
  { name: 'ademe-monitor', rule: 'acv . écran', label: 'Computer monitor, 24 inches (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-smartphone', rule: 'acv . smartphone', label: 'Smartphone (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-tablet', rule: 'acv . tablette', label: 'Tablet (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-tv', rule: 'acv . TV', label: 'Television, 48 inches (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-box', rule: 'acv . box', label: 'Internet box / modem, xDSL/FTTx (ADEME)', tier: 'NETWORK' },
  { name: 'ademe-printer', rule: 'acv . imprimante', label: 'Printer (ADEME)', tier: 'TERMINAL' },
  {
    name: 'ademe-external-hdd',
    rule: 'acv . disque dur externe',
    label: 'External hard disk drive, 1700 GB (ADEME)',
    tier: 'TERMINAL',
  },
  { name: 'ademe-external-ssd', rule: 'acv . SSD externe', label: 'External SSD, 870 GB (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-usb-key', rule: 'acv . clé USB', label: 'USB key (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-connected-speaker', rule: 'acv . enceinte', label: 'Connected speaker (ADEME)', tier: 'TERMINAL' },
  { name: 'ademe-console', rule: 'acv . console de salon', label: 'Game console (ADEME)', tier: 'TERMINAL' },
  {
    name: 'ademe-portable-console',
    rule: 'acv . console portable',
    label: 'Portable game console (ADEME)',
    tier: 'TERMINAL',
  },
];

/** §6 multi-criteria table: pack item → Boavizta factors.yml device key and variant (`pro` for laptop, desktop, TV, choice). */
const BOAVIZTA_DEVICE: Record<string, { key: string; variant?: 'pro' | 'perso' }> = {
  'ademe-laptop': { key: 'LAPTOP', variant: 'pro' },
  'ademe-desktop': { key: 'DESKTOP', variant: 'pro' },
  'ademe-desktop-pro': { key: 'DESKTOP', variant: 'pro' },
  'ademe-monitor': { key: 'MONITOR' },
  'ademe-smartphone': { key: 'SMARTPHONE' },
  'ademe-tablet': { key: 'TABLET' },
  'ademe-tv': { key: 'TELEVISION', variant: 'pro' },
  'ademe-box': { key: 'BOX' },
  'ademe-server': { key: 'SERVER' },
};
/** The four other mandatory criteria (§6): Boavizta key → criterion. WATER_USE (`wu`) is never loaded (negative values). */
const BOAVIZTA_CRITERIA: Record<string, string> = {
  adpe: 'RESOURCE_USE',
  ap: 'ACIDIFICATION',
  pm: 'PARTICULATE_MATTER',
  ir: 'IONISING_RADIATION',
};

interface ItemAttrs {
  description: string;
  tier: Tier;
  category: string;
  unit?: FactorRow['unit'];
  avgKWhPerYear?: number;
  activePowerW?: number;
  dailyHours?: number;
  lifespanYears?: number;
  /** Source of avgKWhPerYear / activePowerW when it is not the factor's (the trace of the electricity cites it). */
  kwhProv?: Provenance;
}

function rowsFor(
  item: string,
  attrs: ItemAttrs,
  factors: { step: StepCode; criterion: string; value: number; prov: Provenance }[],
): FactorRow[] {
  return factors.map((f) => ({ item, ...attrs, step: f.step, criterion: f.criterion, value: f.value, prov: f.prov }));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ------------------------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------------------------
export async function buildDefaultPack(dataDir: string): Promise<{ layer: ReferentialLayer; meta: PackMeta }> {
  const inp = new Inputs(dataDir);
  const skipped: PackMeta['skipped'] = [];

  // --- criteria and steps -----------------------------------------------------------------------------------------
  const critProv = prov(
    F.criteria,
    `${SPEC} §1.3 (${G4IT_DATA}/ref_criterion.csv; Boavizta/boaviztapi: boaviztapi/models/impact.py)`,
    G4IT_LIC,
  );
  const criteria: CriterionEntry[] = CRITERIA.map((c) => ({
    code: c.code,
    label: c.label,
    unit: c.unit,
    prov: critProv,
  }));
  const stepProv = prov(F.criteria, `${SPEC} §1.2 (${G4IT_DATA}/ref_lifecycle_step.csv)`, G4IT_LIC);
  const steps = ALL_STEPS.map((code) => ({ code, label: STEP_LABELS[code], prov: stepProv }));

  // --- hypotheses -------------------------------------------------------------------------------------------------
  const hypotheses: Hypothesis[] = HYPOTHESES.map((h) => ({
    code: h.code,
    value: h.defaults.rcp,
    unit: h.unit || undefined,
    description: h.description,
    prov: prov(F.hypotheses, h.source, h.licence),
  }));
  const hyp = (
    code: string,
    value: number | string,
    unit: string | undefined,
    description: string,
    source: string,
    licence: string,
    vintage?: string,
  ) => hypotheses.push({ code, value, unit, description, prov: prov(F.hypotheses, source, licence, vintage) });
  hyp(
    'PUE_FR_public_entreprise',
    1.93,
    undefined,
    'Mean PUE of French public and enterprise datacenters, 2022.',
    ADEME_2025,
    'cite (ADEME)',
    '2022',
  );
  hyp(
    'PUE_FR_colocation',
    1.55,
    undefined,
    'Mean PUE of French colocation datacenters, 2022.',
    ADEME_2025,
    'cite (ADEME)',
    '2022',
  );
  hyp(
    'PUE_FR_hyperscale',
    1.17,
    undefined,
    'Mean PUE of hyperscale datacenters used from France, 2022.',
    ADEME_2025,
    'cite (ADEME)',
    '2022',
  );
  hyp(
    'PUE_FR_moyenne',
    1.63,
    undefined,
    'Weighted mean PUE of French datacenters, 2022 (§9 #7).',
    ADEME_2025,
    'cite (ADEME)',
    '2022',
  );
  hyp(
    'PUE_cloud_AWS',
    1.135,
    undefined,
    'AWS PUE used for cloud instances in profile rcp (F15).',
    CCF_PUE,
    'Apache-2.0',
  );
  hyp('PUE_cloud_GCP', 1.1, undefined, 'GCP PUE used for cloud instances in profile rcp (F15).', CCF_PUE, 'Apache-2.0');
  hyp(
    'PUE_cloud_AZURE',
    1.185,
    undefined,
    'Azure PUE used for cloud instances in profile rcp (F15).',
    CCF_PUE,
    'Apache-2.0',
  );
  hyp(
    'electricitySource',
    'ademe,ember',
    undefined,
    'Electricity datasets tried in order for CLIMATE_CHANGE: ademe (France 0.0519, Base Empreinte 2024), then ember (yearly averages, every other country). Switch with --electricity <ademe|ember|boavizta>.',
    `${SPEC} §6 "Electricity" and §9 #2 (choice)`,
    'AGPL-3.0-or-later (project choice)',
  );

  // --- ACV-NUM devices, datacenter equipment, network ---------------------------------------------------------------
  const rules = JSON.parse(
    await inp.text(
      'publicodes-acv-numerique/publicodes-acv-numerique.model.json',
      'npm @incubateur-ademe/publicodes-acv-numerique@2.1.0',
      ACV_LIC,
    ),
  ) as Rules;
  const joursParAn = ruleValue(rules, 'publicodes-commun . jours par an');
  const factors = JSON.parse(
    await inp.text(
      'boavizta/boaviztapi/factors.json',
      'Boavizta/boaviztapi@15878f0 boaviztapi/data/factors.yml (as JSON)',
      'AGPL-3.0-only',
    ),
  ) as Record<string, Record<string, unknown>>;

  const factorRows: FactorRow[] = [];
  const boaviztaEmbodied = (item: string): { step: StepCode; criterion: string; value: number; prov: Provenance }[] => {
    const spec = BOAVIZTA_DEVICE[item];
    if (!spec) return [];
    const dev = factors[spec.key];
    if (!dev) throw new Error(`build: factors.yml has no ${spec.key}`);
    const out: { step: StepCode; criterion: string; value: number; prov: Provenance }[] = [];
    for (const [key, criterion] of Object.entries(BOAVIZTA_CRITERIA)) {
      const entry = dev[key] as
        | Record<string, { impact: number | null; source?: string }>
        | { impact: number | null; source?: string }
        | undefined;
      const cell = (
        spec.variant
          ? (entry as Record<string, { impact: number | null; source?: string }> | undefined)?.[spec.variant]
          : entry
      ) as { impact: number | null; source?: string } | undefined;
      if (!cell || typeof cell.impact !== 'number') throw new Error(`build: factors.yml ${spec.key}.${key} missing`);
      if (cell.impact < 0) {
        skipped.push({
          what: `${item} ${criterion} (Boavizta ${spec.key}.${key})`,
          count: 1,
          reason: `negative value ${cell.impact}`,
        });
        continue;
      }
      out.push({
        step: 'EMBODIED',
        criterion,
        value: cell.impact,
        prov: prov(
          F.ademe,
          `${BOA_FACTORS} (${spec.key}.${key}${spec.variant ? '.' + spec.variant : ''}) ← ${cell.source ?? 'https://base-empreinte.ademe.fr/'}`,
          BOA_LIC,
          'boaviztapi 2.4.1',
        ),
      });
    }
    return out;
  };

  for (const d of ADEME_DEVICES) {
    const g = (step: string) => ruleValue(rules, `${d.rule} . carbone . ${step}`) / 1000; // gCO2e → kg
    const w = ruleValue(rules, `${d.rule} . consommation en mode actif`);
    const h = ruleValue(rules, `${d.rule} . profil utilisation théorique`);
    const life = ruleValue(rules, `${d.rule} . durée de vie théorique`);
    // F17 device rule (ACV-NUM `consommation annuelle`): E = W × h/day × 365 / 1000.
    const kwh = (w * h * joursParAn) / 1000;
    const p = (what: string) => prov(F.ademe, `${ACV} (${d.rule} . ${what})`, ACV_LIC, ACV_VINTAGE);
    const attrs: ItemAttrs = {
      description:
        `${d.label}; ${(rules[d.rule] as { description?: string } | undefined)?.description?.trim() ?? ''}`.replace(
          /; $/,
          '',
        ),
      tier: d.tier,
      category: 'IT equipment',
      avgKWhPerYear: kwh,
      activePowerW: w,
      dailyHours: h,
      lifespanYears: life,
    };
    factorRows.push(
      ...rowsFor(d.name, attrs, [
        {
          step: 'MANUFACTURING',
          criterion: 'CLIMATE_CHANGE',
          value: g('fabrication'),
          prov: p('carbone . fabrication'),
        },
        {
          step: 'DISTRIBUTION',
          criterion: 'CLIMATE_CHANGE',
          value: g('distribution'),
          prov: p('carbone . distribution'),
        },
        { step: 'END_OF_LIFE', criterion: 'CLIMATE_CHANGE', value: g('fin de vie'), prov: p('carbone . fin de vie') },
        ...boaviztaEmbodied(d.name),
      ]),
    );
  }

  // Datacenter equipment (ACV-NUM data center rules): MANUFACTURING only, 5-year life.
  const dc = (name: string, rule: string, label: string, extra: Partial<ItemAttrs>) => {
    const value = ruleValue(rules, `${rule} . construction`) / 1000;
    const life = ruleValue(rules, `${rule} . durée de vie`);
    factorRows.push(
      ...rowsFor(
        name,
        { description: label, tier: 'DATACENTER', category: 'IT equipment', lifespanYears: life, ...extra },
        [
          {
            step: 'MANUFACTURING',
            criterion: 'CLIMATE_CHANGE',
            value,
            prov: prov(F.ademe, `${ACV} (${rule} . construction)`, ACV_LIC, ACV_VINTAGE),
          },
          ...boaviztaEmbodied(name),
        ],
      ),
    );
  };
  const serverAvgW = ruleValue(rules, 'serveur . puissance');
  dc(
    'ademe-server',
    'serveur',
    `Server (ADEME): ${serverAvgW} W average ("source Borderstep") → ${serverAvgW} × 8760 / 1000 kWh/yr; ${ruleValue(rules, 'serveur . puissance en mode actif')} W active`,
    {
      avgKWhPerYear: (serverAvgW * 24 * joursParAn) / 1000,
      activePowerW: ruleValue(rules, 'serveur . puissance en mode actif'),
      kwhProv: prov(F.ademe, `${ACV} (serveur . puissance; serveur . puissance en mode actif)`, ACV_LIC, ACV_VINTAGE),
    },
  );
  dc('ademe-switch', 'switch', 'Datacenter switch (ADEME); no power figure in the source', {});
  dc('ademe-router', 'routeur', 'Datacenter router (ADEME); no power figure in the source', {});
  dc('ademe-firewall', 'firewall', 'Datacenter firewall (ADEME); no power figure in the source', {});
  const storageW = ruleValue(rules, 'stockage . puissance en mode actif');
  dc(
    'ademe-storage',
    'stockage',
    `Datacenter storage bay (ADEME): ${storageW} W active, 24 h/day (choice: always on)`,
    {
      activePowerW: storageW,
      dailyHours: 24,
      avgKWhPerYear: (storageW * 24 * joursParAn) / 1000,
    },
  );
  dc(
    'ademe-dc-support-equipment',
    'équipements support',
    'Datacenter support equipment (ADEME), per m² of IT room (the factor is per m², not per item)',
    {},
  );

  // Documented proxies where ADEME has no item.
  const copyItem = (from: string, to: string, description: string, tier: Tier) => {
    const src = factorRows.filter((r) => r.item === from);
    for (const r of src) {
      factorRows.push({
        ...r,
        item: to,
        description,
        tier,
        prov: { ...r.prov, source: `proxy = ${from}: ${r.prov.source}` },
      });
    }
  };
  copyItem(
    'ademe-box',
    'empreinte-wifi-access-point',
    'Wi-Fi access point. PROXY: ADEME internet box (acv . box: modem with Wi-Fi radio, 8 W × 24 h/day); no open ADEME or Boavizta access-point factor exists (choice)',
    'NETWORK',
  );
  const phone = (
    JSON.parse(
      await inp.text(
        'impactco2/numerique.json',
        'incubateur-ademe/impactco2@8076a48 src/data/categories/numerique.json',
        'MIT',
      ),
    ) as {
      slug: string;
      ecv?: { id: number; value: number }[];
      end?: number;
      usage?: { defaultyears?: number };
    }[]
  ).find((x) => x.slug === 'telephonebasique');
  if (!phone) throw new Error('build: impactco2 numerique.json has no telephonebasique');
  const phoneBuild = phone.ecv?.find((e) => e.id === 5)?.value;
  if (phoneBuild === undefined || phone.end === undefined)
    throw new Error('build: telephonebasique lacks construction or end of life');
  const ipDesc =
    'IP desk phone. PROXY: ADEME basic phone (Impact CO2 "Téléphone basique": construction 23.3 kg, end of life 0.1 kg; the record has no distribution stage and no use-phase power), so DISTRIBUTION and average kWh are absent (choice)';
  factorRows.push(
    ...rowsFor(
      'empreinte-ip-phone',
      { description: ipDesc, tier: 'TERMINAL', category: 'IT equipment', lifespanYears: 8 },
      [
        {
          step: 'MANUFACTURING',
          criterion: 'CLIMATE_CHANGE',
          value: phoneBuild,
          prov: prov(
            F.ademe,
            `proxy = ${IMPACTCO2} (telephonebasique ecv id 5 "Construction")`,
            'MIT',
            'numerique.json (ADEME–Arcep 2022)',
          ),
        },
        {
          step: 'END_OF_LIFE',
          criterion: 'CLIMATE_CHANGE',
          value: phone.end,
          prov: prov(
            F.ademe,
            `proxy = ${IMPACTCO2} (telephonebasique end)`,
            'MIT',
            'numerique.json (ADEME–Arcep 2022)',
          ),
        },
      ],
    ),
  );

  // Network per GB (§6 Network): gCO2e/GB → kg, WHOLE_LIFE, not amortised.
  const NETWORK: [string, string, string][] = [
    ['FIXED_FR', 'facteur réseau fixe FR', 'Fixed network France, including the box, per GB'],
    ['FIXED_FR_NO_BOX', 'facteur réseau fixe FR hors box', 'Fixed network France, excluding the box, per GB'],
    ['MOBILE_FR', 'facteur réseau mobile FR', 'Mobile network France, per GB'],
    ['FIXED_EU', 'facteur réseau fixe EU', 'Fixed network Europe, including the box, per GB'],
    ['FIXED_EU_NO_BOX', 'facteur réseau fixe EU hors box', 'Fixed network Europe, excluding the box, per GB'],
    ['MOBILE_EU', 'facteur réseau mobile EU', 'Mobile network Europe, per GB'],
  ];
  for (const [name, rule, label] of NETWORK) {
    const full = `transmission par défaut . ${rule}`;
    factorRows.push(
      ...rowsFor(
        name,
        { description: `${label} (ACV-NUM, "source Negaoctet")`, tier: 'NETWORK', category: 'Network', unit: 'GB' },
        [
          {
            step: 'WHOLE_LIFE',
            criterion: 'CLIMATE_CHANGE',
            value: ruleValue(rules, full) / 1000,
            prov: prov(F.network, `${ACV} (${full}) ← NegaOctet`, ACV_LIC, ACV_VINTAGE),
          },
        ],
      ),
    );
  }

  // --- Boavizta manufacturer product footprints (ODbL) ---------------------------------------------------------------
  const efd = parse(
    await inp.text(
      'boavizta/environmental-footprint-data/boavizta-data-us.csv',
      'Boavizta/environmental-footprint-data@61323eb boavizta-data-us.csv',
      EFD_LIC,
    ),
    { columns: true, skip_empty_lines: true },
  ) as Record<string, string>[];
  let noRatio = 0;
  const seen = new Map<string, string>();
  let dups = 0;
  const thin: { embodied: number; kwh?: number }[] = [];
  for (const r of efd) {
    const name = `${r.manufacturer!.trim()} ${r.name!.trim()}`;
    if (!r.gwp_use_ratio?.trim()) {
      noRatio++;
      continue;
    }
    const total = num(r.gwp_total, `${name} gwp_total`);
    const ratio = num(r.gwp_use_ratio, `${name} gwp_use_ratio`);
    const embodied = total * (1 - ratio);
    const kwh = r.yearly_tec?.trim() ? num(r.yearly_tec, `${name} yearly_tec`) : undefined;
    const life = r.lifetime?.trim() ? num(r.lifetime, `${name} lifetime`) : undefined;
    const fingerprint = JSON.stringify([embodied, kwh, life, r.subcategory]);
    if (seen.has(name)) {
      if (seen.get(name) !== fingerprint) throw new Error(`build: two different footprint records named '${name}'`);
      dups++;
      continue;
    }
    seen.set(name, fingerprint);
    if (/thin client/i.test(r.subcategory ?? '')) thin.push({ embodied, kwh });
    const tier: Tier =
      r.category === 'Datacenter' ? 'DATACENTER' : r.subcategory === 'Network' ? 'NETWORK' : 'TERMINAL';
    factorRows.push(
      ...rowsFor(
        name,
        {
          description:
            `${r.category}/${r.subcategory}; manufacturer PCF ${r.report_date ?? ''}: gwp_total ${total} kg × (1 − gwp_use_ratio ${ratio}); ${r.sources ?? ''}`.trim(),
          tier,
          category: r.subcategory ?? '',
          avgKWhPerYear: kwh,
          lifespanYears: life,
        },
        [
          {
            step: 'EMBODIED',
            criterion: 'CLIMATE_CHANGE',
            value: embodied,
            prov: prov(
              F.footprints,
              `${EFD} (sources_hash ${r.sources_hash}) ← ${r.sources}`,
              EFD_LIC,
              r.report_date || undefined,
            ),
          },
        ],
      ),
    );
  }
  skipped.push({
    what: 'Boavizta environmental-footprint-data records without gwp_use_ratio',
    count: noRatio,
    reason: 'embodied share gwp_total × (1 − gwp_use_ratio) cannot be computed (§6)',
  });
  skipped.push({
    what: 'Boavizta environmental-footprint-data duplicate records',
    count: dups,
    reason: 'same manufacturer and name with identical values (only sources_hash/added_date differ); first kept',
  });
  // Thin client proxy: median of the Boavizta thin-client records (ODbL-derived, kept in the ODbL file).
  const thinEmb = median(thin.map((t) => t.embodied));
  const thinKwh = median(thin.filter((t) => t.kwh !== undefined).map((t) => t.kwh!));
  factorRows.push(
    ...rowsFor(
      'empreinte-thin-client',
      {
        description: `Thin client. PROXY: median of the ${thin.length} thin-client manufacturer footprints of Boavizta environmental-footprint-data (embodied = gwp_total × (1 − gwp_use_ratio); kWh = median yearly_tec); ADEME has no thin-client item (choice)`,
        tier: 'TERMINAL',
        category: 'Thin client',
        avgKWhPerYear: thinKwh,
        lifespanYears: 6,
      },
      [
        {
          step: 'EMBODIED',
          criterion: 'CLIMATE_CHANGE',
          value: thinEmb,
          prov: prov(
            F.footprints,
            `proxy = median over ${EFD} subcategory "Thin client"`,
            EFD_LIC,
            '2019–2023 reports',
          ),
        },
      ],
    ),
  );

  // --- Equipment extras: A4 printers, A3 MFPs, storage arrays (shared/data/equipment-extras) -------------------------
  // Each default is the median of the per-model rows of equipment-extras.csv for its class, leaving out the folder's
  // own TYPICAL rows (we recompute them) and the rows it marks as having no licence (EcoInfo ecodiag: cited facts, some
  // of them marked as unfinished in their own source). Every row used counts the device only: for the Lexmark EPDs, the non-use share of the PCF
  // (their use share includes paper and supplies); for the Konica Minolta and Canon declarations, the non-use stages
  // (copy paper excluded, recycling credits not taken). Derived from ODbL rows, so the file stays under ODbL.
  const extras = parse(
    await inp.text(
      'equipment-extras/equipment-extras.csv',
      'shared/data/equipment-extras/equipment-extras.csv (see its SOURCES.md; collected 2026-12-06)',
      'mixed per row: ODbL-1.0 / DbCL-1.0 (Boavizta), MIT (ADEME), manufacturer declarations cited as facts',
    ),
    { columns: true, delimiter: ';', skip_empty_lines: true },
  ) as Record<string, string>[];
  const extraRows = (subcategories: readonly string[], metric: string, itemPrefix?: string) => {
    const rows = extras.filter(
      (r) =>
        subcategories.includes(r.subcategory ?? '') &&
        r.metric === metric &&
        !(r.item ?? '').startsWith('TYPICAL') &&
        !/no licence/i.test(r.licence ?? '') &&
        (itemPrefix === undefined || (r.item ?? '').startsWith(itemPrefix)),
    );
    if (rows.length === 0)
      throw new Error(`build: equipment-extras has no ${metric} row for ${subcategories.join('/')}`);
    return rows;
  };
  // 12 significant digits: the median of two decimals is written as 18.98, not 18.979999999999997.
  const extraMedian = (rows: Record<string, string>[], what: string) =>
    Number(median(rows.map((r) => num(r.value, `equipment-extras ${r.item} ${what}`))).toPrecision(12));
  const extraSource = (rows: Record<string, string>[], metric: string) => {
    const refs = [...new Set(rows.map((r) => (r.source_url_or_repo_path ?? '').split(' | ')[0]!.trim()))].sort();
    const names = rows.map((r) => `${r.item} ${r.value}`).join(', ');
    return `${rows.length === 1 ? '' : `median of ${rows.length} rows `}shared/data/equipment-extras/equipment-extras.csv ${metric} [${names}] ← ${refs.join('; ')}`;
  };
  const extraVintage = (rows: Record<string, string>[]) => {
    const ys = rows.map((r) => Number(/\d{4}/.exec(r.year ?? '')?.[0])).filter((y) => Number.isFinite(y));
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    return ys.length === 0 ? undefined : lo === hi ? String(lo) : `${lo}–${hi}`;
  };
  const EXTRAS_LIC =
    'ODbL-1.0 / DbCL-1.0 (derived from Boavizta environmental-footprint-data); manufacturer declarations cited as facts';
  const extraItem = (
    name: string,
    description: string,
    sel: { subcategories: readonly string[]; itemPrefix?: string },
    lifespanYears: number,
    tier: Tier,
  ) => {
    const emb = extraRows(sel.subcategories, 'embodied_gwp_kg', sel.itemPrefix);
    const kwh = extraRows(sel.subcategories, 'yearly_kwh', sel.itemPrefix);
    const embodied = extraMedian(emb, 'embodied');
    const avgKWhPerYear = extraMedian(kwh, 'kWh');
    factorRows.push(
      ...rowsFor(
        name,
        {
          description: `${description}. Embodied ${embodied} kg CO2e; yearly consumption ${avgKWhPerYear} kWh from ${extraSource(kwh, 'yearly_kwh')}`,
          tier,
          category: 'IT equipment',
          avgKWhPerYear,
          lifespanYears,
        },
        [
          {
            step: 'EMBODIED',
            criterion: 'CLIMATE_CHANGE',
            value: embodied,
            prov: prov(F.extras, extraSource(emb, 'embodied_gwp_kg'), EXTRAS_LIC, extraVintage(emb)),
          },
        ],
      ),
    );
  };
  extraItem(
    'empreinte-printer-a4',
    'A4 laser printer or A4 multifunction printer (mono and colour): median of the device share (manufacturing, transport, end of life; paper and supplies excluded) of the Lexmark EPDs in Boavizta environmental-footprint-data; kWh = median TEC-based yearly consumption (US use)',
    { subcategories: ['a4_laser_mono', 'a4_laser_colour'], itemPrefix: 'Lexmark' },
    5,
    'TERMINAL',
  );
  extraItem(
    'empreinte-printer-a3-mfp',
    'A3 multifunction printer / copier: median of the non-use stages of 4 manufacturer declarations (Lexmark CX924dxe EPD, Konica Minolta EcoLeaf 95 ppm mono and 65 ppm colour, Canon CFP colour MFP; copy paper excluded, recycling credits not taken); kWh = Lexmark CX924dxe TEC-based yearly consumption, the only licensed per-model figure',
    { subcategories: ['a3_mfp'] },
    5,
    'TERMINAL',
  );
  extraItem(
    'empreinte-storage-array',
    'SAN / storage array. PROXY: Seagate OneStor SP2584 Extensible Storage Platform (the only open per-array footprint; non-use share of its LCA, lifetime 10 yr in the study), whatever the drive count (choice)',
    { subcategories: ['san_nas'], itemPrefix: 'Seagate OneStor' },
    5,
    'DATACENTER',
  );

  // --- Item types (§6 "Default item types") ------------------------------------------------------------------------
  const itemTypes: ItemType[] = [];
  const G4IT_DEV = `${G4IT_DATA}/ref_device_type.csv (ADEME–Arcep lifespans)`;
  const t = (
    type: string,
    o: {
      item?: string;
      life?: number;
      lifeSource: string;
      tier?: Tier;
      server?: boolean;
      synonyms: string[];
      category: string;
      comment?: string;
    },
  ) =>
    itemTypes.push({
      type,
      category: o.category,
      isServer: o.server ?? false,
      defaultLifespanYears: o.life,
      defaultRefItem: o.item,
      tier: o.tier,
      comment: o.comment,
      synonyms: o.synonyms,
      prov: prov(
        F.itemTypes,
        `${SPEC} §6 "Default item types"; lifespan: ${o.lifeSource}`,
        'Apache-2.0 (G4IT lifespans); MIT (ACV-NUM)',
      ),
    });
  t('Laptop', {
    item: 'ademe-laptop',
    life: 5,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Ordinateur portable',
      'PC portable',
      'Portable',
      'Notebook',
      'Laptop computer',
      'Ultrabook',
      'Ordinateur portable pro',
      'Portable PC',
    ],
  });
  t('Desktop', {
    item: 'ademe-desktop-pro',
    life: 6,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Ordinateur fixe',
      'PC fixe',
      'Ordinateur de bureau',
      'Unité centrale',
      'Unite centrale',
      'Desktop computer',
      'Desktop PC',
      'Poste de travail',
      'Workstation',
      'Station de travail',
      'PC',
    ],
  });
  t('Thin client', {
    item: 'empreinte-thin-client',
    life: 6,
    lifeSource: 'choice: same as Desktop (G4IT ref_device_type.csv, 6 yr)',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Client léger', 'Client leger', 'Zero client', 'Terminal léger', 'Thin-client'],
  });
  t('Monitor', {
    item: 'ademe-monitor',
    life: 6,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Écran', 'Ecran', "Écran d'ordinateur", 'Moniteur', 'Screen', 'Display', 'Computer monitor'],
  });
  t('Smartphone', {
    item: 'ademe-smartphone',
    life: 2.5,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Téléphone mobile',
      'Telephone mobile',
      'Téléphone portable',
      'Mobile phone',
      'Mobile',
      'Cell phone',
      'Cellphone',
      'GSM',
      'Ordiphone',
    ],
  });
  t('Tablet', {
    item: 'ademe-tablet',
    life: 3,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Tablette', 'Tablette tactile', 'Tablet computer'],
  });
  t('Printer', {
    item: 'ademe-printer',
    life: 5,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Imprimante', 'Imprimante jet d’encre', "Imprimante jet d'encre", 'Inkjet printer'],
  });
  t('A4 printer', {
    item: 'empreinte-printer-a4',
    life: 5,
    lifeSource: G4IT_DEV + ' ("printer")',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Imprimante A4',
      'Imprimante laser',
      'Imprimante laser A4',
      'Laser printer',
      'A4 laser printer',
      'Imprimante multifonction A4',
      'Multifonction A4',
      'A4 multifunction printer',
      'A4 MFP',
      'MFP A4',
    ],
  });
  t('A3 multifunction printer', {
    item: 'empreinte-printer-a3-mfp',
    life: 5,
    lifeSource: G4IT_DEV + ' ("printer")',
    tier: 'TERMINAL',
    category: 'Terminal',
    // A bare "multifonction" / MFP is taken as the departmental A3 copier-MFP (choice): an A4 MFP is named as such
    // (A4 printer synonyms); the opposite default would count an A3 copier ~50 times too little (issue 8).
    comment: 'A bare "Imprimante multifonction" / MFP resolves here (choice); A4 MFPs: type A4 printer',
    synonyms: [
      'Imprimante multifonction',
      'Multifonction',
      'Multifunction printer',
      'MFP',
      'Imprimante multifonction A3',
      'Multifonction A3',
      'A3 MFP',
      'MFP A3',
      'Imprimante A3',
      'A3 printer',
      'Copieur',
      'Copieur A3',
      'Copieur multifonction',
      'Photocopieur',
      'Copier',
      'Photocopier',
    ],
  });
  t('IP phone', {
    item: 'empreinte-ip-phone',
    life: 8,
    lifeSource: `${G4IT_DEV} ("landline" 8 yr)`,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Téléphone IP',
      'Telephone IP',
      'Téléphone fixe',
      'Telephone fixe',
      'Desk phone',
      'VoIP phone',
      'Landline phone',
      'Landline',
      'Poste téléphonique',
    ],
  });
  t('Box', {
    item: 'ademe-box',
    life: 5,
    lifeSource: G4IT_DEV + ' ("set-top box")',
    tier: 'NETWORK',
    category: 'Network',
    synonyms: ['Internet box', 'Box internet', 'Box ADSL', 'Box fibre', 'Modem', 'Livebox', 'Freebox'],
  });
  t('TV', {
    item: 'ademe-tv',
    life: 8,
    lifeSource: 'ACV-NUM acv . TV . durée de vie théorique',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Télévision', 'Television', 'Téléviseur', 'Televiseur', 'Télé', 'Smart TV'],
  });
  t('External storage', {
    item: 'ademe-external-hdd',
    life: 5,
    lifeSource: G4IT_DEV + ' ("external storage")',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [
      'Disque dur externe',
      'External hard drive',
      'External HDD',
      'External drive',
      'Stockage externe',
      'Disque externe',
    ],
  });
  t('External SSD', {
    item: 'ademe-external-ssd',
    life: 5,
    lifeSource: G4IT_DEV + ' ("external storage")',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['SSD externe', 'Portable SSD'],
  });
  t('USB key', {
    item: 'ademe-usb-key',
    life: 5,
    lifeSource: 'ACV-NUM acv . clé USB . durée de vie théorique',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Clé USB', 'Cle USB', 'USB stick', 'USB flash drive', 'Clef USB'],
  });
  t('Connected speaker', {
    item: 'ademe-connected-speaker',
    life: 5,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Enceinte connectée', 'Enceinte connectee', 'Smart speaker'],
  });
  t('Console', {
    item: 'ademe-console',
    life: 6,
    lifeSource: 'ACV-NUM acv . console de salon . durée de vie théorique',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Console de salon', 'Game console', 'Console de jeux'],
  });
  t('Portable console', {
    item: 'ademe-portable-console',
    life: 6.5,
    lifeSource: G4IT_DEV,
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: ['Console portable', 'Handheld console'],
  });
  const SERVER_LIFE = 'ACV-NUM serveur . durée de vie (5 yr, rcp; §9 #9)';
  t('Server', {
    item: 'ademe-server',
    life: 5,
    lifeSource: SERVER_LIFE,
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur', 'Serveur physique', 'Physical server', 'Bare metal server'],
  });
  t('Rack server', {
    item: 'ademe-server',
    life: 5,
    lifeSource: SERVER_LIFE,
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur rack', 'Serveur en rack', 'Rack-mounted server'],
  });
  t('Blade server', {
    item: 'ademe-server',
    life: 5,
    lifeSource: SERVER_LIFE,
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur lame', 'Blade', 'Lame'],
  });
  t('Tower server', {
    item: 'ademe-server',
    life: 5,
    lifeSource: SERVER_LIFE,
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur tour'],
  });
  const DC_LIFE = 'ACV-NUM <équipement> . durée de vie (5 yr)';
  t('Storage', {
    item: 'ademe-storage',
    life: 5,
    lifeSource: DC_LIFE,
    tier: 'DATACENTER',
    category: 'Datacenter',
    comment: 'ADEME storage unit (144 kg, 6 W): one drive-sized unit or a small NAS, not an array (use Storage array)',
    synonyms: ['Stockage', 'NAS', 'Serveur de stockage NAS'],
  });
  t('Storage array', {
    item: 'empreinte-storage-array',
    life: 5,
    lifeSource: DC_LIFE,
    tier: 'DATACENTER',
    category: 'Datacenter',
    synonyms: [
      'Baie de stockage',
      'Baie SAN',
      'Baie de disques',
      'Storage bay',
      'SAN',
      'SAN array',
      'Disk array',
      'Baie NAS',
      'NAS filer',
    ],
  });
  t('UPS', {
    lifeSource: 'none: no open UPS lifespan or footprint (shared/data/equipment-extras/SOURCES.md §9)',
    category: 'Infrastructure',
    comment:
      'No open embodied figure per UPS or per kVA and no per-unit consumption (losses depend on the load): no default item; give a matching row to a referential item, and consoElecAnnuelle outside a datacenter (inside one the losses are in the PUE)',
    synonyms: [
      'Onduleur',
      'ASI',
      'Alimentation sans interruption',
      'Alimentation statique sans interruption',
      'Uninterruptible power supply',
      'Uninterruptible power source',
    ],
  });
  t('Switch', {
    item: 'ademe-switch',
    life: 5,
    lifeSource: DC_LIFE,
    tier: 'DATACENTER',
    category: 'Network',
    synonyms: ['Commutateur', 'Network switch', 'Switch réseau'],
  });
  t('Router', {
    item: 'ademe-router',
    life: 5,
    lifeSource: DC_LIFE,
    tier: 'DATACENTER',
    category: 'Network',
    synonyms: ['Routeur'],
  });
  t('Firewall', {
    item: 'ademe-firewall',
    life: 5,
    lifeSource: DC_LIFE,
    tier: 'DATACENTER',
    category: 'Network',
    synonyms: ['Pare-feu', 'Pare feu', 'Coupe-feu'],
  });
  t('Wi-Fi access point', {
    item: 'empreinte-wifi-access-point',
    life: 5,
    lifeSource: 'choice: same as Box (G4IT ref_device_type.csv)',
    tier: 'NETWORK',
    category: 'Network',
    synonyms: [
      'Borne Wi-Fi',
      'Borne wifi',
      "Point d'accès Wi-Fi",
      "Point d'accès",
      'Access point',
      'Wireless access point',
      'WiFi AP',
      'WAP',
    ],
  });
  t('Terminal', {
    lifeSource: 'none (G4IT digital-service type, no default item)',
    tier: 'TERMINAL',
    category: 'Terminal',
    synonyms: [],
  });
  t('Network', {
    lifeSource: 'none (G4IT digital-service type, no default item)',
    tier: 'NETWORK',
    category: 'Network',
    synonyms: ['Réseau', 'Reseau'],
  });
  t('Shared Server', {
    lifeSource: 'none (G4IT digital-service type, no default item)',
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur mutualisé'],
  });
  t('Dedicated Server', {
    lifeSource: 'none (G4IT digital-service type, no default item)',
    tier: 'DATACENTER',
    server: true,
    category: 'Server',
    synonyms: ['Serveur dédié'],
  });
  // No synonym may name two types.
  const owner = new Map<string, string>();
  for (const it of itemTypes) {
    for (const n of [it.type, ...(it.synonyms ?? [])]) {
      const k = foldKey(n);
      if (owner.has(k) && owner.get(k) !== it.type)
        throw new Error(`build: type name '${n}' given to ${owner.get(k)} and ${it.type}`);
      owner.set(k, it.type);
    }
  }

  // --- Electricity (CLIMATE_CHANGE only, §6) -------------------------------------------------------------------------
  const electricity: ElectricityFactor[] = [];
  const loc = (codeOrName: string, fallbackName?: string): { key: string; label: string } => {
    const n = normaliseLocation(codeOrName) ?? (fallbackName ? normaliseLocation(fallbackName) : undefined);
    if (n) return n;
    return { key: foldKey(fallbackName ?? codeOrName), label: fallbackName ?? codeOrName };
  };
  const frMix = ruleValue(rules, 'publicodes-commun . mix électrique . empreinte carbone');
  electricity.push({
    location: 'FR',
    locationLabel: 'France',
    criterion: 'CLIMATE_CHANGE',
    valuePerKWh: frMix,
    dataset: 'ademe',
    prov: prov(
      F.elecAdeme,
      `${ACV} (publicodes-commun . mix électrique . empreinte carbone) ← ADEME Base Empreinte "Electricité/2024 - mix moyen/consommation", smoothed 2021–2024`,
      ACV_LIC,
      '2024',
    ),
  });
  const ember = JSON.parse(
    await inp.text(
      'co2js/average-intensities.json',
      'thegreenwebfoundation/co2.js@27cbe83 data/output/average-intensities.json',
      EMBER_LIC,
    ),
  ) as Record<
    string,
    { country_code: string; country_or_region: string; year: number; emissions_intensity_gco2_per_kwh: number }
  >;
  const emberKeys = new Set<string>();
  for (const [k, e] of Object.entries(ember)) {
    if (!e.country_code && e.country_or_region === 'Europe') {
      // §6 (choice): `Europe` maps to `EU`; Ember's wider-Europe aggregate would collide with it.
      skipped.push({
        what: `Ember region 'Europe' (${e.emissions_intensity_gco2_per_kwh} g/kWh, ${e.year})`,
        count: 1,
        reason: 'the location Europe resolves to EU (§6, choice); the EU entry is embedded instead',
      });
      continue;
    }
    const l = e.country_code ? loc(e.country_code, e.country_or_region) : loc(e.country_or_region);
    if (emberKeys.has(l.key)) throw new Error(`build: two Ember entries for location ${l.key} (${k})`);
    emberKeys.add(l.key);
    electricity.push({
      location: l.key,
      locationLabel: e.country_or_region,
      criterion: 'CLIMATE_CHANGE',
      valuePerKWh: num(String(e.emissions_intensity_gco2_per_kwh), `Ember ${k}`) / 1000,
      dataset: 'ember',
      prov: prov(F.elecEmber, `${EMBER} (${k})`, EMBER_LIC, String(e.year)),
    });
  }
  const mixRows = parse(
    await inp.text('boavizta/boaviztapi/crowdsourcing/electrical_mix.csv', BOA_MIX, 'AGPL-3.0-only'),
    {
      relax_column_count: false,
    },
  ) as string[][];
  const header = mixRows[0]!;
  const countryNames = mixRows[1]!;
  const col = (n: string) => header.indexOf(n);
  const gwpRows = mixRows.slice(2).filter((r) => r[col('name')] === 'gwp');
  const p1 = gwpRows.find((r) => r[col('priority')] === '1');
  const p2 = gwpRows.filter((r) => r[col('priority')] === '2');
  if (!p1 || p2.length !== 2)
    throw new Error('build: electrical_mix.csv gwp rows not as expected (1 × priority 1, 2 × priority 2)');
  let baseImpactsOnly = 0;
  const boaKeys = new Set<string>();
  for (let c = col('name') + 1; c < header.length; c++) {
    const zone = header[c]!;
    const pick = [p1, ...p2].find((r) => (r[c] ?? '').trim() !== '');
    if (!pick) {
      baseImpactsOnly++;
      continue;
    }
    const zoneName = (countryNames[c] ?? zone).trim();
    const l = zone === 'WOR' ? loc('World') : zone === 'EEE' ? loc('EU') : loc(zone, zoneName);
    if (boaKeys.has(l.key)) throw new Error(`build: two Boavizta zones for location ${l.key} (${zone})`);
    boaKeys.add(l.key);
    electricity.push({
      location: l.key,
      locationLabel: zoneName,
      criterion: 'CLIMATE_CHANGE',
      valuePerKWh: num(pick[c], `electrical_mix ${zone}`),
      dataset: 'boavizta',
      prov: prov(
        F.elecBoavizta,
        `${BOA_MIX} (gwp, zone ${zone}, priority ${pick[col('priority')]}) ← ${pick[col('source')]}`,
        'AGPL-3.0-only (Boavizta); upstream Scarlat et al. 2022 / Ember',
        pick[col('reference_year')],
      ),
    });
  }
  skipped.push({
    what: 'Boavizta electricity zones with only a Base IMPACTS (priority 3) climate value',
    count: baseImpactsOnly,
    reason: 'ADEME Base IMPACTS terms are restrictive: not enabled (§8)',
  });
  skipped.push({
    what: 'Electricity factors of criteria other than CLIMATE_CHANGE (Base IMPACTS 2.01 via Boavizta)',
    count: mixRows.slice(2).filter((r) => r[col('name')] !== 'gwp').length,
    reason: 'not redistributable (§6, §8); available when the user loads a NumEcoEval/G4IT referential containing them',
  });
  skipped.push({
    what: 'Boavizta device WATER_USE factors',
    count: 1,
    reason: 'negative values, water is phase 2 (§6, §9 #22)',
  });
  skipped.push({
    what: 'Electricity Maps yearly intensities (co2js/electricity-maps)',
    count: 5,
    reason: 'optional ODbL dataset, not embedded in this pack',
  });

  // --- People-equivalent (F18) -----------------------------------------------------------------------------------
  const SIP: [string, number][] = [
    ['CLIMATE_CHANGE', 851.25],
    ['PARTICULATE_MATTER', 6.45e-5],
    ['IONISING_RADIATION', 65875],
    ['ACIDIFICATION', 125],
    ['RESOURCE_USE', 0.027375],
    ['OZONE_DEPLETION', 6.74e-2],
    ['HUMAN_TOXICITY_CANCER', 1.2e-4],
    ['HUMAN_TOXICITY_NON_CANCER', 5.13e-4],
    ['PHOTOCHEMICAL_OZONE_FORMATION', 50.9],
    ['EUTROPHICATION_TERRESTRIAL', 766],
    ['EUTROPHICATION_FRESHWATER', 0.726],
    ['EUTROPHICATION_MARINE', 25.2],
    ['ECOTOXICITY_FRESHWATER', 1.64e4],
    ['LAND_USE', 1.09e6],
    ['RESOURCE_USE_FOSSILS', 2.8e4],
  ];
  const normalisation: Normalisation[] = SIP.map(([criterion, v]) => ({
    criterion,
    perPersonPerYear: v,
    prov: prov(
      F.normalisation,
      `${G4IT_DATA}/ref_sustainable_individual_package.csv (planetary boundary / 8e9; JRC, Consumption and Consumer Footprint, 2019)`,
      G4IT_LIC,
      'JRC 2019',
    ),
  }));
  skipped.push({
    what: 'WATER_USE people-equivalent divisor',
    count: 1,
    reason: 'the G4IT row copies RESOURCE_USE (§9 #22)',
  });

  // --- G4IT digital-service tables: network types (F11) and server hosts -------------------------------------------
  const { networkTypes, serverHosts } = g4itServiceTables();

  // --- Boavizta cloud archetypes and CPU catalogue (F15, F16, F17) ---------------------------------------------------
  const cloud = await buildCloud(inp, skipped);

  const layer: ReferentialLayer = {
    name: LAYER,
    criteria,
    steps,
    hypotheses,
    itemTypes,
    factorRows,
    electricity,
    matchings: [],
    messaging: [],
    normalisation,
    networkTypes,
    serverHosts,
    ...cloud,
  };

  const meta: PackMeta = {
    id: DEFAULT_PACK_ID,
    version: PACK_VERSION,
    title: 'Empreinte default open referential',
    description:
      'Open default referential of the rcp profile: ADEME ACV-NUM device factors split by step, Boavizta multi-criteria and manufacturer footprints, Ember/ADEME/Boavizta electricity, ADEME network per GB, G4IT hypotheses. See DATA-LICENSES.md.',
    profile: 'rcp',
    inputs: inp.list.map((i) => ({ ...i, path: i.path })),
    licences: LICENCES,
    skipped,
    notes: [
      'electricitySource = ademe,ember: France uses the ADEME 0.0519 kg/kWh (Base Empreinte 2024); other countries the Ember yearly average; --electricity boavizta|ember|ademe switches (§6, §9 #2).',
      'Desktop → ademe-desktop-pro; laptop, desktop and TV multi-criteria use the Boavizta "pro" variant (§6, choice).',
      'Proxies: Thin client → median of Boavizta thin-client footprints; IP phone → ADEME basic phone (no distribution, no kWh); Wi-Fi access point → ADEME box.',
      'Switch, router, firewall have no power figure in ACV-NUM nor in any open dataset found (shared/data/equipment-extras/SOURCES.md): give consoElecAnnuelle or the USE step is in error (CALC_ELECTRICITY_MISSING). Their tier follows their placement (§1.5).',
      'A4 printer, A3 multifunction printer, Storage array: medians of manufacturer declarations in shared/data/equipment-extras (device share only, paper and supplies excluded); Printer stays the ADEME printer (§6). UPS: type without default item (no open figure).',
      'Server lifespan 5 years (ACV-NUM, §9 #9); default PUE 1.75 (§9 #7).',
      'Cloud (F15): Boavizta instance archetypes of aws, azure, gcp, ovhcloud, scaleway; platforms keep the default of each `default;min;max` cell of server.csv; provider PUE from the PUE_cloud_* hypotheses (CCF), else PUEParDefaut (rcp), 1 in numecoeval.',
      'CPU catalogue (F16, F17): name (trimmed), manufacturer, model range, cores, threads, TDP and total die size of crowdsourcing/cpu_specs.csv; other columns are not embedded.',
    ],
    fileDescriptions: FILE_DESCRIPTIONS,
  };
  return { layer, meta };
}

// ------------------------------------------------------------------------------------------------------------------
// Boavizta cloud archetypes and CPU catalogue (F15, F16, F17)
// ------------------------------------------------------------------------------------------------------------------
const BOA = 'Boavizta/boaviztapi@15878f0 (v2.4.1): boaviztapi/data';
const BOA_DATA_LIC = 'AGPL-3.0-only';
const BOA_VINTAGE = 'boaviztapi 2.4.1';
const CLOUD_PROVIDERS = ['aws', 'azure', 'gcp', 'ovhcloud', 'scaleway'] as const;
/** Other names of the providers in inventories (choice of this project; descriptions come from providers.csv). */
const PROVIDER_SYNONYMS: Record<string, string[]> = {
  aws: ['Amazon', 'Amazon AWS', 'AWS EC2', 'EC2'],
  azure: ['Microsoft', 'Microsoft Azure', 'Azure Cloud'],
  gcp: ['Google', 'Google Cloud', 'Google Cloud Platform', 'GCE'],
  ovhcloud: ['OVH', 'OVH Cloud', 'OVHcloud Public Cloud'],
  scaleway: ['Scaleway Elements', 'Online.net'],
};

/** Empty cell → undefined; `default;min;max` cell → its default; otherwise a finite number. */
/**
 * G4IT's network types (`ref_network_type.csv`, every row) and server hosts (`ref_server_host.csv`, the six S/M/L
 * archetypes; its other rows are a catalogue of reference items with no vCPU, disk or lifespan, which the services do
 * not use: load G4IT's file with `--referential` to have them), transcribed with G4IT's own `source` cells.
 */
function g4itServiceTables(): Required<Pick<ReferentialLayer, 'networkTypes' | 'serverHosts'>> {
  const netSource = (code: string, cited?: string) =>
    `${G4IT_DS_DATA}/ref_network_type.csv (${code})${cited ? `: ${cited}` : ''}`;
  const ARCEP = 'Rapport ADEME ARCEP 2020, VOLET 2; p.70';
  const STATE =
    'The state of digital communications 2020 ; figure 2.7: Fixed and mobile data usage per connection, Europe, 2013–2019 ; p.37';
  const networkTypes: NetworkType[] = [
    {
      code: 'fixed-line-network-1',
      description: 'Fixed FR',
      referenceDescription: 'Fixed-line network/ at consumer/ xDSL, FFTx average mix / FR',
      kind: 'FIXED',
      annualGBPerLine: 2640,
      country: 'France',
      prov: prov(F.g4itServices, netSource('fixed-line-network-1', ARCEP), G4IT_LIC, '2020'),
    },
    {
      code: 'mobile-network-1',
      description: 'Mobile FR',
      referenceDescription: 'Mobile network/ at consumer/ 2G, 3G, 4G, 5G average mix / FR',
      kind: 'MOBILE',
      country: 'France',
      prov: prov(F.g4itServices, netSource('mobile-network-1'), G4IT_LIC),
    },
    {
      code: 'fixed-line-network-2',
      description: 'Fixed EU',
      referenceDescription: 'Fixed-line network/ at consumer/ xDSL, FFTx average mix / EU-28',
      kind: 'FIXED',
      annualGBPerLine: 2400,
      country: 'Europe',
      prov: prov(F.g4itServices, netSource('fixed-line-network-2', STATE), G4IT_LIC, '2020'),
    },
    {
      code: 'mobile-network-2',
      description: 'Mobile EU',
      referenceDescription: 'Mobile network/ at consumer/ 2G, 3G, 4G, 5G average mix / EU-28',
      kind: 'MOBILE',
      country: 'Europe',
      prov: prov(F.g4itServices, netSource('mobile-network-2'), G4IT_LIC),
    },
  ];
  const hostProv = (d: string) => prov(F.g4itServices, `${G4IT_DS_DATA}/ref_server_host.csv (${d})`, G4IT_LIC);
  const host = (
    description: string,
    reference: string,
    referenceDescription: string,
    capacity: { vcpu: number } | { totalDiskGB: number },
  ): ServerHost => ({
    description,
    reference,
    referenceDescription,
    kind: 'vcpu' in capacity ? 'COMPUTE' : 'STORAGE',
    ...capacity,
    lifespanYears: 5,
    prov: hostProv(description),
  });
  const serverHosts: ServerHost[] = [
    host(
      'Server Compute S',
      'rack-server--8',
      'Rack server / 1 processor low-end / 1 SSD: 2048 GB each / 0 HDD / 8 RAM, 16 GB each / 0 GPU',
      { vcpu: 32 },
    ),
    host(
      'Server Compute M',
      'rack-server--30',
      'Rack server / 2 processor high-end / 1 SSD: 1024 GB each / 0 HDD / 48 RAM, 16 GB each / 0 GPU',
      { vcpu: 96 },
    ),
    host(
      'Server Compute L',
      'rack-server--49',
      'Rack server / 2 processor high-end / 4 SSD: 2048 GB each / 0 HDD / 16 RAM, 16 GB each / 1 GPU',
      { vcpu: 256 },
    ),
    host('Server Storage S', 'storage-bay--1', 'Storage bay / 24 disks - SLC, 256 GB', { totalDiskGB: 6144 }),
    host('Server Storage M', 'storage-bay--3', 'Storage bay / 24 disks - SLC, 2048 GB', { totalDiskGB: 49152 }),
    host('Server Storage L', 'storage-bay--16', 'Storage bay / 48 disks - SLC, 2048 GB', { totalDiskGB: 98304 }),
  ];
  return { networkTypes, serverHosts };
}

function cell(v: string | undefined, what: string): number | undefined {
  const t = (v ?? '').trim();
  if (t === '') return undefined;
  return num(t.split(';')[0], what);
}
const req = (v: string | undefined, what: string): number => {
  const n = cell(v, what);
  if (n === undefined) throw new Error(`build: ${what} is empty`);
  return n;
};
const text = (v: string | undefined): string | undefined => {
  const t = (v ?? '').trim();
  return t === '' ? undefined : t;
};
const csvRows = (s: string): Record<string, string>[] =>
  parse(s, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

async function buildCloud(
  inp: Inputs,
  skipped: PackMeta['skipped'],
): Promise<
  Required<Pick<ReferentialLayer, 'cloudProviders' | 'cloudInstances' | 'cloudPlatforms' | 'cloudRegions' | 'cpuSpecs'>>
> {
  const p = (path: string) => prov(F.cloud, `${BOA}/${path}`, BOA_DATA_LIC, BOA_VINTAGE);
  const read = (path: string) =>
    inp.text(`boavizta/boaviztapi/${path}`, `Boavizta/boaviztapi@15878f0 boaviztapi/data/${path}`, BOA_DATA_LIC);

  // Providers
  const cloudProviders: CloudProvider[] = [];
  const provProv = p('archetypes/cloud/providers.csv');
  for (const r of csvRows(await read('archetypes/cloud/providers.csv'))) {
    const code = text(r['provider.name'])?.toLowerCase();
    if (!code) throw new Error('build: providers.csv row without provider.name');
    cloudProviders.push({
      provider: code,
      description: text(r['provider.description']),
      synonyms: PROVIDER_SYNONYMS[code],
      prov: {
        ...provProv,
        source: PROVIDER_SYNONYMS[code] ? `${provProv.source}; synonyms: ${SPEC} F15 (choice)` : provProv.source,
      },
    });
  }
  const known = new Set(cloudProviders.map((x) => x.provider));
  for (const c of CLOUD_PROVIDERS) if (!known.has(c)) throw new Error(`build: providers.csv lacks ${c}`);

  // Platforms (server.csv)
  const cloudPlatforms: CloudPlatformRow[] = [];
  const platformIds = new Set<string>();
  for (const r of csvRows(await read('archetypes/server.csv'))) {
    const id = text(r.id);
    if (!id) throw new Error('build: server.csv row without id');
    if (platformIds.has(id)) throw new Error(`build: server.csv has two rows ${id}`);
    platformIds.add(id);
    const w = (col: string) => `server.csv ${id} ${col}`;
    const caseType = text(r['CASE.case_type']) ?? 'rack';
    if (caseType !== 'rack' && caseType !== 'blade') throw new Error(`build: ${w('CASE.case_type')} = ${caseType}`);
    cloudPlatforms.push({
      id,
      manufacturer: text(r.manufacturer),
      caseType,
      cpuUnits: req(r['CPU.units'], w('CPU.units')),
      cpuCoreUnits: cell(r['CPU.core_units'], w('CPU.core_units')),
      cpuDieSizePerCoreMm2: cell(r['CPU.die_size_per_core'], w('CPU.die_size_per_core')),
      cpuName: text(r['CPU.name']),
      cpuThreads: cell(r['CPU.threads'], w('CPU.threads')),
      ramUnits: req(r['RAM.units'], w('RAM.units')),
      ramCapacityGB: req(r['RAM.capacity'], w('RAM.capacity')),
      ssdUnits: cell(r['SSD.units'], w('SSD.units')) ?? 0,
      ssdCapacityGB: cell(r['SSD.capacity'], w('SSD.capacity')) ?? 0,
      hddUnits: cell(r['HDD.units'], w('HDD.units')) ?? 0,
      hddCapacityGB: cell(r['HDD.capacity'], w('HDD.capacity')) ?? 0,
      gpuUnits: cell(r['GPU.units'], w('GPU.units')),
      gpuName: text(r['GPU.name']),
      powerSupplyUnits: req(r['POWER_SUPPLY.units'], w('POWER_SUPPLY.units')),
      powerSupplyWeightKg: req(r['POWER_SUPPLY.unit_weight'], w('POWER_SUPPLY.unit_weight')),
      load: cell(r['USAGE.time_workload'], w('USAGE.time_workload')),
      useTimeRatio: cell(r['USAGE.use_time_ratio'], w('USAGE.use_time_ratio')),
      hoursLifeTime: req(r['USAGE.hours_life_time'], w('USAGE.hours_life_time')),
      otherConsumptionRatio: req(r['USAGE.other_consumption_ratio'], w('USAGE.other_consumption_ratio')),
      warnings: text(r.WARNINGS),
      prov: p('archetypes/server.csv'),
    });
  }
  skipped.push({
    what: 'min and max of the `default;min;max` cells of archetypes/server.csv',
    count: cloudPlatforms.length,
    reason: 'F15 uses the default value of each characteristic; ranges are not embedded',
  });

  // Instances per provider
  const cloudInstances: CloudInstanceRow[] = [];
  for (const provider of CLOUD_PROVIDERS) {
    const path = `archetypes/cloud/${provider}.csv`;
    const seen = new Set<string>();
    let sourceRow = 0;
    for (const r of csvRows(await read(path))) {
      sourceRow++;
      const id = text(r.id);
      if (!id) throw new Error(`build: ${path} row without id`);
      const k = id.toLowerCase();
      if (seen.has(k)) throw new Error(`build: ${path} has two instances '${id}' (case-insensitive)`);
      seen.add(k);
      const platform = text(r.platform);
      if (!platform || !platformIds.has(platform))
        throw new Error(`build: ${path} ${id}: platform '${platform ?? ''}' is not in server.csv`);
      const w = (col: string) => `${path} ${id} ${col}`;
      cloudInstances.push({
        provider,
        id,
        vcpu: req(r.vcpu, w('vcpu')),
        memoryGB: req(r.memory, w('memory')),
        ssdGB: cell(r.ssd_storage, w('ssd_storage')) ?? 0,
        hddGB: cell(r.hdd_storage, w('hdd_storage')) ?? 0,
        gpu: text(r.gpu_units) === '0' ? undefined : text(r.gpu_units),
        platform,
        note: text(r.source),
        sourceRow,
        prov: p(path),
      });
    }
  }

  // Regions → country
  const cloudRegions: CloudRegion[] = [];
  for (const r of csvRows(await read('archetypes/cloud/regions.csv'))) {
    const provider = text(r.provider)?.toLowerCase();
    const region = text(r.region);
    const iso3 = text(r.usage_location);
    if (!provider || !region || !iso3) throw new Error(`build: regions.csv row incomplete: ${JSON.stringify(r)}`);
    const l = normaliseLocation(iso3);
    if (!l) throw new Error(`build: regions.csv ${provider} ${region}: unknown country '${iso3}'`);
    cloudRegions.push({
      provider,
      region,
      location: l.key,
      locationLabel: iso3,
      prov: p('archetypes/cloud/regions.csv'),
    });
  }

  // CPU catalogue (only the columns F15–F17 use)
  const cpuSpecs: CpuSpec[] = [];
  const cpuNames = new Set<string>();
  const cpuProv = prov(F.cpus, `${BOA}/crowdsourcing/cpu_specs.csv`, BOA_DATA_LIC, BOA_VINTAGE);
  let cpuDup = 0;
  let cpuRow = 0;
  for (const r of csvRows(await read('crowdsourcing/cpu_specs.csv'))) {
    cpuRow++;
    const name = text(r.name);
    if (!name) throw new Error('build: cpu_specs.csv row without name');
    if (cpuNames.has(name)) {
      cpuDup++;
      continue;
    }
    cpuNames.add(name);
    const w = (col: string) => `cpu_specs.csv ${name} ${col}`;
    cpuSpecs.push({
      name,
      manufacturer: text(r.manufacturer),
      modelRange: text(r.model_range),
      family: text(r.code_name),
      cores: cell(r.cores, w('cores')),
      threads: cell(r.threads, w('threads')),
      tdpW: cell(r.tdp, w('tdp')),
      totalDieSizeMm2: cell(r.total_die_size, w('total_die_size')),
      sourceRow: cpuRow,
      prov: cpuProv,
    });
  }
  if (cpuDup > 0)
    skipped.push({
      what: 'cpu_specs.csv rows whose trimmed name repeats an earlier row',
      count: cpuDup,
      reason: 'one row per CPU name; the first is kept',
    });
  return { cloudProviders, cloudInstances, cloudPlatforms, cloudRegions, cpuSpecs };
}

/** §8 attribution texts, verbatim. */
export const LICENCES: PackMeta['licences'] = [
  {
    dataset: 'ACV-NUM model JSON (@incubateur-ademe/publicodes-acv-numerique 2.1.0)',
    licence: 'MIT',
    attribution:
      "Device, network and datacenter factors and usage models: ADEME, *publicodes-acv-numerique* 2.1.0 (https://github.com/incubateur-ademe/publicodes-acv-numerique), MIT License. Underlying data: ADEME–Arcep, *Évaluation de l'impact environnemental du numérique en France* (2022), NegaOctet.",
  },
  {
    dataset: 'impactco2 numerique.json',
    licence: 'MIT',
    attribution:
      'Published digital-usage values: ADEME Impact CO2 (https://github.com/incubateur-ademe/impactco2), MIT License, Copyright (c) 2022 Datagir.',
  },
  {
    dataset: 'Boavizta boaviztapi/data',
    licence: 'AGPL-3.0',
    attribution:
      'Contains data from BoaviztAPI (© Boavizta contributors, https://github.com/Boavizta/boaviztapi), GNU AGPL-3.0. Component factors from Umweltbundesamt, *Green Cloud Computing* (Texte 94/2021); device factors from ADEME Base Empreinte.',
  },
  {
    dataset: 'Boavizta environmental-footprint-data',
    licence: 'ODbL-1.0 / DbCL-1.0',
    attribution:
      'Contains information from Boavizta environmental-footprint-data (https://github.com/Boavizta/environmental-footprint-data), made available under the Open Database License (ODbL 1.0); individual contents under the Database Contents License (DbCL 1.0).',
  },
  {
    dataset: 'Ember yearly intensities via CO2.js',
    licence: 'CC-BY-4.0 / CC-BY-SA',
    attribution:
      'Grid carbon intensity: Ember (https://ember-climate.org, CC-BY-4.0), via CO2.js by the Green Web Foundation (https://github.com/thegreenwebfoundation/co2.js).',
  },
  {
    dataset: 'Cloud Carbon Footprint provider PUE',
    licence: 'Apache-2.0',
    attribution:
      'Cloud coefficients: Cloud Carbon Footprint (https://github.com/cloud-carbon-footprint), Apache License 2.0.',
  },
  {
    dataset:
      'G4IT referential data (hypotheses, criteria, network types and line capacities, server hosts, device lifespans, people-equivalent values)',
    licence: 'Apache-2.0',
    attribution:
      'Referential defaults from G4IT (https://github.com/teamg4it/g4it), Apache License 2.0, © Sopra Steria; this product includes software developed by the French Ecological Ministry (NumEcoEval).',
  },
  {
    dataset: 'Manufacturer declarations of A3 multifunction printers (via shared/data/equipment-extras)',
    licence: 'cited as facts',
    attribution:
      'Figures cited from Konica Minolta Product Environmental Aspects Declarations (JEMAI EcoLeaf: AD-16-E720 and a 65 ppm colour A3 MFP) and Canon CFP CR-DG01-12004 (JEMAI CFP, 2012); documents not redistributed.',
  },
  {
    dataset: 'ADEME normative methods (RCP SI, RCP DC, ADEME 2025 study)',
    licence: 'cited, not redistributed',
    attribution:
      'Normative methods cited, not redistributed: ADEME RCP SI, RCP DC, ADEME 2025 study (librairie.ademe.fr).',
  },
];

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dataDir = resolve(arg('--data') ?? process.env.EMPREINTE_DATA_DIR ?? join(repoRoot, '..', 'shared', 'data'));
  const outDir = resolve(arg('--out') ?? join(repoRoot, 'referential', DEFAULT_PACK_ID));
  const { layer, meta } = await buildDefaultPack(dataDir);
  const pack = serialisePack(layer, meta);
  await writePack(outDir, pack);
  const count = (t: keyof ReferentialLayer) => (Array.isArray(layer[t]) ? (layer[t] as unknown[]).length : 0);
  const items = new Set(layer.factorRows.map((r) => r.item)).size;
  console.log(
    `referential ${meta.id} ${meta.version} → ${relative(process.cwd(), outDir) || '.'}: ${items} reference items (${count('factorRows')} factor rows), ` +
      `${count('itemTypes')} item types, ${count('hypotheses')} hypotheses, ${count('electricity')} electricity factors, ` +
      `${count('cloudInstances')} cloud instances on ${count('cloudPlatforms')} platforms, ${count('cloudRegions')} regions, ${count('cpuSpecs')} CPUs, content ${pack.manifest.contentHash.slice(0, 12)}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
