/**
 * AI inference of a service (issue 14): requests × output tokens per request on a model of a size class, by the
 * EcoLogits LLM-inference methodology **v1.0** (GenAI Impact, `genai-impact/ecologits: docs/methodology/
 * llm_inference.md`, licence CC BY-SA 4.0: the formulas and published constants are reused here with attribution).
 * Per request, with T output tokens, P_active and P_total in billions of parameters, Q bits per weight:
 *   GPU = ceil(1.2 × P_total × Q / 8 / 80 GB);  E_GPU = T × (8.91e-5 × P_active + 1.43e-3) Wh;
 *   ΔT = T × (8.02e-4 × P_active + 2.23e-2) s;  E_server\GPU = ΔT × 1 kW × GPU / 8;
 *   E_request = PUE × (E_server\GPU + GPU × E_GPU)   (PUE 1.2 unless given);
 *   I_use = E_request × M(location);  I_emb = ΔT / (5 yr) × (GPU / 8 × I_server\GPU + GPU × I_GPU)
 * with I_server\GPU = 3000 kg CO2 eq, 0.25 kg Sb eq, 39,000 MJ (AWS p4de.24xlarge without GPUs, BoaviztAPI) and
 * I_GPU = 143 kg, 5.09e-3 kg Sb eq, 1,828 MJ (NVIDIA A100 80 GB, Boavizta). An **estimate**: EcoLogits v1.0 states its
 * hypotheses (A100 80 GB servers, 4-bit quantised models, no batching) and does not quantify its inaccuracy; every
 * indicator is flagged `inferred` and the link's data quality is LOW.
 */
import { GENERIC_MODEL, derived, electricityCriteria, input } from './component.js';
import type { ComponentResult, Coverage, GenericContext, YearIndicator } from './component.js';
import type { StepCode } from '../referential/codes.js';
import type { Ai } from './schema.js';
import type { DocPath } from './source.js';

export const ECOLOGITS = 'EcoLogits LLM inference methodology v1.0 (genai-impact/ecologits, CC BY-SA 4.0)';

/** EcoLogits v1.0 constants (see the header). */
export const ECOLOGITS_V1 = {
  alpha: 8.91e-5, // Wh per output token per billion active parameters
  beta: 1.43e-3, // Wh per output token
  A: 8.02e-4, // s per output token per billion active parameters
  B: 2.23e-2, // s per output token
  memoryOverhead: 1.2,
  gpuMemoryGB: 80,
  serverPowerKW: 1,
  gpusInstalled: 8,
  pue: 1.2,
  lifeYears: 5,
  quantisationBits: 4,
  embodied: {
    CLIMATE_CHANGE: { server: 3000, gpu: 143 },
    RESOURCE_USE: { server: 0.25, gpu: 5.09e-3 },
    PRIMARY_ENERGY: { server: 39000, gpu: 1828 },
  },
} as const;

/**
 * Size classes (choice, documented in docs/services.md): dense models of 7, 70 and 405 billion parameters, the sizes
 * of the open-weight families EcoLogits benchmarks against (`small`, `medium`, `large`).
 */
export const AI_SIZE_CLASSES = { small: 7, medium: 70, large: 405 } as const;

export function aiLink(ctx: GenericContext, a: Ai, label: string | undefined, path: DocPath): ComponentResult {
  const k = ECOLOGITS_V1;
  const Ptotal = a.parametersBillion ?? AI_SIZE_CLASSES[a.sizeClass ?? 'medium'];
  const Pactive = a.activeParametersBillion ?? Ptotal;
  const Q = a.quantisationBits ?? k.quantisationBits;
  const T = a.outputTokensPerRequest;
  const N = a.requestsPerYear;
  const pue = a.pue ?? k.pue;
  const component = `server:${label ?? `AI inference ${a.sizeClass ?? `${Ptotal}B`}`}`;
  const memoryGB = (k.memoryOverhead * Ptotal * Q) / 8;
  const gpus = Math.ceil(memoryGB / k.gpuMemoryGB);
  const eGpuWh = T * (k.alpha * Pactive + k.beta);
  const dT = T * (k.A * Pactive + k.B);
  const eServerWh = (dT / 3600) * k.serverPowerKW * 1000 * (gpus / k.gpusInstalled);
  const eRequestKWh = (pue * (eServerWh + gpus * eGpuWh)) / 1000;
  const lifeSeconds = k.lifeYears * 365 * 24 * 3600;
  const notes = [
    `ESTIMATE by ${ECOLOGITS}; inaccuracy not quantified by the method`,
    `P_total ${Ptotal} B, P_active ${Pactive} B, Q ${Q} bits: memory 1.2 × ${Ptotal} × ${Q} / 8 = ${memoryGB} GB → GPU = ${gpus}`,
    `per request: E_GPU = ${T} × (8.91e-5 × ${Pactive} + 1.43e-3) = ${eGpuWh} Wh; ΔT = ${T} × (8.02e-4 × ${Pactive} + 2.23e-2) = ${dT} s`,
    `per request: E_server\\GPU = ${dT} s × 1 kW × ${gpus}/8 = ${eServerWh} Wh; E_request = ${pue} × (${eServerWh} + ${gpus} × ${eGpuWh}) Wh = ${eRequestKWh} kWh`,
  ];
  const variables = {
    N: input(N, 'requests/yr'),
    E_request: derived(eRequestKWh, 'kWh/request'),
  };
  const indicators: YearIndicator[] = [];
  const ind = (
    step: StepCode,
    criterion: string,
    perYear: number,
    formula: string,
    vars: YearIndicator['trace']['variables'],
    extra: string[],
  ) =>
    indicators.push({
      tier: 'DATACENTER',
      step,
      criterion,
      unit: ctx.data.criterionUnit(criterion),
      component,
      perYear,
      trace: { formula, variables: vars, inferred: true, model: GENERIC_MODEL, notes: [...notes, ...extra] },
    });
  const criteria = electricityCriteria(ctx, a.location, [...path, 'location']);
  for (const c of criteria) {
    const M = ctx.data.electricity(a.location, c);
    if (!M) continue;
    const value = N * eRequestKWh * M.value;
    ind(
      'USE',
      c,
      value,
      `${N} × ${eRequestKWh} kWh × ${M.value} = ${value}`,
      {
        ...variables,
        M: { value: M.value, unit: `${ctx.data.criterionUnit(c)}/kWh`, origin: 'REFERENCE', ref: M.ref },
      },
      [`use in ${a.location}`],
    );
  }
  for (const [c, e] of Object.entries(k.embodied)) {
    const Iserver = (gpus / k.gpusInstalled) * e.server + gpus * e.gpu;
    const value = N * (dT / lifeSeconds) * Iserver;
    ind(
      'MANUFACTURING',
      c,
      value,
      `${N} × ${dT} s / ${lifeSeconds} s × ${Iserver} = ${value}`,
      {
        N: input(N, 'requests/yr'),
        dT: derived(dT, 's'),
        L: derived(lifeSeconds, 's'),
        I_server: derived(Iserver, ctx.data.criterionUnit(c)),
      },
      [
        `I_server = ${gpus}/8 × ${e.server} + ${gpus} × ${e.gpu} (p4de.24xlarge without GPUs + A100 80 GB, embodied incl. transport)`,
      ],
    );
  }
  ctx.dataQuality.push({ component, quality: 'LOW' });
  const coverage: Coverage[] = [
    { label: `${component} use`, criteria: new Set(criteria) },
    { label: `${component} embodied`, criteria: new Set(Object.keys(k.embodied)) },
  ];
  return { indicators, coverage };
}
