/**
 * Server side of a digital service (methodology §5.2): D = Σ_links β × I^link + n × w_sess × PUE × M / 1000, tier
 * DATACENTER. Links are
 * - `inventory`: an application, virtual or physical equipment of the assessed inventory; its yearly indicators are
 *   taken with share β (all steps and criteria it has);
 * - `energy`: hosting energy (Wh per session, Wh per functional unit or kWh per year) × PUE × electricity factor
 *   (PUE = the engine's default PUE, the run's `PUEParDefaut` hypothesis, when not given);
 * - `cloud`: declared instances, USE = q × β × kWh × PUE × M (PUE = the provider's `PUE_cloud_<PROVIDER>` hypothesis,
 *   CCF, else `PUEParDefaut`), MANUFACTURING = q × β × embodied / L (L = the generic platform's `hours_life_time`);
 * - `instance`: a cloud instance assessed by the engine's F15 as an inventory line (`cloud-instance.ts`);
 * - `server`: a dedicated or shared non-cloud server assessed by the engine as a physical line (`cloud-instance.ts`);
 * - `ai`: AI inference estimated by the EcoLogits v1.0 method (`ai-inference.ts`);
 * - `provider`: a third-party factor per session, functional unit or year, with its quality grade.
 */
import { parseCriterion, parseStep, foldKey } from '../referential/codes.js';
import type { StepCode } from '../referential/codes.js';
import { GENERIC_MODEL, defaulted, derived, electricityCriteria, input, refVar, warn } from './component.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import { variable, type Sourced } from '../engine/trace.js';
import { CLOUD_GENERIC_PLATFORM, cloudPueHypothesis } from './defaults.js';
import type { ServerLink } from './schema.js';
import { aiLink } from './ai-inference.js';
import { hostServerLink, instanceLink } from './cloud-instance.js';
import { fail } from './source.js';
import type { DocPath } from './source.js';
import type { ServiceTrace, TraceVariable } from './result.js';

export interface ServerContext {
  readonly sessionsPerYear: number;
  readonly functionalUnitsPerYear: number;
  readonly country: string;
  readonly path: DocPath;
}

export function serverIndicators(
  ctx: GenericContext,
  links: readonly ServerLink[],
  sc: ServerContext,
): ComponentResult {
  const indicators: YearIndicator[] = [];
  const coverage: Coverage[] = [];
  links.forEach((link, i) => {
    const path = [...sc.path, i];
    const r = link.inventory
      ? inventoryLink(ctx, link, path)
      : link.energy
        ? energyLink(ctx, link, sc, path)
        : link.cloud
          ? cloudLink(ctx, link, path)
          : link.instance
            ? instanceLink(ctx, link.instance, link.label, [...path, 'instance'])
            : link.server
              ? hostServerLink(ctx, link.server, link.label, [...path, 'server'])
              : link.ai
                ? aiLink(ctx, link.ai, link.label, [...path, 'ai'])
                : providerLink(ctx, link, sc, path);
    indicators.push(...r.indicators);
    coverage.push(...r.coverage);
  });
  return { indicators, coverage };
}

function make(
  ctx: GenericContext,
  component: string,
  step: StepCode,
  criterion: string,
  perYear: number,
  trace: Omit<ServiceTrace, 'model'>,
): YearIndicator {
  return {
    tier: 'DATACENTER',
    step,
    criterion,
    unit: ctx.data.criterionUnit(criterion),
    component,
    perYear,
    trace: { ...trace, model: GENERIC_MODEL },
  };
}

function inventoryLink(ctx: GenericContext, link: ServerLink, path: DocPath): ComponentResult {
  const kind = link.inventory!;
  const name = link.name!;
  const component = `server:${link.label ?? `${kind} ${name}`}`;
  if (!ctx.inventory) fail(ctx.source, path, 'SVC_INVENTORY_REQUIRED', { service: ctx.service, kind, name });
  const rows = ctx.inventory.lookup(kind, name);
  if (!rows || rows.length === 0)
    fail(ctx.source, [...path, 'name'], 'SVC_UNKNOWN_INVENTORY_OBJECT', { service: ctx.service, kind, name });
  const beta = link.share ?? 1;
  const betaVar: TraceVariable =
    link.share === undefined
      ? defaulted(1, 'share', 'methodology §5.2: β = 1 when the object serves only this service')
      : input(beta, 'share');
  const indicators: YearIndicator[] = [];
  const covered = new Set<string>();
  for (const row of rows) {
    const step = parseStep(row.step);
    const criterion = parseCriterion(row.criterion)?.code ?? row.criterion;
    if (step === undefined)
      fail(ctx.source, path, 'SVC_INVENTORY_INVALID', {
        file: ctx.source?.file ?? '<inventory>',
        reason: `unknown lifecycle step '${row.step}' for ${kind} '${name}'`,
      });
    if (row.status === 'ERROR')
      warn(ctx, path, 'SVC_INVENTORY_ROW_IN_ERROR', { service: ctx.service, kind, name, step, criterion });
    covered.add(criterion);
    const unit = ctx.data.criterionUnit(criterion);
    const value = beta * row.value;
    indicators.push(
      make(ctx, component, step, criterion, value, {
        formula: `${beta} × ${row.value} = ${value}`,
        variables: {
          beta: betaVar,
          I: {
            value: row.value,
            unit: `${unit}/yr`,
            origin: 'DERIVED',
            ref: { key: `${kind}|${name}|${step}|${criterion}`, source: 'assessed inventory' },
          },
        },
        notes: [`inventory link: ${kind} '${name}', yearly indicator × β`],
      }),
    );
  }
  return { indicators, coverage: [{ label: component, criteria: covered }] };
}

/**
 * PUE of a link (F7): as given, else the engine's default PUE (the `PUEParDefaut` hypothesis as the engine resolves
 * it for the run: the referential's value, else the §3.6 registry default) with `CALC_DEFAULT_PUE`.
 */
function pueOf(ctx: GenericContext, given: number | undefined, name: string, path: DocPath): Sourced {
  if (given !== undefined) return { value: given, origin: 'INPUT' };
  const h = ctx.engine.hypotheses.defaultPue;
  warn(ctx, [...path, 'pue'], 'CALC_DEFAULT_PUE', { value: h.value, name });
  return h;
}

function energyLink(ctx: GenericContext, link: ServerLink, sc: ServerContext, path: DocPath): ComponentResult {
  const e = link.energy!;
  const component = `server:${link.label ?? 'hosting energy'}`;
  const location = e.location ?? sc.country;
  let kWh: number;
  let kWhFormula: string;
  const variables: Record<string, TraceVariable> = {};
  if (e.whPerSession !== undefined) {
    kWh = (sc.sessionsPerYear * e.whPerSession) / 1000;
    kWhFormula = `${sc.sessionsPerYear} sessions × ${e.whPerSession} Wh / 1000`;
    variables['n'] = derived(sc.sessionsPerYear, 'session/yr');
    variables['w_sess'] = input(e.whPerSession, 'Wh/session');
  } else if (e.whPerFunctionalUnit !== undefined) {
    kWh = (sc.functionalUnitsPerYear * e.whPerFunctionalUnit) / 1000;
    kWhFormula = `${sc.functionalUnitsPerYear} FU × ${e.whPerFunctionalUnit} Wh / 1000`;
    variables['fu'] = derived(sc.functionalUnitsPerYear, 'FU/yr');
    variables['w_fu'] = input(e.whPerFunctionalUnit, 'Wh/FU');
  } else {
    kWh = e.kWhPerYear!;
    kWhFormula = `${kWh} kWh/yr`;
    variables['E'] = input(kWh, 'kWh/yr');
  }
  const pue = pueOf(ctx, e.pue, component, [...path, 'energy']);
  const P = pue.value;
  variables['PUE'] = variable(pue, '');
  const criteria = electricityCriteria(ctx, location, [...path, 'energy', 'location']);
  const indicators: YearIndicator[] = [];
  for (const c of criteria) {
    const M = ctx.data.electricity(location, c)!;
    const value = kWh * P * M.value;
    indicators.push(
      make(ctx, component, 'USE', c, value, {
        formula: `(${kWhFormula}) × ${P} × ${M.value} = ${value}`,
        variables: { ...variables, M: refVar(M.value, `${ctx.data.criterionUnit(c)}/kWh`, M) },
        notes: [
          `hosting energy in ${location}; embodied impact of these servers not included (declare an inventory link or a cloud embodied value)`,
        ],
      }),
    );
  }
  return { indicators, coverage: [{ label: `${component} use`, criteria: new Set(criteria) }] };
}

function cloudLink(ctx: GenericContext, link: ServerLink, path: DocPath): ComponentResult {
  const c = link.cloud!;
  const component = `server:${link.label ?? `cloud ${c.provider}${c.instanceType ? ` ${c.instanceType}` : ''}`}`;
  const providerCode = ctx.data.cloudProvider(c.provider) ?? foldKey(c.provider).replace(/ /g, '');
  const providerPue = c.pue === undefined ? ctx.data.hypothesis(cloudPueHypothesis(providerCode)) : undefined;
  const pue: Sourced = providerPue ?? pueOf(ctx, c.pue, component, [...path, 'cloud']);
  const P = pue.value;
  const base = { q: input(c.quantity, 'instance'), beta: input(c.share, 'share'), PUE: variable(pue, '') };
  const indicators: YearIndicator[] = [];
  const criteria = electricityCriteria(ctx, c.location, [...path, 'cloud', 'location']);
  for (const crit of criteria) {
    const M = ctx.data.electricity(c.location, crit)!;
    const value = c.quantity * c.share * c.kWhPerYear * P * M.value;
    indicators.push(
      make(ctx, component, 'USE', crit, value, {
        formula: `${c.quantity} × ${c.share} × ${c.kWhPerYear} kWh × ${P} × ${M.value} = ${value}`,
        variables: {
          ...base,
          E: input(c.kWhPerYear, 'kWh/yr'),
          M: refVar(M.value, `${ctx.data.criterionUnit(crit)}/kWh`, M),
        },
        notes: [`declared cloud instance in ${c.location}`],
      }),
    );
  }
  const coverage: Coverage[] = [{ label: `${component} use`, criteria: new Set(criteria) }];
  if (c.embodiedKgCO2e !== undefined) {
    const life = lifeOf(ctx, c.lifespanYears, component, [...path, 'cloud', 'lifespanYears']);
    const L = life.years;
    const value = (c.quantity * c.share * c.embodiedKgCO2e) / L;
    indicators.push(
      make(ctx, component, 'MANUFACTURING', 'CLIMATE_CHANGE', value, {
        formula: `${c.quantity} × ${c.share} × ${c.embodiedKgCO2e} kg / ${L} = ${value}`,
        variables: { ...base, TE: input(c.embodiedKgCO2e, 'kg CO2 eq'), ...life.variables },
        notes: ['declared cloud embodied share, MANUFACTURING only (F15)', ...life.notes],
      }),
    );
    coverage.push({ label: `${component} embodied`, criteria: new Set(['CLIMATE_CHANGE']) });
  } else {
    coverage.push({ label: `${component} embodied (not declared)`, criteria: new Set() });
  }
  return { indicators, coverage };
}

/**
 * Life of a declared cloud instance: `lifespanYears` as given, else the `hours_life_time` of the referential's generic
 * platform archetype (`platform_compute_medium`, 35 040 h in the default pack) / 8760 h per year.
 */
function lifeOf(
  ctx: GenericContext,
  given: number | undefined,
  name: string,
  path: DocPath,
): { years: number; variables: Record<string, TraceVariable>; notes: string[] } {
  if (given !== undefined) return { years: given, variables: { L: input(given, 'yr') }, notes: [] };
  const h = ctx.data.cloudPlatformLifeHours(CLOUD_GENERIC_PLATFORM);
  if (!h) fail(ctx.source, path, 'CALC_LIFESPAN_UNDETERMINED', { name });
  const years = h.value / 8760;
  return {
    years,
    variables: { L: derived(years, 'yr'), H_life: refVar(h.value, 'h', h) },
    notes: [`L = ${h.value} h (${CLOUD_GENERIC_PLATFORM} hours_life_time) / 8760 h = ${years} yr`],
  };
}

function providerLink(ctx: GenericContext, link: ServerLink, sc: ServerContext, path: DocPath): ComponentResult {
  const p = link.provider!;
  const component = `server:${link.label ?? `provider ${p.name}`}`;
  ctx.dataQuality.push({ component, quality: p.quality });
  const count = p.per === 'session' ? sc.sessionsPerYear : p.per === 'functionalUnit' ? sc.functionalUnitsPerYear : 1;
  const indicators: YearIndicator[] = [];
  const covered = new Set<string>();
  p.factors.forEach((f, j) => {
    const criterion = parseCriterion(f.criterion)?.code;
    if (!criterion)
      fail(ctx.source, [...path, 'provider', 'factors', j, 'criterion'], 'SVC_FIELD_INVALID', {
        field: 'criterion',
        reason: `'${f.criterion}' is not a known criterion`,
      });
    const step = f.step !== undefined ? parseStep(f.step) : 'WHOLE_LIFE';
    if (!step)
      fail(ctx.source, [...path, 'provider', 'factors', j, 'step'], 'SVC_FIELD_INVALID', {
        field: 'step',
        reason: `'${f.step}' is not a known lifecycle step`,
      });
    covered.add(criterion);
    const value = count * f.value;
    const unit = ctx.data.criterionUnit(criterion);
    indicators.push(
      make(ctx, component, step, criterion, value, {
        formula: `${count} ${p.per === 'year' ? 'year' : p.per} × ${f.value} ${unit} = ${value}`,
        variables: {
          count: p.per === 'year' ? input(1, 'yr') : derived(count, `${p.per}/yr`),
          f: { value: f.value, unit: `${unit}/${p.per}`, origin: 'INPUT', ref: { source: p.source } },
          quality: input(p.quality, 'grade'),
        },
        notes: [`third-party provider '${p.name}' factor (quality ${p.quality}), ${p.source}`],
      }),
    );
  });
  return { indicators, coverage: [{ label: component, criteria: covered }] };
}
