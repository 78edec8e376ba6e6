/**
 * Internal referential model (methodology §3.4). NumEcoEval and G4IT referential CSVs, the embedded default pack and
 * user packs are all read into `ReferentialLayer`s, merged lowest-first into one frozen `Referential` (§3.5).
 */
import type { StepCode } from './codes.js';

export type Tier = 'TERMINAL' | 'NETWORK' | 'DATACENTER' | 'UNASSIGNED';

/** Where a value comes from: shown in traces and exports. */
export interface Provenance {
  /** Citation (URL or `owner/repo: path`) or the referential row's own `source` cell. */
  readonly source: string;
  /** SPDX id or terms (`MIT`, `ODbL-1.0`, `ADEME terms`, `commercial`…); drives `hideLicensedValues`. */
  readonly licence?: string;
  /** Year or version of the data (`2024`, `Base IMPACTS 2.01`). */
  readonly vintage?: string;
  /** Layer name: `embedded:<pack id>`, `profile:numecoeval`, `user:<dir or pack id>`. */
  readonly layer: string;
  readonly file?: string;
  readonly line?: number;
  /** Organisation owning the row (`subscriber` / `nomOrganisation`); absent = platform row (§0 precedence, §3.5). */
  readonly owner?: string;
}

export interface CriterionEntry {
  readonly code: string;
  readonly label: string;
  readonly unit: string;
  readonly description?: string;
  readonly prov: Provenance;
}

export interface Hypothesis {
  readonly code: string;
  readonly value: number | string;
  readonly unit?: string;
  readonly description?: string;
  readonly prov: Provenance;
}

export interface ItemType {
  /** The type name as declared (`Laptop`, `Ordinateur portable`…). */
  readonly type: string;
  readonly category?: string;
  readonly isServer: boolean;
  readonly defaultLifespanYears?: number;
  readonly defaultRefItem?: string;
  readonly tier?: Tier;
  readonly comment?: string;
  /** Other names that resolve to this type (French/English synonyms), matched with `foldKey`. */
  readonly synonyms?: readonly string[];
  readonly prov: Provenance;
}

/** Functional unit of a reference item (§3.4): only `Item` is amortised over the lifetime. */
export type ItemUnit = 'Item' | 'Line' | 'GB' | 'h' | 'kWh';

export interface Factor {
  /** Value in the criterion's unit per functional unit of the item. */
  readonly value: number;
  readonly prov: Provenance;
}

/** Key of a factor in `ReferenceItem.factors`. */
export const factorKey = (step: StepCode, criterion: string): string => `${step}|${criterion}`;

export interface ReferenceItem {
  readonly name: string;
  readonly description?: string;
  readonly tier?: Tier;
  readonly level?: string;
  readonly category?: string;
  readonly unit: ItemUnit;
  readonly amortised: boolean;
  /** Average yearly electricity consumption, kWh/yr (NumEcoEval `consoElecMoyenne`). */
  readonly avgKWhPerYear?: number;
  readonly activePowerW?: number;
  readonly dailyHours?: number;
  readonly lifespanYears?: number;
  readonly location?: string;
  /** Keyed by `factorKey(step, criterion)`. */
  readonly factors: ReadonlyMap<string, Factor>;
  readonly prov: Provenance;
  /** Provenance of the consumption figure (`avgKWhPerYear`, `activePowerW`) when the rows name it; else `prov`. */
  readonly kwhProv?: Provenance;
}

export interface ElectricityFactor {
  /** Canonical location key (see `countries.ts`: ISO 3166 alpha-2 when known, else the folded name). */
  readonly location: string;
  /** The location as written in the source. */
  readonly locationLabel: string;
  readonly criterion: string;
  /** Criterion unit per kWh. */
  readonly valuePerKWh: number;
  /** Dataset id (`ademe`, `ember`, `boavizta`, `referential`…) for `--electricity <source>`. */
  readonly dataset: string;
  readonly prov: Provenance;
}

export interface Matching {
  readonly modelSource: string;
  readonly refItemTarget: string;
  /** `nomOrganisation` / `subscriber`: owned rows win over platform rows (§0 precedence). */
  readonly owner?: string;
  readonly prov: Provenance;
}

export interface MessagingFactor {
  readonly criterion: string;
  readonly A: number;
  readonly b: number;
  readonly prov: Provenance;
}

export interface Normalisation {
  readonly criterion: string;
  /** Criterion units per person per year (people-equivalent divisor, F18). */
  readonly perPersonPerYear: number;
  readonly prov: Provenance;
}

/** Rows read from one source (a folder of CSVs, a pack), before merging. Arrays keep file order. */
/** A row refused by the value rules of §3.5, listed in the run's result (`meta.referential.layers[].refused`). */
export interface RefusedRow {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
}

export interface ReferentialLayer {
  readonly name: string;
  /** A pack's manifest content hash (the hash `referential list` and `show` print), when the layer is a pack. */
  readonly packHash?: string;
  /** Rows of the source refused while loading it (§3.5: "the run's result lists them"). */
  readonly refused?: readonly RefusedRow[];
  /** NumEcoEval "annule et remplace": listed tables replace all lower-layer rows of the same table. */
  readonly replace?: readonly ReferentialTable[];
  readonly criteria: CriterionEntry[];
  readonly steps: { code: StepCode; label: string; prov: Provenance }[];
  readonly hypotheses: Hypothesis[];
  readonly itemTypes: ItemType[];
  /** One row per (item, step, criterion); item-level attributes repeated on each row as in the CSVs. */
  readonly factorRows: FactorRow[];
  readonly electricity: ElectricityFactor[];
  readonly matchings: Matching[];
  readonly messaging: MessagingFactor[];
  readonly normalisation: Normalisation[];
  /** F15 cloud archetypes (optional: NumEcoEval/G4IT CSV referentials have none). */
  readonly cloudProviders?: CloudProvider[];
  readonly cloudInstances?: CloudInstanceRow[];
  readonly cloudPlatforms?: CloudPlatformRow[];
  readonly cloudRegions?: CloudRegion[];
  /** F16/F17 CPU catalogue (Boavizta `crowdsourcing/cpu_specs.csv`). */
  readonly cpuSpecs?: CpuSpec[];
  /** F11 network types of digital services (G4IT `ref_network_type.csv`). */
  readonly networkTypes?: NetworkType[];
  /** Server hosts of digital services (G4IT `ref_server_host.csv`: the S/M/L archetypes and its host catalogue). */
  readonly serverHosts?: ServerHost[];
}

/** A layer with no rows (readers fill it; the profile layer sets only hypotheses). Optional tables stay absent. */
export function emptyLayer(name: string): { -readonly [K in keyof ReferentialLayer]: ReferentialLayer[K] } {
  return {
    name,
    criteria: [],
    steps: [],
    hypotheses: [],
    itemTypes: [],
    factorRows: [],
    electricity: [],
    matchings: [],
    messaging: [],
    normalisation: [],
  };
}

/** The tables of a referential layer, in the order a pack's data files are read and a layer is validated. */
export const REFERENTIAL_TABLES = [
  'criteria',
  'steps',
  'hypotheses',
  'itemTypes',
  'factorRows',
  'electricity',
  'matchings',
  'messaging',
  'normalisation',
  'cloudProviders',
  'cloudInstances',
  'cloudPlatforms',
  'cloudRegions',
  'cpuSpecs',
  'networkTypes',
  'serverHosts',
] as const;

export type ReferentialTable = (typeof REFERENTIAL_TABLES)[number];

// ------------------------------------------------------------------------------------------------------------------
// Digital-service auxiliary tables (methodology §3.3, §3.4: G4IT `ref_network_type.csv`, `ref_server_host.csv`)
// ------------------------------------------------------------------------------------------------------------------

/**
 * A network type of a digital service (F11). `code` is G4IT's `reference` (`fixed-line-network-1`…), which is also the
 * reference item whose factors the type uses; a FIXED type is assessed by the capacity model (lines = GB ÷
 * `annualGBPerLine`), a MOBILE type per GB.
 */
export interface NetworkType {
  /** G4IT `reference`: the type's code and its reference item. Looked up case-insensitively. */
  readonly code: string;
  /** G4IT `description` (`Fixed FR`). */
  readonly description?: string;
  /** G4IT `external_referential_description` (the reference item's long name). */
  readonly referenceDescription?: string;
  readonly kind: 'FIXED' | 'MOBILE';
  /** G4IT `annual_quantity_of_go`: yearly GB of one line (FIXED types). */
  readonly annualGBPerLine?: number;
  /** G4IT `country` as written (`France`, `Europe`). */
  readonly country?: string;
  readonly prov: Provenance;
}

/**
 * A server host of a digital service (G4IT `ref_server_host.csv`). The key is `description` (G4IT's `reference` is
 * not unique in its file: `rack-server--8` is both the `Server Compute S` archetype and a catalogue row). The S/M/L
 * archetypes are the rows named `Server Compute S|M|L` and `Server Storage S|M|L`, with their vCPU or total disk.
 */
export interface ServerHost {
  /** G4IT `description` (`Server Compute S`): the key, looked up case-insensitively. */
  readonly description: string;
  /** G4IT `reference`: the reference item of the host. */
  readonly reference: string;
  /** G4IT `external_referential_description`. */
  readonly referenceDescription?: string;
  readonly kind: 'COMPUTE' | 'STORAGE';
  /** G4IT `nb_of_vcpu` (compute hosts). */
  readonly vcpu?: number;
  /** G4IT `total_disk`, GB (storage hosts). */
  readonly totalDiskGB?: number;
  /** G4IT `lifespan`, years. */
  readonly lifespanYears?: number;
  readonly prov: Provenance;
}

/** Key of a network type (its code, trimmed and lower-cased). */
export const networkTypeKey = (code: string): string => code.trim().toLowerCase();

// ------------------------------------------------------------------------------------------------------------------
// Cloud archetypes and CPU catalogue (methodology F15, F16, F17; Boavizta `archetypes/cloud/*.csv`, `server.csv`)
// ------------------------------------------------------------------------------------------------------------------

/** A cloud provider (`archetypes/cloud/providers.csv`). */
export interface CloudProvider {
  /** Provider code, lower case (`aws`, `azure`, `gcp`…). */
  readonly provider: string;
  readonly description?: string;
  /** Other names that resolve to this provider (matched with `foldKey`). */
  readonly synonyms?: readonly string[];
  readonly prov: Provenance;
}

/** A cloud instance type (`archetypes/cloud/<provider>.csv`): its share of a bare-metal platform. */
export interface CloudInstanceRow {
  readonly provider: string;
  readonly id: string;
  readonly vcpu: number;
  readonly memoryGB: number;
  readonly ssdGB: number;
  readonly hddGB: number;
  /** `gpu_units` as written (a count or a fraction such as `1/8th MI25 (2GB VRAM)`); GPUs are not modelled (F16). */
  readonly gpu?: string;
  /** Platform id in `cloudPlatforms` (`archetypes/server.csv` `id`). */
  readonly platform: string;
  /** The archetype row's own `source` cell, when filled. */
  readonly note?: string;
  /** 1-based data row in the provider file: BoaviztAPI's name resolution takes the first matching row (F15). */
  readonly sourceRow?: number;
  readonly prov: Provenance;
}

/** A bare-metal server archetype (`archetypes/server.csv`, default value of each `default;min;max` cell). */
export interface CloudPlatformRow {
  readonly id: string;
  readonly manufacturer?: string;
  readonly caseType: 'rack' | 'blade';
  readonly cpuUnits: number;
  readonly cpuCoreUnits?: number;
  readonly cpuDieSizePerCoreMm2?: number;
  /** CPU name, looked up in `cpuSpecs` (threads, cores, die size, TDP, model range). */
  readonly cpuName?: string;
  /** `CPU.threads` as given by the archetype; vCPU of the platform = threads × CPU units (F15). */
  readonly cpuThreads?: number;
  readonly ramUnits: number;
  readonly ramCapacityGB: number;
  readonly ssdUnits: number;
  readonly ssdCapacityGB: number;
  readonly hddUnits: number;
  readonly hddCapacityGB: number;
  readonly gpuUnits?: number;
  readonly gpuName?: string;
  readonly powerSupplyUnits: number;
  readonly powerSupplyWeightKg: number;
  /** `USAGE.time_workload`, % load. */
  readonly load?: number;
  readonly useTimeRatio?: number;
  readonly hoursLifeTime: number;
  readonly otherConsumptionRatio: number;
  /** The archetype's `WARNINGS` cell. */
  readonly warnings?: string;
  readonly prov: Provenance;
}

/** Provider region → country (`archetypes/cloud/regions.csv`). */
export interface CloudRegion {
  readonly provider: string;
  readonly region: string;
  /** Canonical location key (ISO 3166 alpha-2, see `countries.ts`). */
  readonly location: string;
  /** The location as written in the source (ISO alpha-3). */
  readonly locationLabel: string;
  readonly prov: Provenance;
}

/** A CPU of the Boavizta catalogue (`crowdsourcing/cpu_specs.csv`), only the columns F15–F17 use. */
export interface CpuSpec {
  /** `name`, trimmed. */
  readonly name: string;
  readonly manufacturer?: string;
  readonly modelRange?: string;
  /** `code_name` (family, e.g. Skylake): the die-size completion averages CPUs of the same family (F16). */
  readonly family?: string;
  /** Cores and threads per CPU. */
  readonly cores?: number;
  readonly threads?: number;
  readonly tdpW?: number;
  readonly totalDieSizeMm2?: number;
  /** 1-based data row in `cpu_specs.csv`: BoaviztAPI's fuzzy CPU match takes the first best row (F15, F16). */
  readonly sourceRow?: number;
  readonly prov: Provenance;
}

/** Merged cloud tables. Keys: `cloudKey(provider, id)` for instances and regions, the platform id, the provider code. */
export interface CloudReferential {
  readonly providers: ReadonlyMap<string, CloudProvider>;
  readonly instances: ReadonlyMap<string, CloudInstanceRow>;
  readonly platforms: ReadonlyMap<string, CloudPlatformRow>;
  readonly regions: ReadonlyMap<string, CloudRegion>;
}

/** Key of an instance or region row: provider and id, trimmed and lower-cased (lookups are case-insensitive). */
export const cloudKey = (provider: string, id: string): string =>
  `${provider.trim().toLowerCase()}\u0000${id.trim().toLowerCase()}`;

export interface FactorRow {
  readonly item: string;
  readonly step: StepCode;
  readonly criterion: string;
  readonly value: number;
  readonly description?: string;
  readonly tier?: Tier;
  readonly level?: string;
  readonly category?: string;
  readonly unit?: ItemUnit;
  readonly avgKWhPerYear?: number;
  readonly activePowerW?: number;
  readonly dailyHours?: number;
  readonly lifespanYears?: number;
  readonly location?: string;
  /** Provenance of `avgKWhPerYear` / `activePowerW` when it differs from the factor's own (pack field `kwhSrc`). */
  readonly kwhProv?: Provenance;
  readonly prov: Provenance;
}

/** The merged, frozen referential of a run. Lookups by folded key where the spec says case-insensitive. */
export interface Referential {
  /** Identity of the top pack (`empreinte-default`, a user dir name…) and its version. */
  readonly id: string;
  readonly version: string;
  /** Names and versions of every layer, lowest first. */
  readonly layers: readonly { name: string; version?: string; packHash?: string; refused?: readonly RefusedRow[] }[];
  /** Content hash of the merged referential (sha256 hex), written in every result. */
  readonly hash: string;
  readonly criteria: ReadonlyMap<string, CriterionEntry>;
  readonly hypotheses: ReadonlyMap<string, Hypothesis>;
  /** Keyed by `foldKey(type)` and by `foldKey(synonym)`. */
  readonly itemTypes: ReadonlyMap<string, ItemType>;
  /** Keyed by exact item name. */
  readonly items: ReadonlyMap<string, ReferenceItem>;
  /** location key → criterion → factor (the dataset chosen for the run, see `electricitySource`). */
  readonly electricity: ReadonlyMap<string, ReadonlyMap<string, ElectricityFactor>>;
  /** Keyed by exact `modelSource`; owned rows (matching the run's organisation) already applied over platform rows. */
  readonly matchings: ReadonlyMap<string, Matching>;
  readonly messaging: ReadonlyMap<string, MessagingFactor>;
  readonly normalisation: ReadonlyMap<string, Normalisation>;
  /** F15 cloud archetypes (absent or empty when no layer provides them). */
  readonly cloud?: CloudReferential;
  /** F16/F17 CPU catalogue keyed by exact (trimmed) name. */
  readonly cpuSpecs?: ReadonlyMap<string, CpuSpec>;
  /** F11 network types keyed by `networkTypeKey(code)` (absent when no layer provides them). */
  readonly networkTypes?: ReadonlyMap<string, NetworkType>;
  /** Server hosts keyed by `foldKey(description)` (absent when no layer provides them). */
  readonly serverHosts?: ReadonlyMap<string, ServerHost>;
}
