/**
 * Indicator rows in the output formats of NumEcoEval and G4IT (issue 11, `--format numecoeval|g4it`), so that an
 * organisation moving from them keeps its downstream tools (Power BI templates, SQL, scripts). Pure: an IndicatorRow
 * (plus the run's context and, optionally, fields of its item) in, the target table or file and its cells out, in the
 * target's column order; the CSV writer writes them.
 *
 * Sources of the columns (public repositories, read with the project's code search):
 * - NumEcoEval output tables `ind_indicateur_impact_equipement_physique`, `…_equipement_virtuel`, `…_application`,
 *   `…_messagerie`: `G4ITTeam/g4it: services/backend/src/test/resources/db/changelog/numecoeval/
 *   greenitdb.changelog-numecoeval-indicateur.yml` (the schema G4IT's tests create for NumEcoEval's tables, commit
 *   ece60a2); the order of the physical-equipment columns matches the CSV export of NumEcoEval's own front end
 *   (`Croco-deal/numecoeval-ihm`, route exporting `date_calcul;date_lot;nom_lot;etapeacv;critere;…`).
 * - G4IT exported indicator files `ind_physical_equipment.csv`, `ind_virtual_equipment.csv`, `ind_application.csv`:
 *   `teamg4it/g4it: services/backend/src/main/resources/csv-headers.yml` (keys `physicalEquipmentIndicator`,
 *   `virtualEquipmentIndicator`, `applicationIndicator`; same lists at `G4ITTeam/g4it` commit 572731f), written with
 *   `;` by G4IT's export service.
 *
 * Value conventions:
 * - lifecycle step: the target's own code (methodology §1.2, `STEP_EXPORT`): NumEcoEval `FABRICATION`, `DISTRIBUTION`,
 *   `UTILISATION`, `FIN_DE_VIE`; G4IT `MANUFACTURING`, `TRANSPORTATION`, `USING`, `END_OF_LIFE`. The aggregate steps
 *   `EMBODIED` and `WHOLE_LIFE` have no code there: such rows are not exported (the mapper returns `undefined`; the
 *   caller counts them), except messaging, whose NumEcoEval table has no step column.
 * - criterion: its label as NumEcoEval and G4IT store it (`Climate change`, `Resource use (minerals and metals)`,
 *   `Acidification`, `Particulate matter and respiratory inorganics`, `Ionising radiation` …: `CriterionDef.label`); a
 *   criterion outside the catalogue keeps its code.
 * - status: `OK` or `ERROR` (methodology §1.6); the value (`impact_unitaire` / `unitImpact`) is the exact value in
 *   the criterion's unit, empty for an indicator in error, whose `trace` holds `CODE: message`; an OK row's `trace` is
 *   the formula when the row carries its trace, else empty.
 * - dates: `date_lot` / `batchDate` the run's reference date `YYYY-MM-DD`; `date_calcul` / `calculationDate` an ISO
 *   timestamp in UTC without zone (`2026-12-06T21:54:38.000`, what PostgreSQL `timestamp` and Java `LocalDateTime`
 *   read).
 * - `conso_elec_moyenne` / `averagePowerConsumption`: the item's electricity at the equipment, kWh per year, on USE
 *   rows only (G4IT sums it over `UTILISATION` rows), empty elsewhere.
 * - discriminator columns (NumEcoEval's partitioning keys): the same values as the columns they shadow.
 * - G4IT `sipImpact`: value divided by the criterion's per-person yearly budget when the context gives one, else empty.
 * Non-IT items have no indicator table in either tool and messaging none in G4IT: `undefined`.
 */
import { indicatorRows, type IndicatorRow, type RunMeta } from '../engine/index.js';
import type { Layout } from '../engine/layout.js';
import type { ItemResult } from '../engine/result.js';
import { issueMessage } from '../issues/catalogue.js';
import { criterionDef, STEP_EXPORT, type LifecycleStep } from '../referential/codes.js';

export type IndicatorCell = string | number | undefined;

const NUMECOEVAL_DISCRIMINATORS = [
  'date_lot_discriminator',
  'nom_organisation_discriminator',
  'nom_entite_discriminator',
  'nom_source_donnee_discriminator',
] as const;

/** NumEcoEval indicator tables and their columns, in the order of their schema. */
export const NUMECOEVAL_INDICATOR_COLUMNS = {
  ind_indicateur_impact_equipement_physique: [
    'date_calcul',
    'date_lot',
    'nom_lot',
    'etapeacv',
    'critere',
    'source',
    'statut_indicateur',
    'trace',
    'version_calcul',
    'conso_elec_moyenne',
    'impact_unitaire',
    'quantite',
    'statut_equipement_physique',
    'type_equipement',
    'unite',
    'nom_entite',
    'nom_organisation',
    'nom_source_donnee',
    'nom_equipement',
    ...NUMECOEVAL_DISCRIMINATORS,
  ],
  ind_indicateur_impact_equipement_virtuel: [
    'date_calcul',
    'date_lot',
    'nom_lot',
    'etapeacv',
    'critere',
    'nom_organisation',
    'nom_source_donnee',
    'nom_equipement',
    'nom_equipement_virtuel',
    'nom_entite',
    'source',
    'statut_indicateur',
    'trace',
    'version_calcul',
    'impact_unitaire',
    'unite',
    'conso_elec_moyenne',
    'cluster',
    ...NUMECOEVAL_DISCRIMINATORS,
  ],
  ind_indicateur_impact_application: [
    'date_calcul',
    'date_lot',
    'nom_lot',
    'etapeacv',
    'critere',
    'nom_organisation',
    'nom_source_donnee',
    'nom_application',
    'type_environnement',
    'nom_equipement_physique',
    'nom_equipement_virtuel',
    'nom_entite',
    'source',
    'statut_indicateur',
    'trace',
    'version_calcul',
    'domaine',
    'sous_domaine',
    'impact_unitaire',
    'unite',
    'conso_elec_moyenne',
    ...NUMECOEVAL_DISCRIMINATORS,
  ],
  ind_indicateur_impact_messagerie: [
    'date_calcul',
    'date_lot',
    'nom_lot',
    'nom_organisation',
    'nom_source_donnee',
    'critere',
    'mois_annee',
    'nom_entite',
    'source',
    'statut_indicateur',
    'trace',
    'version_calcul',
    'impact_unitaire',
    'unite',
    'nombre_mail_emis',
    'volume_total_mail_emis',
    ...NUMECOEVAL_DISCRIMINATORS,
  ],
} as const satisfies Record<string, readonly string[]>;

export type NumEcoEvalTable = keyof typeof NUMECOEVAL_INDICATOR_COLUMNS;

const G4IT_DISCRIMINATORS = [
  'batchDateDiscriminator',
  'organizationNameDiscriminator',
  'entityNameDiscriminator',
  'dataSourceNameDiscriminator',
] as const;

/** G4IT exported indicator files (without `.csv`) and their columns, in G4IT's order. */
export const G4IT_INDICATOR_COLUMNS = {
  ind_physical_equipment: [
    'inventoryName',
    'calculationDate',
    'batchDate',
    'batchName',
    'acvStep',
    'criteria',
    'source',
    'indicatorStatus',
    'trace',
    'calculationVersion',
    'averagePowerConsumption',
    'unitImpact',
    'quantity',
    'physicalEquipmentStatus',
    'equipmentType',
    'unit',
    'entityName',
    'organizationName',
    'dataSourceName',
    'equipmentName',
    // G4IT lists the entity discriminator first in this file.
    'entityNameDiscriminator',
    'batchDateDiscriminator',
    'organizationNameDiscriminator',
    'dataSourceNameDiscriminator',
    'sipImpact',
  ],
  ind_virtual_equipment: [
    'inventoryName',
    'calculationDate',
    'batchDate',
    'batchName',
    'acvStep',
    'criteria',
    'organizationName',
    'dataSourceName',
    'equipmentName',
    'virtualEquipmentName',
    'infrastructureType',
    'provider',
    'instanceType',
    'entityName',
    'source',
    'indicatorStatus',
    'trace',
    'calculationVersion',
    'unitImpact',
    'unit',
    'averagePowerConsumption',
    'cluster',
    ...G4IT_DISCRIMINATORS,
    'sipImpact',
  ],
  ind_application: [
    'inventoryName',
    'calculationDate',
    'batchDate',
    'batchName',
    'acvStep',
    'criteria',
    'organizationName',
    'dataSourceName',
    'applicationName',
    'environmentType',
    'physicalEquipmentName',
    'virtualEquipmentName',
    'entityName',
    'source',
    'indicatorStatus',
    'trace',
    'calculationVersion',
    'domain',
    'subDomain',
    'unitImpact',
    'unit',
    'averagePowerConsumption',
    ...G4IT_DISCRIMINATORS,
    'sipImpact',
  ],
} as const satisfies Record<string, readonly string[]>;

export type G4itFile = keyof typeof G4IT_INDICATOR_COLUMNS;

/** What every row of a run shares. */
export interface IndicatorExportContext {
  /** NumEcoEval `nom_lot`, G4IT `batchName`. */
  readonly batchName: string;
  /** NumEcoEval `date_lot`, G4IT `batchDate`: the reference date, `YYYY-MM-DD`. */
  readonly batchDate: string;
  /** `nom_organisation` / `organizationName`. */
  readonly organisation: string;
  /** When the calculation ran (`date_calcul` / `calculationDate`). */
  readonly calculationDate: Date | string;
  /** `version_calcul` / `calculationVersion`: the engine's name and version. */
  readonly calculationVersion: string;
  /** `source`: where the factors come from (the referential's id and version). */
  readonly source: string;
  /** G4IT `inventoryName` (default: the batch name). */
  readonly inventoryName?: string;
  /** `nom_source_donnee` / `dataSourceName` when the item does not give its own. */
  readonly dataSource?: string;
  /** Per-person yearly budget of a criterion (G4IT's SIP), in the criterion's unit, for `sipImpact`. */
  readonly sip?: (criterion: string) => number | undefined;
}

/** Fields of the row's item that an IndicatorRow does not carry (all optional: absent = empty cell). */
export interface IndicatorItemFields {
  readonly quantity?: number;
  readonly type?: string;
  /** `statut_equipement_physique` / `physicalEquipmentStatus` (e.g. `In use`). */
  readonly equipmentStatus?: string;
  /** Electricity at the equipment, kWh per year. */
  readonly electricityKWh?: number;
  readonly dataSource?: string;
  readonly cluster?: string;
  readonly infrastructureType?: string;
  readonly provider?: string;
  readonly instanceType?: string;
  readonly environment?: string;
  readonly domain?: string;
  readonly subDomain?: string;
  /** Messaging: month `YYYY-MM-DD` (first of the month), number and total volume of mails sent. */
  readonly monthYear?: string;
  readonly mailCount?: number;
  readonly mailVolume?: number;
}

/** The context of a run from its metadata; `calculationDate` is the caller's clock (the engine has none). */
export function indicatorExportContext(
  meta: RunMeta,
  calculationDate: Date | string,
  extra: Partial<Pick<IndicatorExportContext, 'inventoryName' | 'dataSource' | 'sip'>> = {},
): IndicatorExportContext {
  const batchName = meta.batch ?? `empreinte-${meta.referenceDate}`;
  return {
    batchName,
    batchDate: meta.referenceDate,
    organisation: meta.organisation ?? '',
    calculationDate,
    calculationVersion: `${meta.engine.name} ${meta.engine.version}`,
    source: `${meta.referential.id} ${meta.referential.version}`,
    ...extra,
  };
}

/** The item fields an ItemResult gives (type, quantity, electricity, environment, domain). */
export function itemFields(result: ItemResult): IndicatorItemFields {
  return {
    quantity: result.quantity,
    ...(result.dims.type !== undefined ? { type: result.dims.type } : {}),
    ...(result.itKWh > 0 ? { electricityKWh: result.itKWh } : {}),
    ...(result.dims.environment !== undefined ? { environment: result.dims.environment } : {}),
    ...(result.dims.domain !== undefined ? { domain: result.dims.domain } : {}),
  };
}

/** `2026-12-06T21:54:38.000`: UTC, milliseconds, no zone. */
export function timestampText(d: Date | string): string {
  if (typeof d === 'string') return d;
  return d.toISOString().replace(/Z$/, '');
}

/** The criterion as NumEcoEval and G4IT name it. */
export function criterionLabel(code: string): string {
  return criterionDef(code)?.label ?? code;
}

interface Common {
  readonly step: LifecycleStep | undefined;
  readonly criterion: string;
  readonly status: 'OK' | 'ERROR';
  readonly value: number | undefined;
  readonly trace: string;
  readonly date: string;
  readonly electricity: number | undefined;
  readonly dataSource: string;
  readonly entity: string;
}

function common(row: IndicatorRow, ctx: IndicatorExportContext, item: IndicatorItemFields): Common {
  const step = row.lifecycleStep in STEP_EXPORT ? (row.lifecycleStep as LifecycleStep) : undefined;
  const error = row.status === 'ERROR';
  const trace = error
    ? `${row.errorCode ?? ''}${row.errorMessage ? `: ${issueMessage(row.errorMessage, { name: row.item })}` : ''}`
    : (row.trace?.formula ?? '');
  return {
    step,
    criterion: criterionLabel(row.criterion),
    status: row.status,
    value: error ? undefined : row.value,
    trace,
    date: timestampText(ctx.calculationDate),
    electricity: step === 'USE' ? item.electricityKWh : undefined,
    dataSource: item.dataSource ?? ctx.dataSource ?? '',
    entity: row.entity ?? '',
  };
}

/** The NumEcoEval table of an item kind (none for non-IT items). */
export function numecoevalTableOf(kind: IndicatorRow['kind']): NumEcoEvalTable | undefined {
  switch (kind) {
    case 'physical-equipment':
      return 'ind_indicateur_impact_equipement_physique';
    case 'virtual-equipment':
      return 'ind_indicateur_impact_equipement_virtuel';
    case 'application':
      return 'ind_indicateur_impact_application';
    case 'messaging':
      return 'ind_indicateur_impact_messagerie';
    default:
      return undefined;
  }
}

/** The G4IT file of an item kind (none for non-IT items and messaging). */
export function g4itFileOf(kind: IndicatorRow['kind']): G4itFile | undefined {
  switch (kind) {
    case 'physical-equipment':
      return 'ind_physical_equipment';
    case 'virtual-equipment':
      return 'ind_virtual_equipment';
    case 'application':
      return 'ind_application';
    default:
      return undefined;
  }
}

function cellsOf(columns: readonly string[], values: Readonly<Record<string, IndicatorCell>>): IndicatorCell[] {
  return columns.map((c) => values[c]);
}

/**
 * One indicator as a row of its NumEcoEval table, cells in `NUMECOEVAL_INDICATOR_COLUMNS[table]` order; `undefined`
 * for a non-IT item or an aggregate step (EMBODIED, WHOLE_LIFE) outside messaging.
 */
export function numecoevalIndicator(
  row: IndicatorRow,
  ctx: IndicatorExportContext,
  item: IndicatorItemFields = {},
): { table: NumEcoEvalTable; cells: IndicatorCell[] } | undefined {
  const table = numecoevalTableOf(row.kind);
  if (table === undefined) return undefined;
  const c = common(row, ctx, item);
  if (c.step === undefined && table !== 'ind_indicateur_impact_messagerie') return undefined;
  const values: Record<string, IndicatorCell> = {
    date_calcul: c.date,
    date_lot: ctx.batchDate,
    nom_lot: ctx.batchName,
    etapeacv: c.step !== undefined ? STEP_EXPORT[c.step].numecoeval : undefined,
    critere: c.criterion,
    source: ctx.source,
    statut_indicateur: c.status,
    trace: c.trace,
    version_calcul: ctx.calculationVersion,
    conso_elec_moyenne: c.electricity,
    impact_unitaire: c.value,
    quantite: item.quantity,
    statut_equipement_physique: item.equipmentStatus,
    type_equipement: item.type,
    unite: row.unit,
    nom_entite: c.entity,
    nom_organisation: ctx.organisation,
    nom_source_donnee: c.dataSource,
    nom_equipement: row.kind === 'physical-equipment' ? row.item : row.physicalEquipment,
    nom_equipement_virtuel: row.kind === 'virtual-equipment' ? row.item : row.virtualEquipment,
    cluster: item.cluster,
    nom_application: row.item,
    type_environnement: item.environment,
    nom_equipement_physique: row.physicalEquipment,
    domaine: item.domain,
    sous_domaine: item.subDomain,
    mois_annee: item.monthYear,
    nombre_mail_emis: item.mailCount,
    volume_total_mail_emis: item.mailVolume,
    date_lot_discriminator: ctx.batchDate,
    nom_organisation_discriminator: ctx.organisation,
    nom_entite_discriminator: c.entity,
    nom_source_donnee_discriminator: c.dataSource,
  };
  return { table, cells: cellsOf(NUMECOEVAL_INDICATOR_COLUMNS[table], values) };
}

/**
 * One indicator as a row of its G4IT export file, cells in `G4IT_INDICATOR_COLUMNS[file]` order; `undefined` for
 * non-IT items, messaging and aggregate steps.
 */
export function g4itIndicator(
  row: IndicatorRow,
  ctx: IndicatorExportContext,
  item: IndicatorItemFields = {},
): { file: G4itFile; cells: IndicatorCell[] } | undefined {
  const file = g4itFileOf(row.kind);
  if (file === undefined) return undefined;
  const c = common(row, ctx, item);
  if (c.step === undefined) return undefined;
  const sip = c.value !== undefined ? ctx.sip?.(row.criterion) : undefined;
  const values: Record<string, IndicatorCell> = {
    inventoryName: ctx.inventoryName ?? ctx.batchName,
    calculationDate: c.date,
    batchDate: ctx.batchDate,
    batchName: ctx.batchName,
    acvStep: STEP_EXPORT[c.step].g4it,
    criteria: c.criterion,
    source: ctx.source,
    indicatorStatus: c.status,
    trace: c.trace,
    calculationVersion: ctx.calculationVersion,
    averagePowerConsumption: c.electricity,
    unitImpact: c.value,
    quantity: item.quantity,
    physicalEquipmentStatus: item.equipmentStatus,
    equipmentType: item.type,
    unit: row.unit,
    entityName: c.entity,
    organizationName: ctx.organisation,
    dataSourceName: c.dataSource,
    equipmentName: row.kind === 'physical-equipment' ? row.item : row.physicalEquipment,
    virtualEquipmentName: row.kind === 'virtual-equipment' ? row.item : row.virtualEquipment,
    infrastructureType: item.infrastructureType,
    provider: item.provider,
    instanceType: item.instanceType,
    cluster: item.cluster,
    applicationName: row.item,
    environmentType: item.environment,
    physicalEquipmentName: row.physicalEquipment,
    domain: item.domain,
    subDomain: item.subDomain,
    batchDateDiscriminator: ctx.batchDate,
    organizationNameDiscriminator: ctx.organisation,
    entityNameDiscriminator: c.entity,
    dataSourceNameDiscriminator: c.dataSource,
    sipImpact: sip !== undefined && sip > 0 && c.value !== undefined ? c.value / sip : undefined,
  };
  return { file, cells: cellsOf(G4IT_INDICATOR_COLUMNS[file], values) };
}

export interface ItemExportOptions {
  /** Build each OK row's trace for its formula (costly: traces are built on demand); default false. */
  readonly traces?: boolean;
  /** Fields the ItemResult does not give (equipment status, cluster, cloud provider…), merged over `itemFields`. */
  readonly fields?: IndicatorItemFields;
}

/** Every NumEcoEval row of one item (its computed slots), in slot order; rows without a place are left out. */
export function* numecoevalRowsOf(
  result: ItemResult,
  layout: Layout,
  ctx: IndicatorExportContext,
  options: ItemExportOptions = {},
): Generator<{ table: NumEcoEvalTable; cells: IndicatorCell[] }> {
  const fields = { ...itemFields(result), ...options.fields };
  for (const row of indicatorRows(result, layout, options.traces ?? false)) {
    const out = numecoevalIndicator(row, ctx, fields);
    if (out) yield out;
  }
}

/** Every G4IT row of one item (its computed slots), in slot order; rows without a place are left out. */
export function* g4itRowsOf(
  result: ItemResult,
  layout: Layout,
  ctx: IndicatorExportContext,
  options: ItemExportOptions = {},
): Generator<{ file: G4itFile; cells: IndicatorCell[] }> {
  const fields = { ...itemFields(result), ...options.fields };
  for (const row of indicatorRows(result, layout, options.traces ?? false)) {
    const out = g4itIndicator(row, ctx, fields);
    if (out) yield out;
  }
}
