/**
 * Use case: the State reporting KPIs of a campaign (issue 13), per campaign and per entity — equipment and footprint
 * per collaborator, average lifetime per type (retained vs expected), refurbished and reused shares, end of life
 * (`finDeVie`). The inventory is read once (`loadCampaign`, as `assess`) and assessed by the engine; the KPIs are
 * computed by the steering core (`stateKpis`) from the engine's own results (lifetime retained, period share) and
 * totals (footprint per entity), so they agree with `assess` on the same inventory.
 */
import { Assessment } from '../../engine/index.js';
import type { PhysicalEquipment } from '../../inventory/model.js';
import type { Referential } from '../../referential/model.js';
import { stateKpis, type KpiItem, type StateKpis } from '../../steering/kpis.js';
import { inventorySummary, type AssessInput } from '../assess.js';
import type { AppDeps } from '../deps.js';
import type { AssessSummary } from '../sink.js';
import { runItems } from './run-items.js';
import { loadCampaign, type LoadedCampaign } from './scenario.js';

export interface KpisOptions {
  /**
   * Headcount per entity (the server's entities); replaces the inventory's `nbCollaborateurs` for the entities it
   * names, the others keep theirs.
   */
  readonly headcounts?: Readonly<Record<string, number>>;
}

export interface KpisOutcome extends StateKpis {
  readonly meta: AssessSummary['meta'];
  readonly inventory: AssessSummary['inventory'];
}

/** Expected internal lifetime of a row (F2): dureeUsageInterne, else its type's default, else the global default. */
function expectedLifetime(pe: PhysicalEquipment, env: Assessment['env'], ref: Referential): number | undefined {
  if (pe.internalLifeYears !== undefined && pe.internalLifeYears > 0) return pe.internalLifeYears;
  const years = env.itemType(pe.type)?.defaultLifespanYears;
  if (years !== undefined && years > 0) return years;
  const global = ref.hypotheses.get('dureeVieParDefaut')?.value;
  return typeof global === 'number' && global > 0 ? global : undefined;
}

/** The KPIs of a campaign already read into memory. */
export function kpisOfLoaded(c: LoadedCampaign, options: KpisOptions = {}): KpisOutcome {
  const inv = c.inventory;
  const run = runItems(inv, c.referential, c.ctx, { physicalResults: true });
  const env = new Assessment(c.referential, c.ctx).env;
  const items: KpiItem[] = [];
  inv.physical.forEach((pe, i) => {
    const r = run.physical?.[i];
    if (r === undefined || r.kind !== 'physical-equipment' || r.name !== pe.name)
      throw new Error(`kpis: result ${i} is not ${pe.name}`);
    if (r.outOfPeriod !== undefined || !r.inTotal) return;
    items.push({
      entity: pe.entity,
      type: env.itemType(pe.type)?.type ?? pe.type,
      quantity: pe.quantity,
      lifetimeYears: r.lifetimeYears,
      expectedYears: r.lifetimeYears !== undefined ? expectedLifetime(pe, env, c.referential) : undefined,
      refurbishedRate: pe.refurbishedRate,
      upstreamLifeYears: pe.upstreamLifeYears,
      downstreamLifeYears: pe.downstreamLifeYears,
      reuseRate: pe.reuseRate,
      endOfLife: pe.endOfLife,
    });
  });
  const headcounts: Record<string, number> = {};
  for (const e of inv.entities) if (e.collaborators !== undefined) headcounts[e.name] = e.collaborators;
  for (const [e, n] of Object.entries(options.headcounts ?? {})) headcounts[e] = n;
  const byEntity = run.totals.by['entity'] ?? {};
  const footprint = run.totals.byCriterion.map((t) => {
    const perEntity: Record<string, number> = {};
    for (const [e, v] of Object.entries(byEntity)) perEntity[e] = v[t.criterion] ?? 0;
    return { criterion: t.criterion, unit: t.unit, value: t.value, byEntity: perEntity };
  });
  return { meta: run.meta, inventory: inventorySummary(c.files), ...stateKpis(items, headcounts, footprint) };
}

/** Reads the inventory (as `assess`) and computes its KPIs. */
export async function campaignKpis(deps: AppDeps, input: AssessInput, options: KpisOptions = {}): Promise<KpisOutcome> {
  return kpisOfLoaded(await loadCampaign(deps, input), options);
}
