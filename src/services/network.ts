/**
 * F11 — network of a digital service with per-GB system factors: I_{WHOLE_LIFE,c} = w × GB × f_c, GB = sessions ×
 * data per session, f in the criterion's unit per GB (ACV-NUM `transmission par défaut`, gCO2e/GB ÷ 1000 for kg).
 * A LAN share counts 0: the organisation's network equipment is in the inventory (§5.2, choice).
 */
import { GENERIC_MODEL, derived, input, normaliseShares, refVar } from './component.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import { LAN_NETWORK } from './defaults.js';
import { networkCode } from './reference-data.js';
import type { NetworkEntry } from './schema.js';
import { fail } from './source.js';
import type { DocPath } from './source.js';

export interface NetworkSegment {
  readonly name: string;
  readonly sessionsPerYear: number;
  readonly gbPerSession: number;
  readonly network: readonly NetworkEntry[];
  readonly networkPath: DocPath;
  readonly networkOrigin: 'INPUT' | 'DEFAULT';
  readonly country: string;
}

export function networkIndicators(ctx: GenericContext, seg: NetworkSegment): ComponentResult {
  const indicators: YearIndicator[] = [];
  const coverage: Coverage[] = [];
  const component = `network:${seg.name}`;
  const GB = seg.sessionsPerYear * seg.gbPerSession;
  const sum = normaliseShares(
    ctx,
    seg.network.map((n) => n.share),
    seg.networkPath,
  );
  seg.network.forEach((entry, j) => {
    const w = entry.share / sum;
    const path = [...seg.networkPath, j, 'type'];
    const resolved = networkCode(entry.type, seg.country, ctx.data.networkCodes());
    if (!resolved)
      fail(ctx.source, path, 'SVC_UNKNOWN_NETWORK', {
        value: entry.type,
        allowed: ['lan', 'fixed', 'wifi', 'fixed-no-box', 'mobile', ...ctx.data.networkCodes()].join(', '),
      });
    const notes = [
      `F11 per-GB, ${entry.type} → ${resolved.code}`,
      `GB = ${seg.sessionsPerYear} sessions × ${seg.gbPerSession} GB = ${GB} GB (${seg.name})`,
      ...(resolved.note ? [resolved.note] : []),
      ...(sum !== 1 ? [`shares normalised by their sum ${sum}`] : []),
    ];
    const variables = {
      w: { value: w, unit: 'share', origin: seg.networkOrigin },
      GB: derived(GB, 'GB'),
      type: input(entry.type, 'network type'),
    } as const;
    if (resolved.code === LAN_NETWORK.code) {
      indicators.push({
        tier: 'NETWORK',
        step: 'WHOLE_LIFE',
        criterion: 'CLIMATE_CHANGE',
        unit: ctx.data.criterionUnit('CLIMATE_CHANGE'),
        component,
        perYear: 0,
        trace: {
          formula: `${w} × ${GB} GB × 0 (LAN) = 0`,
          variables,
          model: GENERIC_MODEL,
          notes: [...notes, LAN_NETWORK.source],
        },
      });
      coverage.push({ label: `${component} (${resolved.code})`, criteria: '*' });
      return;
    }
    const net = ctx.data.network(resolved.code);
    if (!net)
      fail(ctx.source, path, 'SVC_UNKNOWN_NETWORK', { value: entry.type, allowed: ctx.data.networkCodes().join(', ') });
    const covered = new Set<string>();
    for (const f of net.factors) {
      covered.add(f.criterion);
      const unit = ctx.data.criterionUnit(f.criterion);
      const value = w * GB * f.value;
      indicators.push({
        tier: 'NETWORK',
        step: f.step,
        criterion: f.criterion,
        unit,
        component,
        perYear: value,
        trace: {
          formula: `${w} × ${GB} GB × ${f.value} ${unit}/GB = ${value}`,
          variables: { ...variables, f: refVar(f.value, `${unit}/GB`, f) },
          model: GENERIC_MODEL,
          notes,
        },
      });
    }
    coverage.push({ label: `${component} (${resolved.code})`, criteria: covered });
  });
  return { indicators, coverage };
}
