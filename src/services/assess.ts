/**
 * Assessment of one digital-service version (issue 5): ADEME presets (§5.1) or the generic model (§5.2), results per
 * year and per functional unit, by tier × step and criterion, with SCI (F19), people-equivalent (F18) and traces.
 * Pure: no I/O, no clock; the referential, the assessed inventory and the source locator are inputs.
 */
import { CRITERIA } from '../referential/codes.js';
import type { Referential } from '../referential/model.js';
import { evaluateAdemePreset } from './ademe.js';
import { ADEME_MODEL_NAME, ADEME_MODEL_VERSION } from './ademe-model.js';
import type { AdemeEngine } from './ademe-model.js';
import { ADEME_PRESETS } from './ademe-presets.js';
import { GENERIC_MODEL } from './component.js';
import type { Coverage, GenericContext, YearIndicator } from './component.js';
import { serviceEngine } from './engine-link.js';
import { genericIndicators, genericVolumes } from './generic.js';
import type { InventoryIndicators } from './inventory-link.js';
import { createReferenceData } from './reference-data.js';
import type { ServiceReferenceData } from './reference-data.js';
import { breakdown, sciFromIndicators } from './result.js';
import type { CriterionResult, FunctionalUnitInfo, Origin, ServiceAssessment, ServiceIndicator } from './result.js';
import { ADEME_MODEL_ID, GENERIC_MODEL_ID, isAdemeKind } from './schema.js';
import type { ServiceDefinition } from './schema.js';
import { serverIndicators } from './servers.js';
import { fail } from './source.js';
import type { ServiceSource } from './source.js';

export interface AssessServiceOptions {
  /**
   * The run's reference data (the embedded default pack plus the profile and user layers, §3.5): the only source of
   * device, network, electricity, people-equivalent, PUE and cloud-platform figures of the generic model.
   */
  readonly referential: Referential;
  /** Assessed inventory for `servers` inventory links. */
  readonly inventory?: InventoryIndicators;
  /** File and line locator, for error messages. */
  readonly source?: ServiceSource;
  /** Reuse one publicodes engine across evaluations (created otherwise). */
  readonly ademeEngine?: AdemeEngine;
}

/** `ademe` or `generic`, from the declared model and the kind (§2.10); a mismatch is an error. */
export function resolveModel(def: ServiceDefinition, source?: ServiceSource): 'ademe' | 'generic' {
  const ademe = isAdemeKind(def.kind);
  if (def.model === undefined) return ademe ? 'ademe' : 'generic';
  if (def.model === GENERIC_MODEL_ID) return 'generic';
  if (def.model === ADEME_MODEL_ID && ademe) return 'ademe';
  return fail(source, ['model'], 'SVC_MODEL_MISMATCH', {
    model: def.model,
    kind: def.kind,
    allowed: ademe ? `'${ADEME_MODEL_ID}' or '${GENERIC_MODEL_ID}'` : `'${GENERIC_MODEL_ID}'`,
  });
}

function fuLabel(def: ServiceDefinition, model: 'ademe' | 'generic'): string {
  if (def.functionalUnit.label) return def.functionalUnit.label;
  if (def.functionalUnit.kind === 'user-year') return 'one user-year';
  if (def.functionalUnit.kind === 'service-year') return 'one service-year';
  if (model === 'ademe' && isAdemeKind(def.kind)) return ADEME_PRESETS[def.kind].functionalUnit;
  return def.kind === 'online_procedure' ? 'one completed procedure' : 'one session';
}

export function assessService(def: ServiceDefinition, options: AssessServiceOptions): ServiceAssessment {
  const source = options.source;
  const data = createReferenceData(options.referential, def.profile ?? 'rcp');
  const ctx: GenericContext = {
    service: def.service,
    data,
    engine: serviceEngine(options.referential, def.profile ?? 'rcp'),
    ...(options.inventory ? { inventory: options.inventory } : {}),
    ...(source ? { source } : {}),
    warnings: [],
    dataQuality: [],
  };
  const model = resolveModel(def, source);
  const missing = (path: (string | number)[]): never =>
    fail(source, path, 'CALC_SERVICE_PARAMETER_MISSING', { service: def.service, parameter: path.join('.') });
  const label = fuLabel(def, model);

  let fu: FunctionalUnitInfo;
  let yearly: YearIndicator[];
  let coverage: Coverage[] = [];
  /** Exact per-FU values for ADEME stages when the FU is one evaluation (no division round trip). */
  const exactPerFu = new Map<YearIndicator, number>();
  const fuInfo = (perYear: number, origin: Origin): FunctionalUnitInfo => {
    if (!(perYear > 0))
      fail(source, ['functionalUnit'], 'SVC_FIELD_INVALID', {
        field: 'functionalUnit',
        reason: `there are ${perYear} functional units per year; results per functional unit need at least one`,
      });
    return { kind: def.functionalUnit.kind, label, perYear, origin };
  };

  // `ademe` is resolved for ADEME kinds only; the guard narrows the kind for the preset lookup.
  if (model === 'ademe' && isAdemeKind(def.kind)) {
    const kind = def.kind;
    const volume = def.volume ?? missing(['volume']);
    const ev = evaluateAdemePreset(kind, def.parameters ?? {}, {
      ...(options.ademeEngine ? { engine: options.ademeEngine } : {}),
      ...(source ? { source } : {}),
    });
    ctx.warnings.push(...ev.warnings);
    const k = def.functionalUnit.kind;
    fu =
      k === 'unit'
        ? fuInfo(volume, 'INPUT')
        : k === 'user-year'
          ? fuInfo(def.usage?.users ?? missing(['usage', 'users']), 'INPUT')
          : fuInfo(1, 'DERIVED');
    const replaced = def.servers !== undefined;
    yearly = [];
    for (const { stage, grams } of ev.stages) {
      if (replaced && stage.tier === 'DATACENTER') continue;
      const kg = grams / 1000;
      const perYear = kg * volume;
      const ind: YearIndicator = {
        tier: stage.tier,
        step: stage.step,
        criterion: 'CLIMATE_CHANGE',
        unit: 'kg CO2 eq',
        component: `ademe:${ev.preset.namespace}`,
        perYear,
        trace: {
          formula: `${stage.rule} = ${grams} gCO2e per use; ${grams} / 1000 × ${volume} = ${perYear} kg/yr`,
          variables: {
            grams: {
              value: grams,
              unit: 'gCO2e',
              origin: 'DERIVED',
              ref: { key: stage.rule, source: ADEME_MODEL_NAME },
            },
            volume: { value: volume, unit: 'use/yr', origin: 'INPUT' },
            ...ev.parameters,
          },
          model: ADEME_MODEL_NAME,
          rules: [ev.preset.namespace, stage.rule],
          stage: stage.id,
          notes: [`stage ${stage.id} → ${stage.tier}/${stage.step} (methodology §1.5)`, ...ev.notes],
        },
      };
      yearly.push(ind);
      if (k === 'unit') exactPerFu.set(ind, kg);
    }
    if (replaced) {
      const r = serverIndicators(ctx, def.servers ?? [], {
        sessionsPerYear: volume,
        functionalUnitsPerYear: fu.perYear,
        country: def.usage?.country ?? 'FR',
        path: ['servers'],
      });
      yearly.push(
        ...r.indicators.map((i) => ({
          ...i,
          trace: {
            ...i.trace,
            notes: [...(i.trace.notes ?? []), `replaces ADEME stages 16–17 of ${ev.preset.namespace}`],
          },
        })),
      );
      coverage = r.coverage;
    }
  } else {
    const volumes = genericVolumes(ctx, def);
    const k = def.functionalUnit.kind;
    fu =
      k === 'unit'
        ? fuInfo(def.volume ?? volumes.naturalUnits, def.volume !== undefined ? 'INPUT' : 'DERIVED')
        : k === 'user-year'
          ? fuInfo(volumes.users ?? missing(['usage', 'users']), 'INPUT')
          : fuInfo(1, 'DERIVED');
    const r = genericIndicators(ctx, def, volumes, fu.perYear);
    yearly = r.indicators;
    coverage = r.coverage;
  }

  const indicators: ServiceIndicator[] = yearly.map((i) => ({
    ...i,
    perFunctionalUnit: exactPerFu.get(i) ?? i.perYear / fu.perYear,
  }));
  const criteria = criterionResults(indicators, coverage, data);
  const sources = new Set<string>([model === 'ademe' ? ADEME_MODEL_NAME : GENERIC_MODEL, data.identity]);
  for (const i of indicators)
    for (const v of Object.values(i.trace.variables)) if (v.ref?.source) sources.add(v.ref.source);
  return {
    service: def,
    model:
      model === 'ademe'
        ? { id: ADEME_MODEL_ID, version: ADEME_MODEL_VERSION, name: ADEME_MODEL_NAME }
        : { id: GENERIC_MODEL_ID, version: '1.0', name: GENERIC_MODEL },
    functionalUnit: fu,
    indicators,
    criteria,
    sci: sciFromIndicators(indicators, label),
    warnings: ctx.warnings,
    dataQuality: ctx.dataQuality,
    sources: [...sources],
  };
}

const ORDER = new Map(CRITERIA.map((c, i) => [c.code, i]));

function criterionResults(
  indicators: readonly ServiceIndicator[],
  coverage: readonly Coverage[],
  data: ServiceReferenceData,
): CriterionResult[] {
  const codes = [...new Set(indicators.map((i) => i.criterion))].sort(
    (a, b) => (ORDER.get(a) ?? 99) - (ORDER.get(b) ?? 99) || a.localeCompare(b),
  );
  return codes.map((criterion) => {
    const mine = indicators.filter((i) => i.criterion === criterion);
    const perYear = breakdown(mine, (i) => i.perYear);
    const perFunctionalUnit = breakdown(mine, (i) => i.perFunctionalUnit);
    const pe = data.peopleEquivalent(criterion);
    const gaps = coverage.filter((c) => c.criteria !== '*' && !c.criteria.has(criterion)).map((c) => c.label);
    return {
      criterion,
      unit: data.criterionUnit(criterion),
      perYear,
      perFunctionalUnit,
      ...(pe
        ? {
            peopleEquivalent: {
              perYear: perYear.total / pe.value,
              perFunctionalUnit: perFunctionalUnit.total / pe.value,
              divisor: pe.value,
              source: pe.ref.source ?? '',
            },
          }
        : {}),
      gaps,
    };
  });
}
