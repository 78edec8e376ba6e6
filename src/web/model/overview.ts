/**
 * The overview of a campaign for one criterion, from the totals document (`GET /campaigns/:id/totals`) or, when the
 * server has it, the breakdowns route (which adds the top contributors and the entity hierarchy). Pure: used by the
 * dashboard page, the printable report and tests.
 */
import type { Breakdowns, LabelValue, TotalsDocument } from '../api.js';

/** Steps that are parts of the life cycle; EMBODIED and WHOLE_LIFE are lumps for items the sources do not split. */
export const STEP_ORDER = ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE', 'EMBODIED', 'WHOLE_LIFE'];

/** Largest first; zero rows dropped (a criterion with no value for a tier is not a part of it). */
export function sortedParts(map: Readonly<Record<string, number>> | undefined): LabelValue[] {
  return Object.entries(map ?? {})
    .filter(([, v]) => Number.isFinite(v) && v !== 0)
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** One criterion's values along a dimension of `totals.by` (`tier`, `type`, `entity`, `country`…). */
export function byDimension(doc: TotalsDocument, dimension: string, criterion: string): LabelValue[] {
  const dim = doc.totals.by[dimension] ?? {};
  const out: Record<string, number> = {};
  for (const [label, perCriterion] of Object.entries(dim)) {
    const v = perCriterion[criterion];
    if (v !== undefined) out[label] = v;
  }
  return sortedParts(out);
}

/** The first `n` rows, the rest summed into one row labelled `otherLabel` (kept only when not zero). */
export function topWithOther(rows: readonly LabelValue[], n: number, otherLabel: string): LabelValue[] {
  if (rows.length <= n) return [...rows];
  const rest = rows.slice(n).reduce((a, r) => a + r.value, 0);
  return [...rows.slice(0, n), ...(rest !== 0 ? [{ label: otherLabel, value: rest }] : [])];
}

/** The breakdowns of a criterion built from the totals document (no top contributors: the document has none). */
export function breakdownsFromTotals(doc: TotalsDocument, criterion: string): Breakdowns {
  const c = doc.totals.byCriterion.find((x) => x.criterion === criterion);
  const byStep = STEP_ORDER.filter((s) => (c?.byStep[s] ?? 0) !== 0).map((s) => ({
    label: s,
    value: c!.byStep[s]!,
  }));
  return {
    criterion,
    unit: c?.unit ?? '',
    total: c?.value ?? 0,
    byTier: byDimension(doc, 'tier', criterion),
    byType: byDimension(doc, 'type', criterion),
    byStep,
    byEntity: byDimension(doc, 'entity', criterion).map((r) => ({ ...r, parent: null })),
    byCountry: byDimension(doc, 'country', criterion),
    top: [],
    electricityKwh: doc.totals.electricity?.itKWh ?? 0,
    perCollaborator: c?.perCollaborator ?? null,
    peopleEquivalent: c?.peopleEquivalent ?? null,
  };
}

/**
 * The uncertainty range of a criterion total, when the document carries one (F21): the document's `uncertainty`
 * list (P5–P95 of `assess --uncertainty`), else a `range` / `uncertainty` {lower, upper} on the criterion itself.
 */
export function rangeOf(
  c: TotalsDocument['totals']['byCriterion'][number],
  doc?: Pick<TotalsDocument, 'uncertainty'>,
): { lower: number; upper: number } | null {
  const u = doc?.uncertainty?.find((x) => x.criterion === c.criterion)?.range;
  if (u && Number.isFinite(u.p5) && Number.isFinite(u.p95)) return { lower: u.p5, upper: u.p95 };
  const r = c.range ?? c.uncertainty;
  return r && Number.isFinite(r.lower) && Number.isFinite(r.upper) ? { lower: r.lower, upper: r.upper } : null;
}

/**
 * Entity labels following the hierarchy: "Parent › Child" when a row names its parent, so that the split by entity
 * reads as the organisation's tree.
 */
export function entityLabel(row: LabelValue & { readonly parent?: string | null }): string {
  return row.parent ? `${row.parent} › ${row.label}` : row.label;
}
