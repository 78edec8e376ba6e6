/**
 * F11 — network of a digital service. The referential's network types (G4IT `ref_network_type.csv`:
 * `fixed-line-network-1`…, `mobile-network-1`…, in the default pack and overridable by a user layer) use the F11 line
 * and mobile models through the engine's F5/F6 formulas (`g4itNetwork` below); every other type uses the
 * ADEME per-GB system factors: I_{WHOLE_LIFE,c} = w × GB × f_c, GB = sessions ×
 * data per session, f in the criterion's unit per GB (ACV-NUM `transmission par défaut`, gCO2e/GB ÷ 1000 for kg).
 * A LAN share counts 0: the organisation's network equipment is in the inventory (§5.2, choice).
 */
import { GENERIC_MODEL, derived, electricityCriteria, input, normaliseShares, refVar } from './component.js';
import type { TraceVariable } from './result.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import { EMBODIED, USE, evaluate, render } from '../engine/formula.js';
import { LAN_NETWORK } from './defaults.js';
import { networkCode } from './reference-data.js';
import type { NetworkTypeData } from './reference-data.js';
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
    const type = ctx.data.networkType(entry.type);
    if (type) {
      const r = g4itNetwork(ctx, seg, { type, w, GB, path, component });
      indicators.push(...r.indicators);
      coverage.push(...r.coverage);
      return;
    }
    const resolved = networkCode(entry.type, seg.country, ctx.data.networkCodes());
    if (!resolved)
      fail(ctx.source, path, 'SVC_UNKNOWN_NETWORK', {
        value: entry.type,
        allowed: [
          'lan',
          'fixed',
          'wifi',
          'fixed-no-box',
          'mobile',
          ...ctx.data.networkCodes(),
          ...ctx.data.networkTypeCodes(),
        ].join(', '),
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

/**
 * F11 with the referential's network types. Fixed line (capacity model): lines = w × GB / C (C = the type's yearly GB
 * per line, `annual_quantity_of_go`), then for each embodied step
 * I = lines × F (per-line-year factors, not amortised: the engine's F5 with τ = L = 1) and I_USE = lines × E_line × M
 * (the engine's F6 with τ = PUE = 1, E_line the line item's kWh per line-year). Mobile: q = w × GB, I = q × F
 * (per-GB factors) and I_USE = q × e_GB × M (e_GB the item's consumption read as kWh per GB). M is the users' country.
 */
function g4itNetwork(
  ctx: GenericContext,
  seg: NetworkSegment,
  a: {
    type: NetworkTypeData;
    w: number;
    GB: number;
    path: DocPath;
    component: string;
  },
): ComponentResult {
  const indicators: YearIndicator[] = [];
  const { code, kind } = a.type;
  const item = ctx.data.device(code);
  if (!item || item.factors.length === 0)
    fail(ctx.source, a.path, 'SVC_UNKNOWN_NETWORK', {
      value: `${code} (a G4IT network type whose reference item is not in the referential: load G4IT's item impacts)`,
      allowed:
        ctx.data
          .networkTypeCodes()
          .filter((c) => ctx.data.device(c) !== undefined)
          .join(', ') || '(none loaded)',
    });
  let q: number;
  let qVar: TraceVariable;
  const typeRef = a.type.ref;
  const notes = [
    `F11 G4IT ${kind === 'FIXED' ? 'fixed line, capacity model' : 'mobile, per GB'}: network type ${code} (${typeRef.layer}${typeRef.file ? `, ${typeRef.file}${typeRef.line !== undefined ? `:${typeRef.line}` : ''}` : ''}; ${typeRef.source})`,
    `GB = ${seg.sessionsPerYear} sessions × ${seg.gbPerSession} GB = ${a.GB} GB (${seg.name})`,
  ];
  const capacity: Record<string, TraceVariable> = {};
  if (kind === 'FIXED') {
    const C = a.type.annualGBPerLine;
    if (!C)
      fail(ctx.source, a.path, 'CALC_SERVICE_PARAMETER_MISSING', {
        service: ctx.service,
        parameter: `annual_quantity_of_go of network type ${code} (yearly GB of a fixed line)`,
      });
    q = (a.w * a.GB) / C.value;
    qVar = derived(q, 'line');
    capacity['C'] = refVar(C.value, 'GB/line-year', C);
    notes.push(`lines = ${a.w} × ${a.GB} GB / ${C.value} GB per line-year (network type ${code}) = ${q}`);
  } else {
    q = a.w * a.GB;
    qVar = derived(q, 'GB');
  }
  const one = (unit: string) => derived(1, unit);
  const covered = new Set<string>();
  const embodied = new Set<string>();
  for (const f of item.factors) {
    if (f.step === 'USE' || f.step === 'WHOLE_LIFE') continue;
    embodied.add(f.criterion);
    const unit = ctx.data.criterionUnit(f.criterion);
    const v = { q, F: f.value, tau: 1, L: 1 };
    const value = evaluate(EMBODIED, v);
    indicators.push({
      tier: 'NETWORK',
      step: f.step,
      criterion: f.criterion,
      unit,
      component: a.component,
      perYear: value,
      trace: {
        formula: render(EMBODIED, v, value),
        variables: {
          q: qVar,
          ...capacity,
          F: refVar(f.value, `${unit}/${kind === 'FIXED' ? 'line-year' : 'GB'}`, f),
          tau: one('share'),
          L: one('yr'),
        },
        model: GENERIC_MODEL,
        notes: [...notes, 'not amortised: factors per line-year or per GB (L = 1)'],
      },
    });
  }
  const E = item.avgKWhPerYear;
  if (E === undefined) fail(ctx.source, a.path, 'CALC_ELECTRICITY_MISSING', { name: code, item: code });
  for (const c of electricityCriteria(ctx, seg.country, ['usage', 'country'])) {
    const M = ctx.data.electricity(seg.country, c);
    if (!M) continue;
    covered.add(c);
    const unit = ctx.data.criterionUnit(c);
    const v = { q, E, tau: 1, PUE: 1, M: M.value };
    const value = evaluate(USE, v);
    indicators.push({
      tier: 'NETWORK',
      step: 'USE',
      criterion: c,
      unit,
      component: a.component,
      perYear: value,
      trace: {
        formula: render(USE, v, value),
        variables: {
          q: qVar,
          ...capacity,
          E: refVar(E, kind === 'FIXED' ? 'kWh/line-year' : 'kWh/GB', item),
          tau: one('share'),
          PUE: one(''),
          M: refVar(M.value, `${unit}/kWh`, M),
        },
        model: GENERIC_MODEL,
        notes: [...notes, `use in ${seg.country}`],
      },
    });
  }
  return {
    indicators,
    coverage: [
      { label: `${a.component} embodied (${code})`, criteria: embodied },
      { label: `${a.component} use (${code})`, criteria: covered },
    ],
  };
}
