/**
 * The service model's narrow view of an assessed inventory: the yearly indicators of one application, virtual
 * equipment or physical equipment. An adapter builds it from the engine's indicator rows (the shape of
 * `assessInventory` and of `empreinte assess --format json`), so that services stay independent of the engine.
 */
import { z } from 'zod';
import { foldKey, parseCriterion, parseStep } from '../referential/codes.js';
import type { InventoryKind } from './schema.js';

export interface InventoryIndicator {
  readonly step: string;
  readonly criterion: string;
  /** Yearly value in the criterion's unit. */
  readonly value: number;
  /** `ERROR` rows count as 0 and are reported. */
  readonly status?: string;
}

export interface InventoryIndicators {
  lookup(kind: InventoryKind, name: string): readonly InventoryIndicator[] | undefined;
}

/** One indicator row as produced by the engine (`assessInventory`); extra fields are ignored. */
export const IndicatorRowSchema = z.looseObject({
  kind: z.string(),
  item: z.string(),
  entity: z.string().optional().nullable(),
  lifecycleStep: z.string(),
  criterion: z.string(),
  value: z.number(),
  unit: z.string().optional(),
  status: z.string().optional(),
});
/** The fields the adapter reads; the engine's `IndicatorRow` and `IndicatorRowSchema` outputs both fit. */
export interface IndicatorRow {
  readonly kind: string;
  readonly item: string;
  readonly entity?: string | null;
  readonly lifecycleStep: string;
  readonly criterion: string;
  readonly value: number;
  readonly unit?: string;
  readonly status?: string;
  readonly virtualEquipment?: string;
  readonly physicalEquipment?: string;
}

/** Engine row kinds → link kinds (`physicalEquipment`, `PHYSICAL_EQUIPMENT`, `equipementPhysique`… all fold). */
export function inventoryKind(kind: string): InventoryKind | undefined {
  const k = foldKey(kind).replace(/ /g, '');
  if (k === 'application' || k === 'app') return 'application';
  if (k === 'virtualequipment' || k === 'equipementvirtuel' || k === 'vm' || k === 'cloudvirtualequipment')
    return 'virtual-equipment';
  if (k === 'physicalequipment' || k === 'equipementphysique' || k === 'equipment') return 'physical-equipment';
  return undefined;
}

/**
 * Index rows by (kind, item). Rows of the same (kind, item, step, criterion) are summed: an application on several
 * VMs has one allocated row per VM and its total is their sum (F9). Rows of other kinds (datacenters, messaging…) are
 * not linkable and are skipped. Steps and criteria are canonicalised with the §1.2/§1.3 aliases.
 */
export function indicatorsFromRows(rows: readonly IndicatorRow[]): InventoryIndicators {
  const index = new Map<string, Map<string, { step: string; criterion: string; value: number; status?: string }>>();
  for (const r of rows) {
    const kind = inventoryKind(r.kind);
    if (!kind) continue;
    const step = parseStep(r.lifecycleStep) ?? r.lifecycleStep;
    const criterion = parseCriterion(r.criterion)?.code ?? r.criterion;
    const key = `${kind}|${r.item}`;
    let byCell = index.get(key);
    if (!byCell) index.set(key, (byCell = new Map()));
    const cellKey = `${step}|${criterion}`;
    const prev = byCell.get(cellKey);
    const isError = r.status !== undefined && foldKey(r.status) === 'error';
    const value = isError ? 0 : r.value;
    const status = isError || prev?.status === 'ERROR' ? 'ERROR' : 'OK';
    byCell.set(cellKey, { step, criterion, value: (prev?.value ?? 0) + value, status });
  }
  return {
    lookup: (kind, name) => {
      const cells = index.get(`${kind}|${name}`);
      return cells ? [...cells.values()] : undefined;
    },
  };
}
