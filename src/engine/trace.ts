/**
 * Trace records (methodology §4.0): the formula with its numbers substituted, and each variable with its origin.
 */
import { z } from 'zod';
import type { Issue } from '../issues/catalogue.js';
import type { Provenance } from '../referential/model.js';

// The trace model is described once, as zod schemas; the types the code uses are inferred from them (no casts), and
// `trace-eval.test.ts` parses every trace the engine builds with `TraceSchema`.

export const OriginSchema = z.enum(['INPUT', 'REFERENCE', 'HYPOTHESIS', 'DEFAULT', 'DERIVED']);
export type Origin = z.infer<typeof OriginSchema>;

export const TraceRefSchema = z
  .strictObject({
    layer: z.string().optional(),
    file: z.string().optional(),
    line: z.number().optional(),
    key: z.string().optional(),
    source: z.string().optional(),
    licence: z.string().optional(),
    vintage: z.string().optional(),
  })
  .readonly();
export type TraceRef = z.infer<typeof TraceRefSchema>;

export const TraceVariableSchema = z
  .strictObject({
    value: z.union([z.number(), z.string()]),
    unit: z.string(),
    origin: OriginSchema,
    ref: TraceRefSchema.optional(),
    /** Why a value that does not apply is shown anyway (PUE outside the profile's scope, F7). */
    note: z.string().optional(),
  })
  .readonly();
export type TraceVariable = z.infer<typeof TraceVariableSchema>;

/** F1: how the reference item was found. */
export const ResolutionViaSchema = z.enum(['MATCHING', 'MODEL', 'MODEL_FUZZY', 'BOTTOM_UP', 'TYPE']);
export type ResolutionVia = z.infer<typeof ResolutionViaSchema>;
export const ResolutionTraceSchema = z
  .strictObject({
    via: ResolutionViaSchema,
    refItem: z.string(),
    model: z.string().optional(),
    type: z.string(),
    score: z.number().optional(),
    bestCandidate: z.strictObject({ item: z.string(), score: z.number() }).readonly().optional(),
  })
  .readonly();
export type ResolutionTrace = z.infer<typeof ResolutionTraceSchema>;
/** F8: a VM allocated from its host shows the host's formula in place of a resolution of its own. */
export const HostResolutionTraceSchema = z.strictObject({ host: z.string(), hostFormula: z.string() }).readonly();
export type HostResolutionTrace = z.infer<typeof HostResolutionTraceSchema>;

/** F2, F3: the lifetime retained and how. */
export const LifetimeMethodSchema = z.enum(['REEL', 'FIXE']);
export const LifetimeSourceSchema = z.enum(['DATES', 'AGE', 'INTERNAL', 'TYPE_DEFAULT', 'GLOBAL_DEFAULT']);
export type LifetimeSource = z.infer<typeof LifetimeSourceSchema>;
export const LifetimeTraceSchema = z
  .strictObject({
    method: LifetimeMethodSchema,
    /** The L of the formulas of an amortised item: base + upstream + downstream, floored. */
    valueRetained: z.number(),
    source: LifetimeSourceSchema,
    dateAchat: z.string().optional(),
    dateRetrait: z.string().optional(),
    referenceDate: z.string().optional(),
    ageYears: z.number().optional(),
    expectedYears: z.number().optional(),
    upstream: z.number(),
    downstream: z.number(),
    floored: z.boolean(),
    ref: TraceRefSchema.optional(),
  })
  .readonly();
export type LifetimeTrace = z.infer<typeof LifetimeTraceSchema>;

/** F8, F9: how a VM or an application takes its share of its parent, discriminated by `rule`. */
export const AllocationTraceSchema = z.discriminatedUnion('rule', [
  z
    .strictObject({
      rule: z.literal('ALLOCATION_KEY'),
      vmValue: z.number(),
      nVm: z.number(),
      alpha: z.number(),
    })
    .readonly(),
  z
    .strictObject({
      rule: z.enum(['VCPU', 'STORAGE']),
      vmValue: z.number(),
      hostTotal: z.number(),
      nVm: z.number(),
      alpha: z.number(),
    })
    .readonly(),
  z.strictObject({ rule: z.literal('EQUAL'), nVm: z.number(), alpha: z.number() }).readonly(),
  z.strictObject({ rule: z.literal('OWN_CONSUMPTION'), host: z.string() }).readonly(),
  z.strictObject({ rule: z.enum(['PER_APPLICATION_ON_VM', 'PER_APPLICATION_ON_HOST']), n: z.number() }).readonly(),
]);
export type AllocationTrace = z.infer<typeof AllocationTraceSchema>;
export type AllocationRule = AllocationTrace['rule'];

/** §2.2: the item's share of the assessed period. */
export const PeriodTraceSchema = z
  .strictObject({
    start: z.string(),
    end: z.string(),
    /** D */
    days: z.number(),
    /** d */
    daysInService: z.number(),
    /** s = d / D */
    share: z.number(),
    /** Where the share comes from when the item has none of its own (a VM or an application follows its host). */
    from: z.string().optional(),
  })
  .readonly();
export type PeriodTrace = z.infer<typeof PeriodTraceSchema>;

/** Warnings are issues of the catalogue (their details are typed per code there). */
const IssueSchema = z.custom<Issue>(
  (x) => typeof x === 'object' && x !== null && 'code' in x && 'severity' in x && 'details' in x,
);

export const TraceSchema = z
  .strictObject({
    formula: z.string(),
    variables: z.record(z.string(), TraceVariableSchema).readonly(),
    resolution: z.union([ResolutionTraceSchema, HostResolutionTraceSchema]).optional(),
    lifetime: LifetimeTraceSchema.optional(),
    allocation: AllocationTraceSchema.optional(),
    /** §2.2 share of the assessed period (profile rcp). */
    period: PeriodTraceSchema.optional(),
    inferred: z.boolean().optional(),
    warnings: z.array(IssueSchema).readonly(),
  })
  .readonly();
export type Trace = z.infer<typeof TraceSchema>;

/** A value with where it came from. */
export interface Sourced {
  readonly value: number;
  readonly origin: Origin;
  readonly ref?: TraceRef;
}

export function refOf(prov: Provenance, key?: string): TraceRef {
  return {
    layer: prov.layer,
    ...(prov.file !== undefined ? { file: prov.file } : {}),
    ...(prov.line !== undefined ? { line: prov.line } : {}),
    ...(key !== undefined ? { key } : {}),
    source: prov.source,
    ...(prov.licence !== undefined ? { licence: prov.licence } : {}),
    ...(prov.vintage !== undefined ? { vintage: prov.vintage } : {}),
  };
}

export function variable(s: Sourced, unit: string): TraceVariable {
  return { value: s.value, unit, origin: s.origin, ...(s.ref ? { ref: s.ref } : {}) };
}

/** Numbers in formulas: full precision (traces must reproduce the result), no exponent noise for integers. */
export function num(x: number): string {
  return String(x);
}
