/**
 * Shared plumbing of the generic model's components (terminals, network, servers): the per-year indicator they
 * produce before division by the functional units, their criterion coverage, and the context they run in.
 */
import { issue } from '../issues/catalogue.js';
import type { Issue, IssueCode, IssueDetailsOf } from '../issues/catalogue.js';
import type { ServiceEngine } from './engine-link.js';
import type { InventoryIndicators } from './inventory-link.js';
import type { ServiceReferenceData, SourcedValue } from './reference-data.js';
import type { ServiceIndicator, TraceRef, TraceVariable } from './result.js';
import { fail, locate, pathString } from './source.js';
import type { DocPath, ServiceSource } from './source.js';

export type YearIndicator = Omit<ServiceIndicator, 'perFunctionalUnit'>;

/** A part of the service whose total is complete only for the criteria it covers (`*` = all, e.g. a LAN at 0). */
export interface Coverage {
  readonly label: string;
  readonly criteria: ReadonlySet<string> | '*';
}

export interface ComponentResult {
  readonly indicators: YearIndicator[];
  readonly coverage: Coverage[];
}

export interface GenericContext {
  readonly service: string;
  readonly data: ServiceReferenceData;
  /** The engine's hypotheses and lifetime calculation for this run (PUE default, lifetime floor). */
  readonly engine: ServiceEngine;
  readonly inventory?: InventoryIndicators;
  readonly source?: ServiceSource;
  readonly warnings: Issue[];
  readonly dataQuality: { component: string; quality: string }[];
}

export const GENERIC_MODEL = 'empreinte-generic (methodology §5.2)';

export function warn<C extends IssueCode>(ctx: GenericContext, path: DocPath, code: C, details: IssueDetailsOf<C>) {
  const at = locate(ctx.source, path);
  ctx.warnings.push(issue(code, { file: at.file ?? '<service>', ...details }, at));
}

/**
 * An issue made by the engine (CALC_LIFESPAN_FLOORED…), reported as a warning of the service at `path`: located in
 * the service file, with the file in its details as the service's own warnings have it.
 */
export function relay(ctx: GenericContext, path: DocPath, i: Issue): void {
  const at = locate(ctx.source, path);
  ctx.warnings.push({ ...i, details: { file: at.file ?? '<service>', ...i.details }, ...at });
}

/** Electricity factor of a location for CLIMATE_CHANGE, mandatory: its absence stops the assessment. */
export function requireElectricity(ctx: GenericContext, location: string, path: DocPath): SourcedValue {
  const m = ctx.data.electricity(location, 'CLIMATE_CHANGE');
  if (!m) fail(ctx.source, path, 'CALC_ELEC_FACTOR_MISSING', { location, criterion: 'CLIMATE_CHANGE' });
  return m;
}

/** Criteria for which a location has an electricity factor (CLIMATE_CHANGE checked first). */
export function electricityCriteria(ctx: GenericContext, location: string, path: DocPath): string[] {
  requireElectricity(ctx, location, path);
  return [...ctx.data.electricityCriteria(location)];
}

/** A value read from the referential (item, electricity, network, platform), with its layer, key and source. */
export function refVar(value: number, unit: string, v: { readonly ref: TraceRef }): TraceVariable {
  return { value, unit, origin: 'REFERENCE', ref: v.ref };
}

export const input = (value: number | string, unit: string): TraceVariable => ({ value, unit, origin: 'INPUT' });
export const derived = (value: number | string, unit: string): TraceVariable => ({ value, unit, origin: 'DERIVED' });
export const defaulted = (value: number | string, unit: string, source: string): TraceVariable => ({
  value,
  unit,
  origin: 'DEFAULT',
  ref: { source },
});

/**
 * Shares of a mix: more than 1 is an error (SVC_SHARES_OVER_100), less than 1 is normalised with a warning
 * (methodology §5.2), all zero is an error.
 */
export function normaliseShares(ctx: GenericContext, shares: readonly number[], path: DocPath): number {
  const sum = shares.reduce((a, b) => a + b, 0);
  const field = pathString(path);
  if (sum > 1 + 1e-9) fail(ctx.source, path, 'SVC_SHARES_OVER_100', { field, sum });
  if (sum <= 0) fail(ctx.source, path, 'SVC_FIELD_INVALID', { field, reason: 'the shares sum to 0' });
  if (sum < 1 - 1e-9) warn(ctx, path, 'SVC_SHARES_NORMALISED', { field, sum });
  return sum;
}
