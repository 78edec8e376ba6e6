/**
 * Built-in reference data of the digital-service models (methodology §6), used when no `Referential` is given or when
 * the given one lacks a value. Every value carries its citation; traces record `layer: 'builtin:services-defaults'`.
 * When the embedded default pack exists, the same values come from it through the `Referential` and this module is
 * only the fallback.
 */
import type { StepCode } from '../referential/codes.js';

export const DEFAULTS_LAYER = 'builtin:services-defaults';

/** `@incubateur-ademe/publicodes-acv-numerique@2.1.0` (MIT), the ADEME model whose data these values transcribe. */
export const ACV_NUM = '@incubateur-ademe/publicodes-acv-numerique@2.1.0';
const BOAVIZTA_FACTORS = 'Boavizta/boaviztapi: boaviztapi/data/factors.yml (upstream ADEME Base Empreinte)';

export interface DefaultFactor {
  readonly step: StepCode;
  readonly criterion: string;
  /** In the criterion's unit (kg CO2 eq, kg Sb eq…) per unit of device. */
  readonly value: number;
  readonly source: string;
}

export interface DefaultDevice {
  readonly name: string;
  readonly label: string;
  readonly activePowerW: number;
  readonly dailyHours: number;
  readonly lifespanYears: number;
  /** F17 device rule: P × d × 365 / 1000 (kWh/yr). */
  readonly avgKWhPerYear: number;
  readonly factors: readonly DefaultFactor[];
  readonly source: string;
}

/** CLIMATE_CHANGE by step from ACV-NUM `acv . <device> . carbone . fabrication|distribution|fin de vie` (kg CO2 eq). */
function climate(rule: string, manufacturing: number, distribution: number, endOfLife: number): DefaultFactor[] {
  const source = `${ACV_NUM}: acv . ${rule} . carbone`;
  return [
    { step: 'MANUFACTURING', criterion: 'CLIMATE_CHANGE', value: manufacturing, source },
    { step: 'DISTRIBUTION', criterion: 'CLIMATE_CHANGE', value: distribution, source },
    { step: 'END_OF_LIFE', criterion: 'CLIMATE_CHANGE', value: endOfLife, source },
  ];
}

/** The four other RCP mandatory criteria, `EMBODIED` (not split), Boavizta `factors.yml` (§6 multi-criteria table). */
function otherCriteria(boaviztaKey: string, adp: number, ap: number, pm: number, ir: number): DefaultFactor[] {
  const source = `${BOAVIZTA_FACTORS} ${boaviztaKey}`;
  return [
    { step: 'EMBODIED', criterion: 'RESOURCE_USE', value: adp, source },
    { step: 'EMBODIED', criterion: 'ACIDIFICATION', value: ap, source },
    { step: 'EMBODIED', criterion: 'PARTICULATE_MATTER', value: pm, source },
    { step: 'EMBODIED', criterion: 'IONISING_RADIATION', value: ir, source },
  ];
}

function device(
  name: string,
  label: string,
  rule: string,
  steps: [number, number, number],
  powerW: number,
  dailyHours: number,
  lifespanYears: number,
  extra: DefaultFactor[] = [],
): DefaultDevice {
  return {
    name,
    label,
    activePowerW: powerW,
    dailyHours,
    lifespanYears,
    avgKWhPerYear: (powerW * dailyHours * 365) / 1000,
    factors: [...climate(rule, ...steps), ...extra],
    source: `${ACV_NUM}: acv . ${rule} (methodology §6 "Terminals and peripherals")`,
  };
}

/**
 * Terminals (methodology §6 table; ACV-NUM `acv . <device>`): MANUFACTURING / DISTRIBUTION / END_OF_LIFE in kg CO2 eq,
 * active power W × hours per day, lifespan in years. Other criteria: Boavizta `pro` values for laptop, desktop and TV
 * (choice, §6).
 */
export const DEFAULT_DEVICES: readonly DefaultDevice[] = [
  device('ademe-laptop', 'Laptop', 'ordinateur portable', [170, 12.3, 2.79], 26.5, 3, 5, [
    ...otherCriteria('laptop pro', 0.0086, 1.04, 6.08e-6, 73.6),
  ]),
  device('ademe-desktop', 'Desktop (personal)', 'ordinateur fixe', [259, 2.94, 6.61], 70, 4, 6, [
    ...otherCriteria('desktop', 0.00852, 1.55, 9.6e-6, 870),
  ]),
  device('ademe-desktop-pro', 'Desktop (professional)', 'ordinateur fixe pro', [203, 1.85, 6.61], 70, 6, 6, [
    ...otherCriteria('desktop', 0.00852, 1.55, 9.6e-6, 870),
  ]),
  device('ademe-monitor', 'Monitor', 'écran', [64.6, 1.29, 3.95], 50, 4, 6, [
    ...otherCriteria('monitor', 0.0108, 0.382, 2.57e-6, 145),
  ]),
  device('ademe-smartphone', 'Smartphone', 'smartphone', [77, 2.27, 0.246], 4.5, 3, 2.5, [
    ...otherCriteria('smartphone', 0.00205, 0.48, 2.7e-6, 13.7),
  ]),
  device('ademe-tablet', 'Tablet', 'tablette', [80.5, 3.43, 0.364], 20, 2.5, 3, [
    ...otherCriteria('tablet', 0.00375, 0.465, 2.62e-6, 32.4),
  ]),
  device('ademe-tv', 'TV', 'TV', [325, 3.26, 11.9], 65, 3, 8, [
    ...otherCriteria('TV pro', 0.0249, 0.944, 5.94e-6, 330),
  ]),
  device('ademe-box', 'Internet box', 'box', [60.8, 0.61, 1.63], 8, 24, 5, [
    ...otherCriteria('box', 4.41e-5, 0.179, 1.27e-6, 135),
  ]),
  device('ademe-printer', 'Printer', 'imprimante', [10.5, 0.3, 10.2], 60, 1, 5),
  device('ademe-external-hdd', 'External hard disk', 'disque dur externe', [11.5, 0.113, 0.287], 4, 2, 5),
  device('ademe-external-ssd', 'External SSD', 'SSD externe', [135, 0.0161, 0.0796], 0.5, 2, 5),
  device('ademe-usb-key', 'USB key', 'clé USB', [5.16, 0.00424, 0.0153], 0.2, 2, 5),
  device('ademe-connected-speaker', 'Connected speaker', 'enceinte', [19.5, 0.3, 0.7], 20, 3, 5),
  device('ademe-console', 'Game console', 'console de salon', [279, 1.2, 4.6], 80, 1, 6),
  device('ademe-portable-console', 'Portable console', 'console portable', [64.8, 0.3, 0.5], 10, 1, 6),
];

export interface DefaultNetwork {
  readonly code: string;
  readonly label: string;
  /** gCO2e per GB (ADEME convention 1 Go = 1024 Mo), step WHOLE_LIFE (F11). */
  readonly gPerGB: number;
  readonly source: string;
}

const TRANSMISSION = `${ACV_NUM}: transmission par défaut . facteur réseau`;

/** Per-GB network factors (methodology §6 "Network", ACV-NUM `transmission par défaut`, "source Negaoctet"). */
export const DEFAULT_NETWORKS: readonly DefaultNetwork[] = [
  {
    code: 'FIXED_FR',
    label: 'Fixed, France, box included',
    gPerGB: 9.26934695867389,
    source: `${TRANSMISSION} fixe FR`,
  },
  {
    code: 'FIXED_FR_NO_BOX',
    label: 'Fixed, France, excl. box',
    gPerGB: 2.59,
    source: `${TRANSMISSION} fixe FR hors box`,
  },
  { code: 'MOBILE_FR', label: 'Mobile, France', gPerGB: 24.6836791969497, source: `${TRANSMISSION} mobile FR` },
  {
    code: 'FIXED_EU',
    label: 'Fixed, Europe, box included',
    gPerGB: 30.8081869990301,
    source: `${TRANSMISSION} fixe EU`,
  },
  {
    code: 'FIXED_EU_NO_BOX',
    label: 'Fixed, Europe, excl. box',
    gPerGB: 14.4,
    source: `${TRANSMISSION} fixe EU hors box`,
  },
  { code: 'MOBILE_EU', label: 'Mobile, Europe', gPerGB: 96.0097311973246, source: `${TRANSMISSION} mobile EU` },
];

/** Inside the organisation's network: 0, the LAN being counted in the inventory (methodology §5.2, choice). */
export const LAN_NETWORK = { code: 'LAN', source: 'methodology §5.2 (LAN already in the inventory, choice)' } as const;

export interface DefaultElectricity {
  readonly location: string;
  readonly criterion: string;
  readonly valuePerKWh: number;
  readonly source: string;
  readonly vintage: string;
}

/**
 * Electricity (methodology §6, §9 #2): France 0.0519 kg CO2 eq/kWh, Base Empreinte "Electricité/2024 – mix
 * moyen/consommation" through ACV-NUM `publicodes-commun . mix électrique . empreinte carbone`. Other countries and
 * criteria come from the referential.
 */
export const DEFAULT_ELECTRICITY: readonly DefaultElectricity[] = [
  {
    location: 'FR',
    criterion: 'CLIMATE_CHANGE',
    valuePerKWh: 0.0519,
    source: `${ACV_NUM}: publicodes-commun . mix électrique . empreinte carbone`,
    vintage: '2024',
  },
];

/**
 * People-equivalent divisors SIP_c per person per year (F18, methodology §6): planetary boundary / 8 × 10⁹, JRC 2019
 * via `teamg4it/g4it: services/backend/src/main/resources/db/changelog/referential-data/ref_sustainable_individual_package.csv`.
 * WATER_USE has none (§9 #22).
 */
export const PEOPLE_EQUIVALENT_SOURCE =
  'JRC, Consumption and Consumer Footprint: methodology and results, 2019, via teamg4it/g4it: services/backend/src/main/resources/db/changelog/referential-data/ref_sustainable_individual_package.csv';
export const DEFAULT_PEOPLE_EQUIVALENT: Readonly<Record<string, number>> = {
  CLIMATE_CHANGE: 851.25,
  PARTICULATE_MATTER: 6.45e-5,
  IONISING_RADIATION: 65875,
  ACIDIFICATION: 125,
  RESOURCE_USE: 0.027375,
  OZONE_DEPLETION: 6.74e-2,
  HUMAN_TOXICITY_CANCER: 1.2e-4,
  HUMAN_TOXICITY_NON_CANCER: 5.13e-4,
  PHOTOCHEMICAL_OZONE_FORMATION: 50.9,
  EUTROPHICATION_TERRESTRIAL: 766,
  EUTROPHICATION_FRESHWATER: 0.726,
  EUTROPHICATION_MARINE: 25.2,
  ECOTOXICITY_FRESHWATER: 1.64e4,
  LAND_USE: 1.09e6,
  RESOURCE_USE_FOSSILS: 2.8e4,
};

/** PUE when unknown: 1.75 (`teamg4it/g4it: …/referential-data/ref_hypothesis.csv`, NumEcoEval `PUEParDefaut`). */
export const DEFAULT_PUE = { value: 1.75, source: 'teamg4it/g4it: ref_hypothesis.csv (PUEParDefaut)' } as const;

/** Cloud provider PUE (`cloud-carbon-footprint/cloud-carbon-footprint: microsite/docs/HowItWorks/Methodology.md`). */
export const CLOUD_PROVIDER_PUE: Readonly<Record<string, number>> = { aws: 1.135, gcp: 1.1, azure: 1.185 };
export const CLOUD_PUE_SOURCE =
  'cloud-carbon-footprint/cloud-carbon-footprint: microsite/docs/HowItWorks/Methodology.md';

/** Cloud platform life when a declared instance gives none: 35 040 h = 4 years (Boavizta `archetypes/server.csv`, F15). */
export const DEFAULT_CLOUD_LIFESPAN = {
  years: 35040 / 8760,
  source: 'Boavizta/boaviztapi: boaviztapi/data/archetypes/server.csv (hours_life_time 35040)',
} as const;

/**
 * Device mixes (shares of device setups).
 * - business application: 100 % laptop, the ACV-NUM visio default (`visio . appareil . moyenne utilisation
 *   ordinateur portable` = 100 %), methodology §5.2;
 * - online procedure: the ACV-NUM web-search mix (`recherche web . appareil . moyenne utilisation *`: 24 % desktop +
 *   screen, 24 % laptop, 8 % tablet, 45 % smartphone) normalised by 1.01 (methodology §5.2, §9 #18).
 */
export const DEFAULT_MIX_SOURCES = {
  businessApplication: `${ACV_NUM}: visio . appareil . moyenne utilisation ordinateur portable (100 %)`,
  onlineProcedure: `${ACV_NUM}: recherche web . appareil . moyenne utilisation * (sum 1.01, normalised)`,
} as const;

export const BUSINESS_APPLICATION_MIX = [{ share: 1, items: [{ item: 'ademe-laptop', quantity: 1 }] }] as const;

export const ONLINE_PROCEDURE_MIX = [
  {
    share: 0.24 / 1.01,
    items: [
      { item: 'ademe-desktop', quantity: 1 },
      { item: 'ademe-monitor', quantity: 1 },
    ],
  },
  { share: 0.24 / 1.01, items: [{ item: 'ademe-laptop', quantity: 1 }] },
  { share: 0.08 / 1.01, items: [{ item: 'ademe-tablet', quantity: 1 }] },
  { share: 0.45 / 1.01, items: [{ item: 'ademe-smartphone', quantity: 1 }] },
] as const;
