/** The pure calculation engine (methodology §4). No I/O, no clock, no database. */
export { Assessment, assessInventory, indicatorRows, ENGINE_VERSION } from './assess.js';
export type { IndicatorRow, InventoryAssessment, InventoryInput, RunMeta } from './assess.js';
export { Aggregator } from './aggregate.js';
export type { Coverage, CriterionTotal, ItemRef, OutOfPeriod, Totals } from './aggregate.js';
export type { RunContext, Profile, LifetimeMethod, TeleworkEntry, MessagingVolumeUnit } from './context.js';
export type { EngineHooks, ModelMatcher, BottomUpModel } from './env.js';
export type { CloudEstimate, CloudModel } from './cloud.js';
export type { EquipmentFactors, ItemResult, IndicatorKind, SlotFactors } from './result.js';
export { slotFactors, slotFactorsInto } from './physical.js';
export type { Trace, TraceVariable, Origin } from './trace.js';
export type {
  AllocationTrace,
  HostResolutionTrace,
  LifetimeTrace,
  PeriodTrace,
  ResolutionTrace,
  TraceRef,
} from './trace.js';
export { TraceSchema } from './trace.js';
export { checkResultTraces, evaluateFormula, traceDisagreement } from './trace-eval.js';
