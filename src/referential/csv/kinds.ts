/**
 * Referential file kinds (methodology §3.2 NumEcoEval, §3.3 G4IT), recognised by header signature, never by file
 * name. Header names are compared after `headerKey` (lower case, punctuation and `_` removed), so the G4IT snake_case
 * and camelCase variants (`lifecycle_step` / `lifecycleStep`) are the same column.
 */

export type KindName =
  | 'criteria'
  | 'steps'
  | 'hypotheses'
  | 'itemTypes'
  | 'factors'
  | 'legacyItemImpact'
  | 'legacyNetworkImpact'
  | 'legacyElectricity'
  | 'matchings'
  | 'messaging'
  | 'normalisation'
  | 'deviceType'
  | 'networkType'
  | 'serverHost';

export interface KindDef {
  readonly kind: KindName;
  /** Human name used in messages. */
  readonly label: string;
  /** Logical field → accepted header names (any spelling; compared through `headerKey`). */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** Alternative sets of header names; the kind is a candidate when one set is fully present. */
  readonly signatures: readonly (readonly string[])[];
  /** Logical fields whose column must be present (key and value columns, §3.1). */
  readonly required: readonly string[];
  /** Recognised but not loaded (`REF_TABLE_IGNORED`); none since network types and server hosts are read. */
  readonly ignored?: boolean;
}

/** `lifecycle_step`, `LifecycleStep`, ` lifecycle-step ` → `lifecyclestep`. */
export function headerKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const OWNER = ['subscriber', 'nomOrganisation'];

export const KINDS: readonly KindDef[] = [
  {
    kind: 'criteria',
    label: 'criteria',
    fields: {
      code: ['nomCritere', 'code'],
      label: ['label', 'libelle'],
      unit: ['unite', 'unit'],
      description: ['description'],
    },
    signatures: [['nomCritere'], ['code', 'unit'], ['code', 'unite']],
    required: ['code'],
  },
  {
    kind: 'steps',
    label: 'lifecycle steps',
    fields: { code: ['code'], label: ['libelle', 'label'] },
    signatures: [
      ['code', 'libelle'],
      ['code', 'label'],
    ],
    required: ['code'],
  },
  {
    kind: 'hypotheses',
    label: 'hypotheses',
    fields: {
      code: ['code', 'cle'],
      value: ['valeur', 'value'],
      source: ['source'],
      description: ['description'],
      owner: OWNER,
      version: ['version'],
    },
    signatures: [
      ['code', 'valeur'],
      ['cle', 'valeur'],
      ['code', 'value'],
      ['cle', 'value'],
    ],
    required: ['code', 'value'],
  },
  {
    kind: 'itemTypes',
    label: 'item types',
    fields: {
      type: ['type'],
      category: ['categorie', 'category'],
      isServer: ['serveur', 'is_server'],
      comment: ['commentaire', 'comment'],
      lifespan: ['dureeVieDefaut', 'default_lifespan'],
      refHypothesis: ['refHypothese'],
      source: ['source'],
      defaultItem: ['refItemParDefaut', 'refEquipementParDefaut', 'ref_default_item'],
      owner: OWNER,
      version: ['version'],
    },
    signatures: [
      ['type', 'serveur'],
      ['type', 'dureeVieDefaut'],
      ['type', 'refItemParDefaut'],
      ['type', 'refEquipementParDefaut'],
      ['type', 'is_server'],
      ['type', 'default_lifespan'],
      ['type', 'ref_default_item'],
    ],
    required: ['type'],
  },
  {
    kind: 'factors',
    label: 'characterisation factors',
    fields: {
      item: ['nom', 'name'],
      step: ['etapeacv', 'etape', 'lifecycle_step'],
      criterion: ['critere', 'criterion'],
      description: ['description'],
      level: ['niveau', 'level'],
      tier: ['tiers', 'tier'],
      category: ['categorie', 'category'],
      kwh: ['consoElecMoyenne', 'avg_electricity_consumption'],
      location: ['localisation', 'location'],
      value: ['valeur', 'value'],
      unit: ['unite', 'unit'],
      source: ['source'],
      owner: OWNER,
      version: ['version'],
    },
    signatures: [
      ['nom', 'critere'],
      ['name', 'criterion'],
    ],
    required: ['item', 'step', 'criterion', 'value'],
  },
  {
    kind: 'legacyItemImpact',
    label: 'legacy equipment impact',
    fields: {
      item: ['refEquipement'],
      step: ['etape', 'etapeacv'],
      criterion: ['critere'],
      source: ['source'],
      type: ['type'],
      value: ['valeur'],
      kwh: ['consoElecMoyenne'],
      description: ['description'],
      owner: OWNER,
    },
    signatures: [['refEquipement', 'critere']],
    required: ['item', 'step', 'criterion', 'value'],
  },
  {
    kind: 'legacyNetworkImpact',
    label: 'legacy network impact',
    fields: {
      item: ['refReseau'],
      step: ['etapeACV', 'etape'],
      criterion: ['critere'],
      criterionUnit: ['unite'],
      source: ['source'],
      value: ['valeur'],
      kwh: ['consoElecMoyenne'],
      owner: OWNER,
    },
    signatures: [['refReseau', 'critere']],
    required: ['item', 'step', 'criterion', 'value'],
  },
  {
    kind: 'legacyElectricity',
    label: 'legacy electricity mix',
    fields: {
      location: ['pays'],
      alias: ['raccourcisAnglais'],
      criterion: ['critere'],
      value: ['valeur'],
      source: ['source'],
      owner: OWNER,
    },
    signatures: [['pays', 'critere']],
    required: ['location', 'criterion', 'value'],
  },
  {
    kind: 'matchings',
    label: 'matching',
    fields: {
      model: ['modeleEquipementSource', 'item_source'],
      target: ['refEquipementCible', 'ref_item_target'],
      owner: OWNER,
    },
    signatures: [['modeleEquipementSource'], ['item_source']],
    required: ['model', 'target'],
  },
  {
    kind: 'messaging',
    label: 'messaging impact',
    fields: {
      criterion: ['critere', 'criterion'],
      A: ['constanteCoefficientDirecteur'],
      b: ['constanteOrdonneeOrigine'],
      source: ['source'],
      owner: OWNER,
    },
    signatures: [['constanteCoefficientDirecteur'], ['constanteOrdonneeOrigine']],
    required: ['criterion', 'A', 'b'],
  },
  {
    kind: 'normalisation',
    label: 'sustainable individual package',
    fields: {
      criterion: ['criteria', 'criterion', 'critere'],
      boundary: ['planetary_boundary'],
      source: ['source'],
      value: ['individual_sustainable_package'],
      owner: OWNER,
    },
    signatures: [['individual_sustainable_package']],
    required: ['criterion', 'value'],
  },
  {
    kind: 'deviceType',
    label: 'device type',
    fields: {
      description: ['description'],
      reference: ['reference'],
      external: ['external_referential_description'],
      lifespan: ['lifespan'],
      source: ['source'],
    },
    signatures: [['reference', 'external_referential_description', 'lifespan']],
    required: ['reference'],
  },
  {
    kind: 'networkType',
    label: 'network type',
    fields: {
      description: ['description'],
      reference: ['reference'],
      external: ['external_referential_description'],
      type: ['type'],
      annualGB: ['annual_quantity_of_go'],
      country: ['country'],
      source: ['source'],
    },
    signatures: [['reference', 'annual_quantity_of_go']],
    required: ['reference', 'type'],
  },
  {
    kind: 'serverHost',
    label: 'server host',
    fields: {
      description: ['description'],
      reference: ['reference'],
      external: ['external_referential_description'],
      type: ['type'],
      vcpu: ['nb_of_vcpu'],
      disk: ['total_disk'],
      lifespan: ['lifespan'],
    },
    signatures: [['reference', 'nb_of_vcpu']],
    required: ['description', 'reference', 'type'],
  },
];

/** Columns ignored in every kind (database exports carry an `id`, §3.3). */
const ALWAYS_IGNORED = new Set(['id']);

export interface HeaderMatch {
  readonly def: KindDef;
  /** Logical field → column index. */
  readonly columns: ReadonlyMap<string, number>;
  /** Header names not known to the kind (excluding `id`). */
  readonly unknown: readonly string[];
  /** Logical required fields with no column. */
  readonly missing: readonly string[];
}

function fieldIndex(def: KindDef): Map<string, string> {
  const m = new Map<string, string>();
  for (const [field, names] of Object.entries(def.fields)) for (const n of names) m.set(headerKey(n), field);
  return m;
}
const FIELD_INDEX = new Map(KINDS.map((k) => [k.kind, fieldIndex(k)]));

/** Number of header cells known to a kind. */
function knownCount(def: KindDef, keys: readonly string[]): number {
  const idx = FIELD_INDEX.get(def.kind)!;
  return keys.filter((k) => idx.has(k)).length;
}

/** Best score over all kinds (for delimiter detection with `openCsv`'s `scoreHeader`). */
export function scoreReferentialHeader(header: readonly string[]): number {
  const keys = header.map(headerKey);
  let best = 0;
  for (const def of KINDS) best = Math.max(best, knownCount(def, keys));
  return best;
}

/**
 * Identify a header: among kinds whose signature is present, the one knowing the most columns (first declared on a
 * tie). Undefined when no signature matches.
 */
export function matchHeader(header: readonly string[]): HeaderMatch | undefined {
  const keys = header.map(headerKey);
  const present = new Set(keys);
  let best: KindDef | undefined;
  let bestScore = -1;
  for (const def of KINDS) {
    if (!def.signatures.some((sig) => sig.every((n) => present.has(headerKey(n))))) continue;
    const s = knownCount(def, keys);
    if (s > bestScore) {
      best = def;
      bestScore = s;
    }
  }
  if (!best) return undefined;
  const idx = FIELD_INDEX.get(best.kind)!;
  const columns = new Map<string, number>();
  const unknown: string[] = [];
  keys.forEach((k, i) => {
    const field = idx.get(k);
    if (field !== undefined) {
      if (!columns.has(field)) columns.set(field, i);
    } else if (!ALWAYS_IGNORED.has(k) && k !== '') unknown.push(header[i]!);
  });
  const missing = best.required.filter((f) => !columns.has(f));
  return { def: best, columns, unknown, missing };
}
