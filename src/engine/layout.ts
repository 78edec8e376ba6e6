/**
 * Slot layout of a run: one slot per (step, criterion). Item results are flat Float64Arrays indexed by slot so that
 * a million items are computed and aggregated without one object per indicator.
 */
import { criterionDef, type StepCode } from '../referential/codes.js';
import type { Referential } from '../referential/model.js';

export class Layout {
  readonly steps: readonly StepCode[];
  readonly criteria: readonly string[];
  readonly units: readonly string[];
  readonly size: number;
  private readonly stepIndex: Map<StepCode, number>;
  private readonly criterionIndex: Map<string, number>;

  constructor(steps: readonly StepCode[], criteria: readonly string[], ref?: Referential) {
    this.steps = steps;
    this.criteria = criteria;
    this.units = criteria.map((c) => ref?.criteria.get(c)?.unit ?? criterionDef(c)?.unit ?? '');
    this.size = steps.length * criteria.length;
    this.stepIndex = new Map(steps.map((s, i) => [s, i]));
    this.criterionIndex = new Map(criteria.map((c, i) => [c, i]));
  }

  slot(step: StepCode, criterion: string): number {
    const s = this.stepIndex.get(step);
    const c = this.criterionIndex.get(criterion);
    return s === undefined || c === undefined ? -1 : s * this.criteria.length + c;
  }

  hasStep(step: StepCode): boolean {
    return this.stepIndex.has(step);
  }

  stepOf(slot: number): StepCode {
    return this.steps[Math.floor(slot / this.criteria.length)]!;
  }

  criterionOf(slot: number): string {
    return this.criteria[slot % this.criteria.length]!;
  }

  unitOf(slot: number): string {
    return this.units[slot % this.criteria.length]!;
  }
}
