/**
 * F12 — terminals of a digital service. H = sessions × hours per session (device-hours of one setup), split over the
 * device mix. The formulas are the engine's (`src/engine/formula.ts`, TERMINAL_*): value and trace from the same
 * expression. Two allocations (§9 #5):
 * - `activeHours` (ACV-NUM `construction réelle`, `usage réel`; `rcp` default):
 *   I_emb = s × q × F × H / (365 × L × d),  I_use = s × q × P × H / 1000 × M;
 * - `calendarHours` (G4IT `TerminalDigitalServiceRule`; `numecoeval` default):
 *   I_emb = s × q × H × F / (L × 8760),     I_use = s × q × H × E_yr × M / 8760.
 * L is floored at 1 year in both. An item without P, d, L falls back to `calendarHours` (trace note, choice).
 */
import type { StepCode } from '../referential/codes.js';
import { GENERIC_MODEL, derived, electricityCriteria, input, normaliseShares, refVar, relay } from './component.js';
import { computeLifetime, lifetimeTrace, type LifetimeTrace } from '../engine/lifetime.js';
import { refOf } from '../engine/trace.js';
import {
  F12_CONSTANTS,
  TERMINAL_ACTIVE_EMBODIED,
  TERMINAL_ACTIVE_USE,
  TERMINAL_CALENDAR_EMBODIED,
  TERMINAL_CALENDAR_USE,
  evaluate,
  render,
} from '../engine/formula.js';
import type { ItemType } from '../referential/model.js';
import type { TraceVariable } from './result.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import type { DeviceData } from './reference-data.js';
import type { DeviceEntry, TerminalAllocation } from './schema.js';
import { fail } from './source.js';
import type { DocPath } from './source.js';

export interface TerminalSegment {
  /** `agents`, `citizens`, `back-office`… */
  readonly name: string;
  readonly sessionsPerYear: number;
  readonly hoursPerSession: number;
  readonly devices: readonly DeviceEntry[];
  readonly devicesPath: DocPath;
  readonly devicesOrigin: 'INPUT' | 'DEFAULT';
  readonly devicesSource?: string;
  readonly country: string;
  readonly countryPath: DocPath;
  readonly allocation: TerminalAllocation;
  /** A terminal line's own lifespan (G4IT `lifespan`), first in the F2 fallback: line → item → type → default. */
  readonly lifespanYears?: number;
  /** The item type the line names (G4IT `deviceType`); else the type whose default item is the device, if any. */
  readonly deviceType?: ItemType;
  /** What the two factors of H are (`sessions × h per session`, `users × h per user per year`). */
  readonly hoursLabel?: readonly [string, string];
  /** Where the device of a terminal line is named in the file (its `deviceType` or `item` field). */
  readonly itemPath?: DocPath;
}

const { D, Y, k } = F12_CONSTANTS;
/** A constant of F12 in a trace (days or hours in a year, watts per kilowatt). */
const constant = (value: number, unit: string): TraceVariable => ({ value, unit, origin: 'DEFAULT' });

export function terminalIndicators(ctx: GenericContext, seg: TerminalSegment): ComponentResult {
  const indicators: YearIndicator[] = [];
  const coverage: Coverage[] = [];
  const H = seg.sessionsPerYear * seg.hoursPerSession;
  const shareSum = normaliseShares(
    ctx,
    seg.devices.map((d) => d.share),
    seg.devicesPath,
  );
  const criteriaUse = electricityCriteria(ctx, seg.country, seg.countryPath);
  const component = `terminals:${seg.name}`;
  const useCovered = new Set<string>(criteriaUse);

  seg.devices.forEach((entry, e) => {
    const s = entry.share / shareSum;
    entry.items.forEach(({ item, quantity: q }, j) => {
      const itemPath = seg.itemPath ?? [...seg.devicesPath, e, ...(entry.items.length > 1 ? ['items', j] : ['item'])];
      const dev = ctx.data.device(item);
      if (!dev)
        fail(ctx.source, itemPath, 'SVC_UNKNOWN_DEVICE', { item, allowed: knownDevices(ctx.data.deviceNames()) });
      // activeHours needs the item's active power P and daily hours d (and a life); without them, calendarHours.
      const active =
        seg.allocation === 'activeHours' &&
        dev.activePowerW !== undefined &&
        dev.dailyHours !== undefined &&
        (dev.lifespanYears !== undefined || seg.lifespanYears !== undefined)
          ? { P: dev.activePowerW, d: dev.dailyHours }
          : undefined;
      const mode: TerminalAllocation = active ? 'activeHours' : 'calendarHours';
      const [nLabel, hLabel] = seg.hoursLabel ?? ['sessions', 'h'];
      const { years: L, trace: lifetime, variable: Lvar, note: lifeNote } = lifespan(ctx, seg, dev, itemPath);
      const notes = [
        `H = ${seg.sessionsPerYear} ${nLabel} × ${seg.hoursPerSession} ${hLabel} = ${H} device-hours (${seg.name})`,
        lifeNote,
        ...(mode !== seg.allocation ? [`allocationFallback: '${item}' has no active power, daily hours or life`] : []),
        ...(shareSum !== 1 ? [`shares normalised by their sum ${shareSum}`] : []),
      ];
      const common = {
        s: {
          value: s,
          unit: 'share',
          origin: seg.devicesOrigin,
          ...(seg.devicesSource ? { ref: { source: seg.devicesSource } } : {}),
        },
        q: input(q, 'device'),
        H: derived(H, 'h'),
        L: Lvar,
      } as const;
      const criteriaEmb = new Set<string>();
      for (const f of dev.factors) {
        if (f.step === 'USE' || f.step === 'WHOLE_LIFE') continue;
        criteriaEmb.add(f.criterion);
        const F = refVar(f.value, ctx.data.criterionUnit(f.criterion), f);
        if (active) {
          const { d } = active;
          const v = { s, q, F: f.value, H, D, L, d };
          const value = evaluate(TERMINAL_ACTIVE_EMBODIED, v);
          indicators.push(
            ind(ctx, f.step, f.criterion, value, component, {
              formula: render(TERMINAL_ACTIVE_EMBODIED, v, value),
              variables: { ...common, F, d: refVar(d, 'h/day', dev), D: constant(D, 'd/yr') },
              lifetime,
              notes: [`F12 activeHours, ${item} ${f.step}`, ...notes],
            }),
          );
        } else {
          const v = { s, q, H, F: f.value, L, Y };
          const value = evaluate(TERMINAL_CALENDAR_EMBODIED, v);
          indicators.push(
            ind(ctx, f.step, f.criterion, value, component, {
              formula: render(TERMINAL_CALENDAR_EMBODIED, v, value),
              variables: { ...common, F, Y: constant(Y, 'h/yr') },
              lifetime,
              notes: [`F12 calendarHours, ${item} ${f.step}`, ...notes],
            }),
          );
        }
      }
      coverage.push({ label: `${component} embodied (${item})`, criteria: criteriaEmb });

      for (const c of criteriaUse) {
        const M = ctx.data.electricity(seg.country, c);
        if (!M) continue;
        const Mv = refVar(M.value, `${ctx.data.criterionUnit(c)}/kWh`, M);
        if (active) {
          const { P } = active;
          const v = { s, q, P, H, k, M: M.value };
          const value = evaluate(TERMINAL_ACTIVE_USE, v);
          indicators.push(
            ind(ctx, 'USE', c, value, component, {
              formula: render(TERMINAL_ACTIVE_USE, v, value),
              variables: { ...common, P: refVar(P, 'W', dev), M: Mv, k: constant(k, 'W/kW') },
              notes: [`F12 activeHours, ${item} USE in ${seg.country}`, ...notes],
            }),
          );
        } else {
          const E = yearlyKWh(dev);
          if (E === undefined) fail(ctx.source, itemPath, 'CALC_ELECTRICITY_MISSING', { name: item, item });
          const v = { s, q, H, E, M: M.value, Y };
          const value = evaluate(TERMINAL_CALENDAR_USE, v);
          indicators.push(
            ind(ctx, 'USE', c, value, component, {
              formula: render(TERMINAL_CALENDAR_USE, v, value),
              variables: { ...common, E: refVar(E, 'kWh/yr', dev), M: Mv, Y: constant(Y, 'h/yr') },
              notes: [`F12 calendarHours, ${item} USE in ${seg.country}`, ...notes],
            }),
          );
        }
      }
    });
  });
  coverage.push({ label: `${component} use`, criteria: useCovered });
  return { indicators, coverage };
}

/**
 * The device's life by the engine's F2 with method FIXE: the line's lifespan, else the item's, else its type's default
 * (G4IT `deviceType` lifespan, `dureeVieDefaut`), else the `dureeVieParDefaut` hypothesis; floored at
 * `dureeVieMinimale`. The origin of the retained value is in the trace (lifetime source, variable L, a note).
 */
function lifespan(
  ctx: GenericContext,
  seg: TerminalSegment,
  dev: DeviceData,
  path: DocPath,
): { years: number; trace: LifetimeTrace; variable: TraceVariable; note: string } {
  const type = seg.deviceType ?? ctx.data.typeOfItem(dev.name);
  const fromLine = seg.lifespanYears !== undefined;
  const given = seg.lifespanYears ?? dev.lifespanYears;
  const item = { name: dev.name, ...(given !== undefined ? { internalLifeYears: given } : {}) };
  const lt = computeLifetime(item, type, undefined, ctx.engine.lifetimeEnv);
  if (lt.kind === 'missing') fail(ctx.source, path, 'CALC_LIFESPAN_UNDETERMINED', { name: dev.name });
  for (const w of lt.warnings) relay(ctx, path, w);
  const trace = lifetimeTrace(lt, item, ctx.engine.lifetimeEnv);
  const years = lt.years;
  const source = lt.source;
  const floored = lt.floored ? ` (floored to ${years} yr)` : '';
  if (source === 'INTERNAL' && fromLine)
    return { years, trace, variable: input(years, 'yr'), note: `lifespan ${given} yr given on the line${floored}` };
  if (source === 'INTERNAL')
    return {
      years,
      trace,
      variable: refVar(years, 'yr', dev),
      note: `lifespan ${given} yr of item ${dev.name}${floored}`,
    };
  if (source === 'TYPE_DEFAULT' && type)
    return {
      years,
      trace,
      variable: { value: years, unit: 'yr', origin: 'REFERENCE', ref: refOf(type.prov, type.type) },
      note: `lifespan ${lt.baseYears} yr of device type ${type.type} (item ${dev.name} has none)${floored}`,
    };
  const g = ctx.engine.hypotheses.defaultLifetime;
  return {
    years,
    trace,
    variable: { value: years, unit: 'yr', origin: 'HYPOTHESIS', ...(g.ref ? { ref: g.ref } : {}) },
    note: `lifespan ${lt.baseYears} yr from dureeVieParDefaut (neither item ${dev.name} nor its type has one)${floored}`,
  };
}

/** E_yr = the item's average consumption, else P × d × 365 / 1000 (F17 device rule). */
function yearlyKWh(dev: DeviceData): number | undefined {
  if (dev.avgKWhPerYear !== undefined) return dev.avgKWhPerYear;
  if (dev.activePowerW !== undefined && dev.dailyHours !== undefined)
    return (dev.activePowerW * dev.dailyHours * 365) / 1000;
  return undefined;
}

function ind(
  ctx: GenericContext,
  step: StepCode,
  criterion: string,
  perYear: number,
  component: string,
  t: {
    formula: string;
    variables: YearIndicator['trace']['variables'];
    lifetime?: LifetimeTrace;
    notes: string[];
  },
): YearIndicator {
  return {
    tier: 'TERMINAL',
    step,
    criterion,
    unit: ctx.data.criterionUnit(criterion),
    component,
    perYear,
    trace: {
      formula: t.formula,
      variables: t.variables,
      ...(t.lifetime ? { lifetime: t.lifetime } : {}),
      model: GENERIC_MODEL,
      notes: t.notes,
    },
  };
}

/** The device names quoted in SVC_UNKNOWN_DEVICE: the generic (ADEME) items first, the list capped for a readable line. */
function knownDevices(names: readonly string[]): string {
  const ordered = [...names.filter((n) => n.startsWith('ademe-')), ...names.filter((n) => !n.startsWith('ademe-'))];
  const shown = ordered.slice(0, 20).join(', ');
  return ordered.length > 20
    ? `${shown} … (${ordered.length} in all; any reference item name of the referential)`
    : shown;
}
