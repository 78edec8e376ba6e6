/**
 * Hypothesis registry (methodology §3.6): codes, defaults per profile (§9 #1), units, valid ranges and sources;
 * validation of referential hypothesis rows (`REF_HYPOTHESIS_INVALID`); the profile layer holding the defaults; and
 * the numeric lookup used by the engine.
 */
import { issue, type Issue, type IssueDetailsOf, type Location } from '../issues/catalogue.js';
import { emptyLayer, type Hypothesis, type Provenance, type Referential, type ReferentialLayer } from './model.js';

export type Profile = 'rcp' | 'numecoeval';
export const PROFILES: readonly Profile[] = ['rcp', 'numecoeval'];

/** Valid range (§3.6, choice): `min` exclusive unless `minInclusive`; `max` inclusive when set. */
export interface HypothesisRange {
  readonly min: number;
  readonly minInclusive?: boolean;
  readonly max?: number;
}

export interface HypothesisDef {
  readonly code: string;
  /** Default value, or one value per profile. */
  readonly defaults: Readonly<Record<Profile, number>>;
  readonly unit: string;
  readonly range: HypothesisRange;
  readonly description: string;
  /** Citation (URL or `owner/repo: path`). */
  readonly source: string;
  readonly licence: string;
}

const SHARE: HypothesisRange = { min: 0, minInclusive: true, max: 1 };
const POSITIVE: HypothesisRange = { min: 0 };

const G4IT_HYP = 'teamg4it/g4it: services/backend/src/main/resources/db/changelog/referential-data/ref_hypothesis.csv';
const NEE_HYP = 'G4ITTeam/g4it: services/backend/src/main/resources/referential/numecoeval/hypotheses.csv';
const RCP_SI =
  'ADEME RCP SI 2024, https://librairie.ademe.fr/consommer-autrement/6649-referentiel-methodologique-d-evaluation-environnementale-des-systemes-d-information-si.html';
const G4IT_UC1 =
  'teamg4it/g4it: services/documentation/content/2-functional-documentation/global_concepts/environmental_footprint_assessment_methodology/uc1_physical_equipment.md';

const both = (v: number): Record<Profile, number> => ({ rcp: v, numecoeval: v });

/** §3.6. NumEcoEval codes verbatim; engine codes in the same style. */
export const HYPOTHESES: readonly HypothesisDef[] = [
  {
    code: 'PUEParDefaut',
    defaults: both(1.75),
    unit: '',
    range: { min: 1 },
    description: 'PUE applied when the datacenter gives none (§9 #7).',
    source: `${NEE_HYP}; ${G4IT_HYP} (source "SSG")`,
    licence: 'Apache-2.0',
  },
  {
    code: 'dureeVieParDefaut',
    defaults: both(2),
    unit: 'years',
    range: POSITIVE,
    description: 'Lifespan used when neither the item nor its type gives one.',
    source: `${NEE_HYP}; ${G4IT_HYP} (source "SSG")`,
    licence: 'Apache-2.0',
  },
  {
    code: 'taux_utilisation_COPE',
    defaults: { rcp: 0.85, numecoeval: 0.8 },
    unit: 'share',
    range: SHARE,
    description: 'Professional-use share of a company-owned, personally enabled device (§9 #1: RCP SI 85 % vs 0.8).',
    source: `${RCP_SI} Table 3 (rcp); ${G4IT_HYP} (numecoeval)`,
    licence: 'cite (ADEME); Apache-2.0 (G4IT)',
  },
  {
    code: 'taux_utilisation_BYOD',
    defaults: both(0.57),
    unit: 'share',
    range: SHARE,
    description: 'Professional-use share of a personal device used for work.',
    source: `${RCP_SI} Table 3; ${G4IT_HYP}`,
    licence: 'cite (ADEME); Apache-2.0 (G4IT)',
  },
  {
    code: 'taux_utilisation_PRO',
    defaults: both(1),
    unit: 'share',
    range: SHARE,
    description: 'Share of a purely professional device.',
    source: `${RCP_SI} Table 3`,
    licence: 'cite (ADEME)',
  },
  {
    code: 'dureeVieMinimale',
    defaults: both(1),
    unit: 'years',
    range: POSITIVE,
    description: 'Lifespan floor ("brings it to 1").',
    source: G4IT_UC1,
    licence: 'Apache-2.0',
  },
  {
    code: 'heuresParAn',
    defaults: both(8760),
    unit: 'h',
    range: POSITIVE,
    description: 'Hours per year (365 × 24).',
    source: G4IT_UC1,
    licence: 'Apache-2.0',
  },
  {
    code: 'joursParAn',
    defaults: both(365),
    unit: 'd',
    range: POSITIVE,
    description: 'Days per year.',
    source: 'npm @incubateur-ademe/publicodes-acv-numerique@2.1.0: publicodes-commun . jours par an',
    licence: 'MIT',
  },
  {
    code: 'personnesParFoyer_FR',
    defaults: both(2.16),
    unit: 'persons',
    range: POSITIVE,
    description: 'Persons per household in France (INSEE 2021), telework box allocation.',
    source: `${RCP_SI} §4`,
    licence: 'cite (ADEME)',
  },
  {
    code: 'personnesParFoyer_EU',
    defaults: both(2.3),
    unit: 'persons',
    range: POSITIVE,
    description: 'Persons per household in Europe (2022), telework box allocation.',
    source: `${RCP_SI} §4`,
    licence: 'cite (ADEME)',
  },
  {
    code: 'partBoxFibre',
    defaults: both(0.46),
    unit: 'share',
    range: SHARE,
    description: 'Share of fibre boxes (ADEME ISP study, 2022).',
    source: `${RCP_SI} §4`,
    licence: 'cite (ADEME)',
  },
  {
    code: 'partBoxADSL',
    defaults: both(0.54),
    unit: 'share',
    range: SHARE,
    description: 'Share of ADSL boxes (ADEME ISP study, 2022).',
    source: `${RCP_SI} §4`,
    licence: 'cite (ADEME)',
  },
  {
    code: 'maxRejectedLines',
    defaults: both(50000),
    unit: 'lines',
    range: POSITIVE,
    description: 'Rejected lines above which a whole input file is rejected.',
    source:
      'teamg4it/g4it: services/documentation/content/2-functional-documentation/use_cases/uc_inventory/uc3_load_files.md',
    licence: 'Apache-2.0',
  },
];

const byCode = new Map(HYPOTHESES.map((h) => [h.code.toLowerCase(), h]));

export function hypothesisDef(code: string): HypothesisDef | undefined {
  return byCode.get(code.toLowerCase());
}

/** Range of a code: the registry's, else by naming pattern (§3.6: `taux_utilisation_*`, `partBox*` in [0, 1]; `duree*` > 0). */
export function hypothesisRange(code: string): HypothesisRange | undefined {
  const def = hypothesisDef(code);
  if (def) return def.range;
  if (/^(taux_utilisation_|partbox)/i.test(code)) return SHARE;
  if (/^duree/i.test(code)) return POSITIVE;
  return undefined;
}

function inRange(v: number, r: HypothesisRange): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.minInclusive ? v < r.min : v <= r.min) return false;
  return r.max === undefined || v <= r.max;
}

/**
 * Check a hypothesis value against its range. Returns the `REF_HYPOTHESIS_INVALID` issue (row rejected) or undefined.
 * A code with no known range is accepted as given (number or text).
 */
export function validateHypothesis(code: string, value: number | string, at: Location = {}): Issue | undefined {
  const details = hypothesisProblem(code, value);
  return details && issue('REF_HYPOTHESIS_INVALID', details, at);
}

/** The details of REF_HYPOTHESIS_INVALID for a value out of its hypothesis' range, else undefined. */
export function hypothesisProblem(
  code: string,
  value: number | string,
): IssueDetailsOf<'REF_HYPOTHESIS_INVALID'> | undefined {
  const r = hypothesisRange(code);
  if (!r) return undefined;
  if (typeof value === 'number' && inRange(value, r)) return undefined;
  return {
    code,
    min: r.minInclusive ? String(r.min) : `${r.min} (excluded)`,
    max: r.max === undefined ? '+∞' : String(r.max),
    value: String(value),
  };
}

/** The profile pack's hypotheses (§0 precedence: above the embedded pack, below user files). */
export function profileLayer(profile: Profile): ReferentialLayer {
  const layer = `profile:${profile}`;
  const hypotheses: Hypothesis[] = HYPOTHESES.map((h) => {
    const prov: Provenance = { source: h.source, licence: h.licence, layer };
    return { code: h.code, value: h.defaults[profile], unit: h.unit || undefined, description: h.description, prov };
  });
  return { ...emptyLayer(layer), hypotheses };
}

/**
 * Numeric value of a hypothesis in the merged referential (exact code first, then case-insensitive), with its
 * provenance. Undefined when absent or not a number.
 */
export function hypothesisNumber(ref: Referential, code: string): { value: number; prov: Provenance } | undefined {
  let h = ref.hypotheses.get(code);
  if (!h) {
    const lc = code.toLowerCase();
    for (const [k, v] of ref.hypotheses) {
      if (k.toLowerCase() === lc) {
        h = v;
        break;
      }
    }
  }
  if (!h) return undefined;
  const value = typeof h.value === 'number' ? h.value : Number(h.value.trim());
  if (typeof h.value === 'string' && h.value.trim() === '') return undefined;
  return Number.isFinite(value) ? { value, prov: h.prov } : undefined;
}
