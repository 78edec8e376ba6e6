/**
 * Trace records (methodology §4.0): the formula with its numbers substituted, and each variable with its origin.
 */
import type { Issue } from '../issues/catalogue.js';
import type { Provenance } from '../referential/model.js';

export type Origin = 'INPUT' | 'REFERENCE' | 'HYPOTHESIS' | 'DEFAULT' | 'DERIVED';

export interface TraceRef {
  readonly layer?: string;
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  readonly source?: string;
  readonly licence?: string;
  readonly vintage?: string;
}

export interface TraceVariable {
  readonly value: number | string;
  readonly unit: string;
  readonly origin: Origin;
  readonly ref?: TraceRef;
}

export interface Trace {
  readonly formula: string;
  readonly variables: Readonly<Record<string, TraceVariable>>;
  readonly resolution?: unknown;
  readonly lifetime?: unknown;
  readonly allocation?: unknown;
  /** §2.2 share of the assessed period (profile rcp). */
  readonly period?: unknown;
  readonly inferred?: boolean;
  readonly warnings: readonly Issue[];
}

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
