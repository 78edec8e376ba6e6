/**
 * Canonical lifecycle-step and criterion codes with their input aliases (methodology §1.2, §1.3).
 * Alias matching is case-, accent- and punctuation-insensitive.
 */

/** Fold case, accents, punctuation and repeated spaces: `Épuisement des ressources` → `epuisement des ressources`. */
export function foldKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export const LIFECYCLE_STEPS = ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'] as const;
/** Aggregate step codes for sources that do not split their value (§1.2). */
export const AGGREGATE_STEPS = ['EMBODIED', 'WHOLE_LIFE'] as const;
export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];
export type StepCode = LifecycleStep | (typeof AGGREGATE_STEPS)[number];
export const ALL_STEPS: readonly StepCode[] = [...LIFECYCLE_STEPS, ...AGGREGATE_STEPS];

export const STEP_LABELS: Record<StepCode, string> = {
  MANUFACTURING: 'Manufacturing',
  DISTRIBUTION: 'Distribution',
  USE: 'Use',
  END_OF_LIFE: 'End of life',
  EMBODIED: 'Embodied (manufacturing + distribution + end of life, not split)',
  WHOLE_LIFE: 'Whole life (all steps, not split)',
};

const STEP_ALIASES: Record<StepCode, readonly string[]> = {
  MANUFACTURING: ['FABRICATION', 'BLD'],
  DISTRIBUTION: ['TRANSPORTATION', 'DIS'],
  USE: ['UTILISATION', 'USING'],
  END_OF_LIFE: ['FIN_DE_VIE', 'EOL'],
  EMBODIED: [],
  WHOLE_LIFE: [],
};

/** Codes written when exporting to the NumEcoEval and G4IT formats. */
export const STEP_EXPORT: Record<LifecycleStep, { numecoeval: string; g4it: string }> = {
  MANUFACTURING: { numecoeval: 'FABRICATION', g4it: 'MANUFACTURING' },
  DISTRIBUTION: { numecoeval: 'DISTRIBUTION', g4it: 'TRANSPORTATION' },
  USE: { numecoeval: 'UTILISATION', g4it: 'USING' },
  END_OF_LIFE: { numecoeval: 'FIN_DE_VIE', g4it: 'END_OF_LIFE' },
};

const stepIndex = new Map<string, StepCode>();
for (const code of ALL_STEPS) {
  for (const a of [code, ...STEP_ALIASES[code]]) stepIndex.set(foldKey(a), code);
}

/** `FABRICATION`, `fin-de-vie`, `Using` … → canonical step code, or undefined. */
export function parseStep(s: string): StepCode | undefined {
  return stepIndex.get(foldKey(s));
}

export interface CriterionDef {
  readonly code: string;
  readonly label: string;
  readonly unit: string;
  readonly rcpMandatory: boolean;
  readonly aliases: readonly string[];
}

/** §1.3. The first five are the RCP mandatory set. */
export const CRITERIA: readonly CriterionDef[] = [
  {
    code: 'CLIMATE_CHANGE',
    label: 'Climate change',
    unit: 'kg CO2 eq',
    rcpMandatory: true,
    aliases: ['Climate change', 'Changement climatique', 'gwp'],
  },
  {
    code: 'RESOURCE_USE',
    label: 'Resource use (minerals and metals)',
    unit: 'kg Sb eq',
    rcpMandatory: true,
    aliases: [
      'Resource use (minerals and metals)',
      'Resource use minerals and metals',
      'Epuisement des ressources naturelles (minérales et métaux)',
      'Épuisement des ressources abiotiques, minéraux & métaux',
      'adpe',
      'adp',
    ],
  },
  {
    code: 'ACIDIFICATION',
    label: 'Acidification',
    unit: 'mol H+ eq',
    rcpMandatory: true,
    aliases: ['Acidification', 'ap', 'AE'],
  },
  {
    code: 'PARTICULATE_MATTER',
    label: 'Particulate matter and respiratory inorganics',
    unit: 'disease incidence',
    rcpMandatory: true,
    aliases: [
      'Particulate matter and respiratory inorganics',
      'Emissions de particules fines',
      'Émissions de particules fines',
      'Particules fines',
      'pm',
    ],
  },
  {
    code: 'IONISING_RADIATION',
    label: 'Ionising radiation',
    unit: 'kBq U-235 eq',
    rcpMandatory: true,
    aliases: ['Ionising radiation', 'Rayonnements ionisants', 'Radiations ionisantes', 'ir'],
  },
  {
    code: 'RESOURCE_USE_FOSSILS',
    label: 'Resource use, fossils',
    unit: 'MJ',
    rcpMandatory: false,
    aliases: ['Resource use, fossils', 'adpf'],
  },
  {
    code: 'OZONE_DEPLETION',
    label: 'Ozone depletion',
    unit: 'kg CFC-11 eq',
    rcpMandatory: false,
    aliases: ['Ozone depletion', 'odp'],
  },
  {
    code: 'PHOTOCHEMICAL_OZONE_FORMATION',
    label: 'Photochemical ozone formation',
    unit: 'kg NMVOC eq',
    rcpMandatory: false,
    aliases: ['Photochemical ozone formation', 'pocp'],
  },
  {
    code: 'EUTROPHICATION_FRESHWATER',
    label: 'Eutrophication, freshwater',
    unit: 'kg P eq',
    rcpMandatory: false,
    aliases: ['Eutrophication, freshwater', 'epf'],
  },
  {
    code: 'EUTROPHICATION_MARINE',
    label: 'Eutrophication, marine',
    unit: 'kg N eq',
    rcpMandatory: false,
    aliases: ['Eutrophication, marine', 'epm'],
  },
  {
    code: 'EUTROPHICATION_TERRESTRIAL',
    label: 'Eutrophication, terrestrial',
    unit: 'mol N eq',
    rcpMandatory: false,
    aliases: ['Eutrophication, terrestrial', 'ept'],
  },
  { code: 'LAND_USE', label: 'Land use', unit: 'pt', rcpMandatory: false, aliases: ['Land use', 'lu'] },
  { code: 'WATER_USE', label: 'Water use', unit: 'm3 eq', rcpMandatory: false, aliases: ['Water use', 'wu'] },
  {
    code: 'ECOTOXICITY_FRESHWATER',
    label: 'Ecotoxicity, freshwater',
    unit: 'CTUe',
    rcpMandatory: false,
    aliases: ['Ecotoxicity, freshwater', 'ctue'],
  },
  {
    code: 'HUMAN_TOXICITY_CANCER',
    label: 'Human toxicity, cancer',
    unit: 'CTUh',
    rcpMandatory: false,
    aliases: ['Human toxicity, cancer', 'ctuh-c', 'ctuh_c'],
  },
  {
    code: 'HUMAN_TOXICITY_NON_CANCER',
    label: 'Human toxicity, non-cancer',
    unit: 'CTUh',
    rcpMandatory: false,
    aliases: ['Human toxicity, non-cancer', 'ctuh-nc', 'ctuh_nc'],
  },
  {
    code: 'CLIMATE_CHANGE_FOSSIL',
    label: 'Climate change, fossil',
    unit: 'kg CO2 eq',
    rcpMandatory: false,
    aliases: ['gwpf', 'gwppf'],
  },
  {
    code: 'CLIMATE_CHANGE_BIOGENIC',
    label: 'Climate change, biogenic',
    unit: 'kg CO2 eq',
    rcpMandatory: false,
    aliases: ['gwpb', 'gwppb'],
  },
  {
    code: 'CLIMATE_CHANGE_LAND_USE',
    label: 'Climate change, land use',
    unit: 'kg CO2 eq',
    rcpMandatory: false,
    aliases: ['gwplu', 'gwpplu'],
  },
  { code: 'MATERIAL_INPUT', label: 'Material input', unit: 'kg', rcpMandatory: false, aliases: ['mips'] },
  // §1.4 flow indicator TPE, computed where a factor exists (Boavizta components `pe`, F15/F16): requestable.
  {
    code: 'PRIMARY_ENERGY',
    label: 'Primary energy',
    unit: 'MJ',
    rcpMandatory: false,
    aliases: ['Primary energy', 'TPE', 'pe'],
  },
];

export type CriterionCode = string;
export const MANDATORY_CRITERIA: readonly string[] = CRITERIA.filter((c) => c.rcpMandatory).map((c) => c.code);

const criterionIndex = new Map<string, CriterionDef>();
for (const c of CRITERIA) for (const a of [c.code, c.label, ...c.aliases]) criterionIndex.set(foldKey(a), c);

/** `Changement climatique`, `gwp`, `climate-change` … → the criterion definition, or undefined. */
export function parseCriterion(s: string): CriterionDef | undefined {
  return criterionIndex.get(foldKey(s));
}

export function criterionDef(code: string): CriterionDef | undefined {
  return criterionIndex.get(foldKey(code));
}
