/**
 * Inventory column catalogue (methodology §2.3–2.9): for each kind of file, its canonical columns (NumEcoEval names),
 * the G4IT/NumEcoEval variants accepted as aliases, and the native Empreinte English name of each column, which is the
 * field name of `src/inventory/model.ts` (documented in docs/inventory-format.md).
 *
 * Header names match case-insensitively after trimming (§2.1). Mandatory flags:
 * N = mandatory header in NumEcoEval, G = mandatory header in G4IT (`teamg4it/g4it:
 * services/backend/src/main/resources/csv-headers.yml`), E = mandatory value for this engine (line rejected without it),
 * H = mandatory header in both modes although the value may be empty (`modele`, §2.4, as G4IT loads it).
 */
import type { InventoryKind } from './model.js';

export type CellType =
  | 'string'
  | 'number'
  | 'integer'
  | 'date'
  | 'boolean'
  | 'quality'
  | 'usageMode'
  | 'vmType'
  | 'infrastructure'
  | 'monthYear'
  | 'endOfLife';

/** Value constraint checked after parsing (codes of §2.12). */
export type Constraint =
  | 'positive' // > 0, INP_NOT_POSITIVE
  | 'nonNegative' // ≥ 0, INP_NEGATIVE
  | 'fraction' // 0–1, INP_OUT_OF_RANGE
  | 'allocation' // 0–1, INP_ALLOCATION_RANGE
  | 'percent' // 0–100, INP_OUT_OF_RANGE
  | 'hours' // 0–8760, INP_HOURS_RANGE (and ≥ 0)
  | 'pue'; // > 1, INP_PUE_RANGE

export interface ColumnSpec {
  /** NumEcoEval column name (the canonical key of parsed records). */
  readonly canonical: string;
  /** Native Empreinte English column name = field of the model item (absent when the column is read and ignored). */
  readonly field?: string;
  /** Native English column name when the column has no model field. */
  readonly native?: string;
  /** Other accepted header spellings (G4IT, JSON variants). */
  readonly aliases?: readonly string[];
  readonly type: CellType;
  readonly constraint?: Constraint;
  /**
   * Hard upper limit (methodology §2.1 "Hard limits", choice to keep totals finite): a larger value rejects the line
   * with `INP_OUT_OF_RANGE` in both modes. Implausible values below it are warnings (`INP_ABSURD_VALUE`).
   */
  readonly max?: number;
  /** Mandatory in the NumEcoEval header. */
  readonly n?: boolean;
  /** Mandatory in the G4IT header (strict mode requires it in the header). */
  readonly g?: boolean;
  /** Unconditionally mandatory value for this engine (line rejected without it; header required in both modes). */
  readonly e?: boolean;
  /** Header required in both modes, but an empty value is legal (`modele`, §2.4). */
  readonly h?: boolean;
}

export interface KindSpec {
  readonly kind: InventoryKind;
  /** NumEcoEval file name (`csvDataCenter`…) and G4IT file kind, for messages and docs. */
  readonly numecoeval: string;
  readonly g4it?: string;
  readonly columns: readonly ColumnSpec[];
}

/**
 * Hard limits of numeric inputs (methodology §2.1, choice): quantity per line, kWh per unit and year, years, PUE, cores,
 * GB, hours per year (8784 = a leap year). `vCPU` shares the cores limit and `capaciteStockage` the disk limit (choice
 * of this engine: the spec lists no limit for them, and their sums must stay finite for VM shares, F8).
 */
export const MAX = {
  quantity: 1e6,
  annualKWh: 1e7,
  lifeYears: 50,
  pue: 10,
  cores: 1e4,
  memoryGB: 1e6,
  diskGB: 1e7,
  hours: 8784,
} as const;

const LIFE = { constraint: 'nonNegative', max: MAX.lifeYears } as const;

const ORIGIN: readonly ColumnSpec[] = [
  { canonical: 'nomEntite', field: 'entity', type: 'string' },
  { canonical: 'nomSourceDonnee', field: 'dataSource', type: 'string' },
  { canonical: 'qualite', field: 'quality', type: 'quality' },
];

export const KIND_SPECS: Readonly<Record<InventoryKind, KindSpec>> = {
  entity: {
    kind: 'entity',
    numecoeval: 'csvEntite',
    columns: [
      { canonical: 'nomEntite', field: 'name', type: 'string', n: true, e: true },
      { canonical: 'nbCollaborateurs', field: 'collaborators', type: 'integer', constraint: 'nonNegative', n: true },
      { canonical: 'responsableEntite', field: 'manager', type: 'string', n: true },
      {
        canonical: 'responsableNumeriqueResponsable',
        field: 'sustainabilityLead',
        aliases: ['responsableNumeriqueDurable'],
        type: 'string',
        n: true,
      },
      { canonical: 'nomSourceDonnee', native: 'dataSource', type: 'string' },
    ],
  },
  datacenter: {
    kind: 'datacenter',
    numecoeval: 'csvDataCenter',
    g4it: 'datacenter',
    columns: [
      { canonical: 'nomCourtDatacenter', field: 'name', type: 'string', n: true, g: true, e: true },
      { canonical: 'nomLongDatacenter', field: 'longName', type: 'string', n: true },
      { canonical: 'pue', field: 'pue', type: 'number', constraint: 'pue', max: MAX.pue, n: true },
      { canonical: 'localisation', field: 'location', type: 'string', n: true, g: true, e: true },
      ...ORIGIN,
    ],
  },
  'physical-equipment': {
    kind: 'physical-equipment',
    numecoeval: 'csvEquipementPhysique',
    g4it: 'equipementPhysique',
    columns: [
      { canonical: 'nomEquipementPhysique', field: 'name', type: 'string', n: true, g: true, e: true },
      // Header required, empty value legal (§2.4): the item then resolves from its type (warning INP_MODEL_EMPTY).
      { canonical: 'modele', field: 'model', type: 'string', n: true, g: true, h: true },
      {
        canonical: 'quantite',
        field: 'quantity',
        type: 'number',
        constraint: 'positive',
        max: MAX.quantity,
        n: true,
        g: true,
        e: true,
      },
      { canonical: 'type', field: 'type', type: 'string', n: true, g: true, e: true },
      { canonical: 'statut', field: 'status', type: 'string', n: true },
      { canonical: 'paysDUtilisation', field: 'country', type: 'string', n: true, g: true, e: true },
      { canonical: 'nomCourtDatacenter', field: 'datacenter', type: 'string', n: true },
      { canonical: 'dateAchat', field: 'purchaseDate', type: 'date' },
      { canonical: 'dateRetrait', field: 'retirementDate', type: 'date' },
      { canonical: 'dureeUsageInterne', field: 'internalLifeYears', type: 'number', ...LIFE },
      { canonical: 'dureeUsageAmont', field: 'upstreamLifeYears', type: 'number', ...LIFE },
      { canonical: 'dureeUsageAval', field: 'downstreamLifeYears', type: 'number', ...LIFE },
      {
        canonical: 'consoElecAnnuelle',
        field: 'annualKWh',
        aliases: ['consoElecAn'],
        type: 'number',
        constraint: 'nonNegative',
        max: MAX.annualKWh,
        n: true,
      },
      { canonical: 'utilisateur', field: 'user', type: 'string', n: true },
      { canonical: 'nbCoeur', field: 'cores', type: 'integer', constraint: 'positive', max: MAX.cores, n: true },
      { canonical: 'modeUtilisation', field: 'usageMode', type: 'usageMode' },
      { canonical: 'tauxUtilisation', field: 'usageRate', type: 'number', constraint: 'fraction' },
      ...ORIGIN,
      { canonical: 'fabricant', field: 'manufacturer', type: 'string' },
      { canonical: 'typeDeProcesseur', field: 'cpuType', type: 'string' },
      { canonical: 'tailleMemoire', field: 'memoryGB', type: 'integer', constraint: 'positive', max: MAX.memoryGB },
      { canonical: 'tailleDuDisque', field: 'diskGB', type: 'integer', constraint: 'positive', max: MAX.diskGB },
      // F16 optional disk columns of bottom-up servers (methodology F16): counts ≥ 0, SSD size in GB per disk. Hard
      // limits (choice, §2.1 names none): a count as the cores' limit, a size as the disk's.
      { canonical: 'nbSsd', field: 'ssdCount', type: 'integer', constraint: 'nonNegative', max: MAX.cores },
      { canonical: 'tailleSsd', field: 'ssdSizeGb', type: 'number', constraint: 'positive', max: MAX.diskGB },
      { canonical: 'nbHdd', field: 'hddCount', type: 'integer', constraint: 'nonNegative', max: MAX.cores },
      { canonical: 'dureeUtilisation', field: 'usageHours', type: 'number', constraint: 'hours' },
      { canonical: 'nombreUtilisateur', field: 'userCount', type: 'integer', constraint: 'positive' },
      { canonical: 'tauxAchatReconditionne', field: 'refurbishedRate', type: 'number', constraint: 'fraction' },
      { canonical: 'tauxReemploi', field: 'reuseRate', type: 'number', constraint: 'fraction' },
      { canonical: 'serveur', field: 'serverFlag', type: 'boolean' },
      // What became of a retired item (State KPIs, issue 13): réemploi, don, recyclage, inconnu.
      { canonical: 'finDeVie', field: 'endOfLife', type: 'endOfLife' },
    ],
  },
  'virtual-equipment': {
    kind: 'virtual-equipment',
    numecoeval: 'csvEquipementVirtuel',
    g4it: 'equipementVirtuel',
    columns: [
      { canonical: 'nomEquipementVirtuel', field: 'name', type: 'string', n: true, g: true, e: true },
      // Mandatory unless typeInfrastructure is CLOUD_SERVICES (checked per line: INP_HOST_REQUIRED).
      { canonical: 'nomEquipementPhysique', field: 'host', type: 'string', n: true },
      { canonical: 'nomSourceDonneeEquipementPhysique', field: 'hostDataSource', type: 'string' },
      { canonical: 'cleRepartition', field: 'allocationKey', type: 'number', constraint: 'allocation' },
      { canonical: 'vCPU', field: 'vcpu', type: 'number', constraint: 'positive', max: MAX.cores, n: true },
      { canonical: 'cluster', field: 'cluster', type: 'string', n: true },
      {
        canonical: 'consoElecAnnuelle',
        field: 'annualKWh',
        aliases: ['consoElecAn'],
        type: 'number',
        constraint: 'nonNegative',
        max: MAX.annualKWh,
      },
      { canonical: 'typeEqv', field: 'vmType', type: 'vmType' },
      { canonical: 'capaciteStockage', field: 'storage', type: 'number', constraint: 'nonNegative', max: MAX.diskGB },
      { canonical: 'typeInfrastructure', field: 'infrastructure', type: 'infrastructure' },
      { canonical: 'quantite', field: 'quantity', type: 'number', constraint: 'positive', max: MAX.quantity },
      { canonical: 'provider', field: 'provider', type: 'string' },
      { canonical: 'typeInstance', field: 'instanceType', type: 'string' },
      { canonical: 'location', field: 'location', type: 'string' },
      { canonical: 'chargeMoy', field: 'avgLoad', type: 'number', constraint: 'percent' },
      {
        canonical: 'dureeUtilisationAnnuelle',
        field: 'annualHours',
        type: 'number',
        constraint: 'hours',
        max: MAX.hours,
      },
      ...ORIGIN,
    ],
  },
  application: {
    kind: 'application',
    numecoeval: 'csvApplication',
    g4it: 'application',
    columns: [
      { canonical: 'nomApplication', field: 'name', type: 'string', n: true, g: true, e: true },
      { canonical: 'typeEnvironnement', field: 'environment', type: 'string', n: true, g: true, e: true },
      // Mandatory unless nomEquipementPhysique is given (checked per line).
      { canonical: 'nomEquipementVirtuel', field: 'vm', type: 'string', g: true },
      {
        canonical: 'nomSourceEquipementVirtuel',
        field: 'vmDataSource',
        aliases: ['nomSourceDonneeEquipementVirtuel'],
        type: 'string',
      },
      { canonical: 'domaine', field: 'domain', type: 'string', n: true },
      { canonical: 'sousDomaine', field: 'subDomain', type: 'string', n: true },
      { canonical: 'nomEquipementPhysique', field: 'host', type: 'string', n: true },
      ...ORIGIN,
      { canonical: 'associeAvecUnEquipmentCloud', native: 'cloudAssociated', type: 'string' },
    ],
  },
  'non-it': {
    kind: 'non-it',
    numecoeval: 'csvOperationNonIT',
    columns: [
      { canonical: 'nomItemNonIT', field: 'name', type: 'string', n: true, e: true },
      {
        canonical: 'quantite',
        field: 'quantity',
        type: 'number',
        constraint: 'positive',
        max: MAX.quantity,
        n: true,
        e: true,
      },
      { canonical: 'type', field: 'type', type: 'string', n: true, e: true },
      {
        canonical: 'dureeDeVie',
        field: 'lifeYears',
        type: 'number',
        constraint: 'positive',
        max: MAX.lifeYears,
        n: true,
      },
      { canonical: 'localisation', field: 'location', type: 'string', n: true, e: true },
      { canonical: 'nomCourtDatacenter', field: 'datacenter', type: 'string', n: true },
      { canonical: 'description', field: 'description', type: 'string', n: true },
      {
        canonical: 'consoElecAnnuelle',
        field: 'annualKWh',
        aliases: ['consoElecAn'],
        type: 'number',
        constraint: 'nonNegative',
        max: MAX.annualKWh,
        n: true,
      },
      ...ORIGIN,
    ],
  },
  messaging: {
    kind: 'messaging',
    numecoeval: 'csvMessagerie',
    columns: [
      {
        canonical: 'nombreMailEmis',
        field: 'sentCount',
        type: 'integer',
        constraint: 'nonNegative',
        n: true,
        e: true,
      },
      {
        canonical: 'nombreMailEmisXDestinataires',
        field: 'sentTimesRecipients',
        type: 'integer',
        constraint: 'nonNegative',
        n: true,
        e: true,
      },
      {
        canonical: 'volumeTotalMailEmis',
        field: 'totalVolume',
        type: 'number',
        constraint: 'nonNegative',
        n: true,
        e: true,
      },
      // Parsed into the model's `year` and `month`; native column `monthYear` (MMYYYY or yyyy-MM).
      { canonical: 'MoisAnnee', native: 'monthYear', type: 'monthYear', n: true, e: true },
      { canonical: 'nomEntite', field: 'entity', type: 'string', n: true },
      { canonical: 'nomSourceDonnee', native: 'dataSource', type: 'string' },
    ],
  },
};

/** Processing order of kinds (dependencies first, §2.11). */
export const KIND_ORDER: readonly InventoryKind[] = [
  'entity',
  'datacenter',
  'physical-equipment',
  'virtual-equipment',
  'application',
  'non-it',
  'messaging',
];

/** The native English column name of a spec. */
export function nativeName(c: ColumnSpec): string {
  return c.field ?? c.native ?? c.canonical;
}

/** Header-name normal form: trimmed, lower case (§2.1). */
export function headerKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Lookup per kind: every accepted spelling (canonical, aliases, native) → spec. Built once. */
const LOOKUP: Readonly<Record<InventoryKind, ReadonlyMap<string, ColumnSpec>>> = (() => {
  const out = {} as Record<InventoryKind, Map<string, ColumnSpec>>;
  for (const kind of KIND_ORDER) {
    const m = new Map<string, ColumnSpec>();
    for (const c of KIND_SPECS[kind].columns) {
      for (const name of [c.canonical, nativeName(c), ...(c.aliases ?? [])]) {
        const k = headerKey(name);
        const prev = m.get(k);
        if (prev && prev !== c) throw new Error(`column name ${name} is ambiguous in kind ${kind}`);
        m.set(k, c);
      }
    }
    out[kind] = m;
  }
  return out;
})();

/** The column spec a header cell designates for a kind, if any. */
export function resolveColumn(kind: InventoryKind, headerName: string): ColumnSpec | undefined {
  return LOOKUP[kind].get(headerKey(headerName));
}

/** The spec of a canonical column of a kind. */
export function columnSpec(kind: InventoryKind, canonical: string): ColumnSpec | undefined {
  return LOOKUP[kind].get(headerKey(canonical));
}

export type ValidationMode = 'lenient' | 'strict';

/**
 * Columns the header must contain (§2.1): every unconditional E column and every H column; in strict mode also every
 * G column. N-only columns are never required (choice).
 */
export function mandatoryColumns(kind: InventoryKind, mode: ValidationMode): ColumnSpec[] {
  return KIND_SPECS[kind].columns.filter((c) => c.e || c.h || (mode === 'strict' && c.g));
}

/**
 * Columns of older NumEcoEval files (§2.1), known and ignored with a warning (`INP_HEADER_LEGACY`) in both modes when
 * the kind has no column of that name: the batch columns `nomOrganisation`, `nomLot`, `dateLot`, the former
 * `sourceDonnee`, and `nomSourceDonneeEquipementPhysique` outside virtual equipment.
 */
const LEGACY_COLUMNS: ReadonlySet<string> = new Set(
  ['nomOrganisation', 'nomLot', 'dateLot', 'sourceDonnee', 'nomSourceDonneeEquipementPhysique'].map(headerKey),
);

/** Whether a header cell is an older NumEcoEval column that this kind ignores. */
export function isLegacyColumn(kind: InventoryKind, headerName: string): boolean {
  return LEGACY_COLUMNS.has(headerKey(headerName)) && resolveColumn(kind, headerName) === undefined;
}
