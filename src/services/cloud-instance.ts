/**
 * A service's cloud instance (issue 14): provider, instance type, location, quantity, yearly hours and load, assessed
 * by the engine's F15 exactly as the NumEcoEval cloud virtual-equipment line with the same inputs (`assessInventory`
 * on that one line, with the engine's cloud model over the run's referential and profile). The service takes the
 * line's indicators × the share β of the instance that serves it. No formula of F15 is written here.
 */
import { assessInventory } from '../engine/assess.js';
import { cloudModel, DEFAULT_GENERIC_SERVER } from '../engine/hooks.js';
import type { LifecycleStep } from '../referential/codes.js';
import { EmpreinteError } from '../issues/catalogue.js';
import type { VirtualEquipment } from '../inventory/model.js';
import { parseStep } from '../referential/codes.js';
import { GENERIC_MODEL, derived, input } from './component.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import type { Instance } from './schema.js';
import { locate } from './source.js';
import type { DocPath } from './source.js';

export const ENGINE_F15 = 'engine F15 (Boavizta cloud instance model, src/engine/cloud-model.ts)';
const STEPS: readonly LifecycleStep[] = ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'];

/** The NumEcoEval cloud virtual-equipment line of an instance (what `assess` reads from a CSV line). */
export function instanceLine(name: string, i: Instance): VirtualEquipment {
  return {
    name,
    infrastructure: 'CLOUD_SERVICES',
    provider: i.provider,
    instanceType: i.instanceType,
    location: i.location,
    quantity: i.quantity,
    ...(i.hoursPerYear !== undefined ? { annualHours: i.hoursPerYear } : {}),
    ...(i.loadPercent !== undefined ? { avgLoad: i.loadPercent } : {}),
  };
}

export function instanceLink(
  ctx: GenericContext,
  i: Instance,
  label: string | undefined,
  path: DocPath,
): ComponentResult {
  const name = label ?? `cloud ${i.provider} ${i.instanceType}`;
  const component = `server:${name}`;
  const { referential, profile } = ctx.engine;
  const out = assessInventory(
    { virtual: [instanceLine(name, i)] },
    referential,
    {
      profile,
      // A cloud line has no dates: the reference date only names the year assessed (whole period, share 1).
      referenceDate: '2025-01-01',
      lifetimeMethod: 'FIXE',
      criteria: [...referential.criteria.keys()],
      steps: STEPS,
    },
    { cloud: cloudModel(referential, profile, { genericServerItem: DEFAULT_GENERIC_SERVER }) },
  );
  // An instance the model cannot assess (unknown provider, instance or region…) errs on every slot, CLIMATE_CHANGE
  // first: that stops the service, at its field. A criterion the referential lacks a factor for (an electricity mix
  // without ACIDIFICATION…) is a gap of that criterion only, as in the inventory.
  const err = out.indicators.find(
    (r) =>
      r.status === 'ERROR' && (r.criterion === 'CLIMATE_CHANGE' || out.indicators.every((x) => x.status === 'ERROR')),
  );
  if (err?.errorMessage) {
    const at = locate(ctx.source, path);
    throw new EmpreinteError({
      ...err.errorMessage,
      severity: 'F',
      details: { file: at.file ?? '<service>', ...err.errorMessage.details },
      ...at,
    });
  }
  const incomplete = new Set(out.indicators.filter((r) => r.status === 'ERROR').map((r) => r.criterion));
  const beta = i.share;
  const indicators: YearIndicator[] = [];
  const covered = new Set<string>();
  for (const r of out.indicators) {
    const step = parseStep(r.lifecycleStep);
    if (r.status !== 'OK' || step === undefined || r.trace === undefined) continue;
    if (!incomplete.has(r.criterion)) covered.add(r.criterion);
    const value = beta * r.value;
    const engine = `engine: ${r.trace.formula}`;
    indicators.push({
      tier: 'DATACENTER',
      step,
      criterion: r.criterion,
      unit: r.unit,
      component,
      perYear: value,
      trace:
        beta === 1
          ? {
              ...r.trace,
              model: ENGINE_F15,
              notes: [`cloud instance ${i.provider} ${i.instanceType}, F15 as an inventory line`],
            }
          : {
              formula: `${beta} × ${r.value} = ${value}`,
              variables: { beta: input(beta, 'share'), I_instance: derived(r.value, r.unit) },
              warnings: r.trace.warnings,
              model: GENERIC_MODEL,
              notes: [`share β of the instance, whose F15 value is the engine's`, engine],
            },
    });
  }
  const coverage: Coverage[] = [{ label: `${component} (F15)`, criteria: covered }];
  return { indicators, coverage };
}
