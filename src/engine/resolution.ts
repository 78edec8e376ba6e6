/**
 * Reference item resolution (methodology F1): matching table → direct model name (rcp) → fuzzy model (rcp) →
 * bottom-up server (rcp, with components) → the type's default item → error naming what was tried.
 */
import { issue, type Issue } from '../issues/catalogue.js';
import type { ItemType, ReferenceItem } from '../referential/model.js';
import type { EngineEnv } from './env.js';
import { refOf, type ResolutionTrace, type ResolutionVia, type Sourced } from './trace.js';

export type { ResolutionTrace, ResolutionVia } from './trace.js';

export type Resolution =
  | {
      readonly kind: 'value';
      readonly item: ReferenceItem;
      readonly trace: ResolutionTrace;
      readonly warnings: readonly Issue[];
      /**
       * Profile rcp: when the resolved item has no average consumption (a product footprint without `yearly_tec`),
       * the consumption of the type's default item, origin DEFAULT, its source in `ref`.
       */
      readonly typeKWh?: Sourced;
    }
  | { readonly kind: 'missing'; readonly issue: Issue };

export interface ResolutionInput {
  readonly name: string;
  readonly model?: string;
  readonly type: string;
  readonly manufacturer?: string;
  readonly cores?: number;
  readonly memoryGB?: number;
  readonly diskGB?: number;
  readonly cpuType?: string;
  /** F16 optional disk columns `nbSsd`, `tailleSsd`, `nbHdd`. */
  readonly ssdCount?: number;
  readonly ssdSizeGb?: number;
  readonly hddCount?: number;
}

/** Resolve; results for a (model, type, manufacturer) triple without server components are cached by the caller. */
export function resolveReferenceItem(
  input: ResolutionInput,
  type: ItemType | undefined,
  env: EngineEnv,
  modelRules = true,
): Resolution {
  const tried: string[] = [];
  const model = input.model?.trim() || undefined;
  const found = (
    item: ReferenceItem,
    via: ResolutionVia,
    extra: Partial<ResolutionTrace> = {},
    warnings: Issue[] = [],
  ): Resolution => {
    const typeKWh = typeDefaultKWh(item, type, env);
    return {
      kind: 'value',
      item,
      warnings,
      trace: { via, refItem: item.name, ...(model ? { model } : {}), type: input.type, ...extra },
      ...(typeKWh ? { typeKWh } : {}),
    };
  };

  if (model !== undefined && modelRules) {
    const target = env.matching(model);
    if (target !== undefined) {
      const item = env.ref.items.get(target);
      if (item) return found(item, 'MATCHING');
      tried.push(`matching '${model}' → '${target}' (no such reference item)`);
    } else tried.push(`matching table (no row for '${model}')`);

    if (env.opts.directModelMatch) {
      const named = env.itemNamed(model, input.manufacturer);
      const item = named !== undefined ? env.ref.items.get(named) : undefined;
      if (item) return found(item, 'MODEL');
      tried.push('reference item named like the model');
      const matcher = env.hooks.matcher;
      if (matcher) {
        const query = input.manufacturer ? `${input.manufacturer} ${model}` : model;
        const m = matcher.match(query, type?.type);
        const mi = m ? env.ref.items.get(m.item) : undefined;
        if (m && mi) return found(mi, m.via ?? 'MODEL_FUZZY', { score: m.score });
        tried.push('fuzzy model match above threshold');
      }
    }
  }

  if (env.opts.directModelMatch && type?.isServer && env.hooks.bottomUp) {
    if (
      input.cores !== undefined ||
      input.memoryGB !== undefined ||
      input.diskGB !== undefined ||
      input.ssdCount !== undefined ||
      input.ssdSizeGb !== undefined ||
      input.hddCount !== undefined
    ) {
      const synthetic = env.hooks.bottomUp(input);
      // F16: tailleDuDisque without the disk columns is read as one SSD; the warning says the kind is a guess.
      const diskKindUnknown =
        input.diskGB !== undefined &&
        input.ssdCount === undefined &&
        input.ssdSizeGb === undefined &&
        input.hddCount === undefined;
      if (synthetic)
        return found(
          synthetic,
          'BOTTOM_UP',
          {},
          diskKindUnknown ? [issue('CALC_DISK_KIND_UNKNOWN', { value: input.diskGB })] : [],
        );
      tried.push('bottom-up server model');
    }
  }

  if (type === undefined) {
    tried.push(`item type '${input.type}' (unknown; known types: ${env.knownTypeNames().join(', ')})`);
  } else if (type.defaultRefItem === undefined) {
    tried.push(`default item of type '${type.type}' (none declared)`);
  } else {
    const item = env.ref.items.get(type.defaultRefItem);
    if (item) {
      const warnings: Issue[] = [];
      let best: { item: string; score: number } | undefined;
      if (model !== undefined && modelRules) {
        best = env.opts.directModelMatch ? env.hooks.matcher?.best(model, type.type) : undefined;
        warnings.push(
          issue('CALC_MODEL_FALLBACK', {
            model,
            item: item.name,
            type: type.type,
            ...(best ? { bestCandidate: best.item, score: best.score } : {}),
          }),
        );
      }
      return found(item, 'TYPE', best ? { bestCandidate: best } : {}, warnings);
    }
    tried.push(`default item '${type.defaultRefItem}' of type '${type.type}' (no such reference item)`);
  }
  // Shared by every line with this (type, model): the equipment name comes from the output row.
  return {
    kind: 'missing',
    issue: issue('CALC_NO_REFERENCE_ITEM', {
      model: model ?? '',
      type: input.type,
      tried: tried.join('; '),
    }),
  };
}

/**
 * The type's default consumption for an item without one (profile rcp only; numecoeval keeps NumEcoEval's
 * CALC_ELECTRICITY_MISSING, §9 #29): e.g. an Apple MacBook Air footprint (no `yearly_tec`) of type Laptop uses the
 * yearly kWh of `ademe-laptop`.
 */
function typeDefaultKWh(item: ReferenceItem, type: ItemType | undefined, env: EngineEnv): Sourced | undefined {
  if (item.avgKWhPerYear !== undefined || env.ctx.profile !== 'rcp' || type?.defaultRefItem === undefined) return;
  const fallback = env.ref.items.get(type.defaultRefItem);
  if (fallback?.avgKWhPerYear === undefined) return;
  return {
    value: fallback.avgKWhPerYear,
    origin: 'DEFAULT',
    ref: refOf(fallback.prov, `${fallback.name} (default item of type ${type.type})`),
  };
}
