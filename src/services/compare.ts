/**
 * Versions of a service (before / after an optimisation): absolute (after − before) and relative ((after − before) /
 * before) differences per criterion, per tier and in total, per year and per functional unit, and of the SCI score.
 */
import type { Breakdown, ServiceAssessment, ServiceTier } from './result.js';

export interface Difference {
  readonly before: number;
  readonly after: number;
  readonly absolute: number;
  /** null when `before` is 0. */
  readonly relative: number | null;
}

export interface BreakdownComparison {
  readonly total: Difference;
  readonly byTier: Readonly<Record<ServiceTier, Difference>>;
}

export interface CriterionComparison {
  readonly criterion: string;
  readonly unit: string;
  readonly perYear: BreakdownComparison;
  readonly perFunctionalUnit: BreakdownComparison;
}

export interface ServiceComparison {
  readonly before: { readonly service: string; readonly version: string };
  readonly after: { readonly service: string; readonly version: string };
  readonly criteria: readonly CriterionComparison[];
  readonly sci?: Difference;
  /** Reasons why some differences may not be like for like. */
  readonly notes: readonly string[];
}

export function difference(before: number, after: number): Difference {
  return { before, after, absolute: after - before, relative: before === 0 ? null : (after - before) / before };
}

const EMPTY: Breakdown = {
  total: 0,
  byTier: { TERMINAL: {}, NETWORK: {}, DATACENTER: {} },
  byTierTotal: { TERMINAL: 0, NETWORK: 0, DATACENTER: 0 },
  byStep: {},
};

function compareBreakdown(a: Breakdown, b: Breakdown): BreakdownComparison {
  const tier = (t: ServiceTier) => difference(a.byTierTotal[t], b.byTierTotal[t]);
  const byTier: Record<ServiceTier, Difference> = {
    TERMINAL: tier('TERMINAL'),
    NETWORK: tier('NETWORK'),
    DATACENTER: tier('DATACENTER'),
  };
  return { total: difference(a.total, b.total), byTier };
}

export function compareAssessments(before: ServiceAssessment, after: ServiceAssessment): ServiceComparison {
  const notes: string[] = [];
  if (before.service.service !== after.service.service)
    notes.push(`different services: '${before.service.service}' and '${after.service.service}'`);
  if (
    before.functionalUnit.kind !== after.functionalUnit.kind ||
    before.functionalUnit.label !== after.functionalUnit.label
  )
    notes.push(
      `functional units differ ('${before.functionalUnit.label}' vs '${after.functionalUnit.label}'): per-functional-unit differences are not like for like`,
    );
  if (before.model.id !== after.model.id) notes.push(`models differ (${before.model.id} vs ${after.model.id})`);
  const codes = [...new Set([...before.criteria, ...after.criteria].map((c) => c.criterion))];
  const criteria = codes.map((criterion) => {
    const a = before.criteria.find((c) => c.criterion === criterion);
    const b = after.criteria.find((c) => c.criterion === criterion);
    if (!a || !b) notes.push(`${criterion} is computed for only one version`);
    return {
      criterion,
      unit: (a ?? b)!.unit,
      perYear: compareBreakdown(a?.perYear ?? EMPTY, b?.perYear ?? EMPTY),
      perFunctionalUnit: compareBreakdown(a?.perFunctionalUnit ?? EMPTY, b?.perFunctionalUnit ?? EMPTY),
    };
  });
  return {
    before: { service: before.service.service, version: before.service.version },
    after: { service: after.service.service, version: after.service.version },
    criteria,
    ...(before.sci && after.sci ? { sci: difference(before.sci.score, after.sci.score) } : {}),
    notes,
  };
}
