/**
 * State reporting KPIs (issue 13; methodology F20 "per collaborator", "average lifespan"; RCP SI/MiNumEco KPIs): per
 * campaign and per entity, from the assessed physical equipment. Pure: the application layer gives one row per item
 * (with the lifetime the engine retained and the type's expected one) and the footprint per entity.
 *
 * Definitions (docs/steering.md "State KPIs"):
 * - units = Σ quantity of the physical equipment counted in the period (share > 0, §2.2);
 * - equipment per collaborator = units / headcount; footprint per collaborator = footprint / headcount;
 * - average lifetime per type, quantity-weighted: retained = Σ q·L / Σ q (L of F2/F3, as the engine retained it),
 *   expected = Σ q·L_exp / Σ q (L_exp = dureeUsageInterne, else the type's default, else the global default);
 * - refurbished share = Σ q·p / units, p = tauxAchatReconditionne when given, else 1 for an item with a
 *   dureeUsageAmont > 0 (F3: such an item was bought refurbished), else 0;
 * - reused share = Σ q·r / units over items with a dureeUsageAval > 0, r = tauxReemploi (1 when absent, as F3);
 * - end of life (`finDeVie`): units per outcome over the items that carry one; reuse-or-donation share = units
 *   retired for reuse or donation / units with a known outcome (reuse, donation, recycling), null when none.
 */
export type EndOfLifeOutcome = 'reuse' | 'donation' | 'recycling' | 'unknown';
export const END_OF_LIFE_OUTCOMES: readonly EndOfLifeOutcome[] = ['reuse', 'donation', 'recycling', 'unknown'];

export interface KpiItem {
  readonly entity?: string | undefined;
  readonly type: string;
  readonly quantity: number;
  /** Lifetime the engine retained (F2/F3), years; absent for items not amortised. */
  readonly lifetimeYears?: number | undefined;
  /** Expected internal lifetime (dureeUsageInterne, type default, global default), years. */
  readonly expectedYears?: number | undefined;
  readonly refurbishedRate?: number | undefined;
  readonly upstreamLifeYears?: number | undefined;
  readonly downstreamLifeYears?: number | undefined;
  readonly reuseRate?: number | undefined;
  readonly endOfLife?: EndOfLifeOutcome | undefined;
}

export interface LifetimeByType {
  readonly type: string;
  /** Units with a retained lifetime. */
  readonly quantity: number;
  readonly retainedYears: number;
  /** null when no unit of the type has an expected lifetime. */
  readonly expectedYears: number | null;
  /** retained − expected (years); null with expected. */
  readonly gapYears: number | null;
}

export interface KpiBlock {
  readonly units: number;
  /** null when the headcount is unknown or 0. */
  readonly headcount: number | null;
  readonly equipmentPerCollaborator: number | null;
  /** Per criterion: footprint and footprint per collaborator. */
  readonly footprint: readonly {
    readonly criterion: string;
    readonly unit: string;
    readonly value: number;
    readonly perCollaborator: number | null;
  }[];
  readonly lifetimeByType: readonly LifetimeByType[];
  readonly refurbished: { readonly units: number; readonly share: number | null };
  readonly reused: { readonly units: number; readonly share: number | null };
  readonly endOfLife: {
    /** Units per outcome, over the items that carry a `finDeVie`. */
    readonly units: Readonly<Record<EndOfLifeOutcome, number>>;
    readonly reuseOrDonationShare: number | null;
  };
}

export interface StateKpis {
  readonly campaign: KpiBlock;
  /** One block per entity named by an item or by the headcounts, sorted by name; items without entity are apart. */
  readonly byEntity: readonly ({ readonly entity: string } & KpiBlock)[];
  readonly withoutEntity: KpiBlock | null;
}

export interface KpiFootprint {
  readonly criterion: string;
  readonly unit: string;
  readonly value: number;
  /** entity → value (F20 breakdown by entity). */
  readonly byEntity: Readonly<Record<string, number>>;
}

const ratio = (a: number, b: number | null): number | null => (b === null || b === 0 ? null : a / b);

/** Quantity-weighted lifetime sums of one type: q, Σ q·L, and over the units with an expected lifetime q, Σ q·E. */
export interface LifetimeSums {
  q: number;
  qL: number;
  qE: number;
  qExp: number;
}

/** What a block's figures are computed from: sums over its items (or over several blocks' items). */
export interface KpiSums {
  readonly units: number;
  readonly refurbished: number;
  readonly reused: number;
  readonly endOfLife: Readonly<Record<EndOfLifeOutcome, number>>;
  readonly lifetimes: ReadonlyMap<string, LifetimeSums>;
  readonly headcount: number | null;
  readonly footprint: readonly { criterion: string; unit: string; value: number }[];
}

/** The one place a block's ratios, lifetimes and shares are taken from its sums. */
export function blockOf(x: KpiSums): KpiBlock {
  const hc = x.headcount !== null && x.headcount > 0 ? x.headcount : null;
  const eol = x.endOfLife;
  const lifetimeByType = [...x.lifetimes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, t]) => {
      const retainedYears = t.qL / t.q;
      const expectedYears = t.qE > 0 ? t.qExp / t.qE : null;
      return {
        type,
        quantity: t.q,
        retainedYears,
        expectedYears,
        gapYears: expectedYears === null ? null : retainedYears - expectedYears,
      };
    });
  const known = eol.reuse + eol.donation + eol.recycling;
  return {
    units: x.units,
    headcount: x.headcount,
    equipmentPerCollaborator: ratio(x.units, hc),
    footprint: x.footprint.map((f) => ({ ...f, perCollaborator: ratio(f.value, hc) })),
    lifetimeByType,
    refurbished: { units: x.refurbished, share: ratio(x.refurbished, x.units) },
    reused: { units: x.reused, share: ratio(x.reused, x.units) },
    endOfLife: { units: { ...eol }, reuseOrDonationShare: ratio(eol.reuse + eol.donation, known) },
  };
}

function block(
  items: readonly KpiItem[],
  headcount: number | null,
  footprint: readonly { criterion: string; unit: string; value: number }[],
): KpiBlock {
  let units = 0;
  let refurbished = 0;
  let reused = 0;
  const eol: Record<EndOfLifeOutcome, number> = { reuse: 0, donation: 0, recycling: 0, unknown: 0 };
  const types = new Map<string, LifetimeSums>();
  for (const it of items) {
    const q = it.quantity;
    units += q;
    const p = it.refurbishedRate ?? ((it.upstreamLifeYears ?? 0) > 0 ? 1 : 0);
    refurbished += q * p;
    if ((it.downstreamLifeYears ?? 0) > 0) reused += q * (it.reuseRate ?? 1);
    if (it.endOfLife !== undefined) eol[it.endOfLife] += q;
    if (it.lifetimeYears !== undefined) {
      const t = types.get(it.type) ?? { q: 0, qL: 0, qExp: 0, qE: 0 };
      t.q += q;
      t.qL += q * it.lifetimeYears;
      if (it.expectedYears !== undefined) {
        t.qE += q;
        t.qExp += q * it.expectedYears;
      }
      types.set(it.type, t);
    }
  }
  return blockOf({
    units,
    refurbished,
    reused,
    endOfLife: eol,
    lifetimes: types,
    headcount: headcount ?? null,
    footprint,
  });
}

/**
 * The KPIs of a campaign and of each entity. `headcounts`: entity → number of collaborators (nbCollaborateurs);
 * the campaign's headcount is their sum. `footprint`: per criterion, the campaign's total and its breakdown by entity.
 */
export function stateKpis(
  items: readonly KpiItem[],
  headcounts: Readonly<Record<string, number>>,
  footprint: readonly KpiFootprint[],
): StateKpis {
  const byEntity = new Map<string, KpiItem[]>();
  const without: KpiItem[] = [];
  for (const e of Object.keys(headcounts)) byEntity.set(e, []);
  for (const it of items) {
    if (it.entity === undefined) without.push(it);
    else {
      const l = byEntity.get(it.entity);
      if (l) l.push(it);
      else byEntity.set(it.entity, [it]);
    }
  }
  const counts = Object.values(headcounts);
  const total = counts.length > 0 ? counts.reduce((s, n) => s + n, 0) : null;
  const campaignFootprint = footprint.map((f) => ({ criterion: f.criterion, unit: f.unit, value: f.value }));
  return {
    campaign: block(items, total, campaignFootprint),
    byEntity: [...byEntity]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([entity, xs]) => ({
        entity,
        ...block(
          xs,
          headcounts[entity] ?? null,
          footprint.map((f) => ({ criterion: f.criterion, unit: f.unit, value: f.byEntity[entity] ?? 0 })),
        ),
      })),
    withoutEntity: without.length > 0 ? block(without, null, []) : null,
  };
}
