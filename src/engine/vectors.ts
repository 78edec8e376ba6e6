/**
 * Per-run caches turning referential lookups into slot vectors: the factors of a reference item and the electricity
 * factors of a location, NaN where the referential has no value. Built once per distinct item/location.
 */
import { factorKey, type ElectricityFactor, type Factor, type ReferenceItem } from '../referential/model.js';
import type { EngineEnv } from './env.js';

export interface FactorVector {
  /** Per slot of the layout; NaN = no factor. */
  readonly values: Float64Array;
  readonly factors: readonly (Factor | undefined)[];
  /** Per criterion index: whether the item has MANUFACTURING/DISTRIBUTION/END_OF_LIFE factors, or only EMBODIED. */
  readonly split: readonly boolean[];
  readonly embodied: readonly boolean[];
}

export class VectorCache {
  private readonly itemVectors = new Map<ReferenceItem, FactorVector>();
  private readonly mixVectors = new Map<string, (ElectricityFactor | undefined)[]>();

  constructor(private readonly env: EngineEnv) {}

  factors(item: ReferenceItem): FactorVector {
    let v = this.itemVectors.get(item);
    if (v === undefined) {
      const { layout } = this.env;
      const values = new Float64Array(layout.size).fill(NaN);
      const factors: (Factor | undefined)[] = new Array(layout.size);
      for (let s = 0; s < layout.size; s++) {
        const f = item.factors.get(factorKey(layout.stepOf(s), layout.criterionOf(s)));
        factors[s] = f;
        if (f !== undefined) values[s] = f.value;
      }
      const split = layout.criteria.map((c) =>
        (['MANUFACTURING', 'DISTRIBUTION', 'END_OF_LIFE'] as const).some((st) => item.factors.has(factorKey(st, c))),
      );
      const embodied = layout.criteria.map((c) => item.factors.has(factorKey('EMBODIED', c)));
      v = { values, factors, split, embodied };
      this.itemVectors.set(item, v);
    }
    return v;
  }

  /** Electricity factor per criterion index for a canonical location key. */
  mix(locationKey: string): readonly (ElectricityFactor | undefined)[] {
    let v = this.mixVectors.get(locationKey);
    if (v === undefined) {
      v = this.env.layout.criteria.map((c) => this.env.mix(locationKey, c));
      this.mixVectors.set(locationKey, v);
    }
    return v;
  }
}
