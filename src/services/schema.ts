/**
 * Digital-service description (methodology §2.10, §5.2): zod schemas, the single source of the format. A validated
 * document is plain JSON data that the server can store and expose as is; `docs/services.md` documents every field.
 */
import { z } from 'zod';
import { MAX } from '../inventory/columns.js';

export const SERVICE_KINDS = [
  'videoconference',
  'email',
  'streaming',
  'file_transfer',
  'web_search',
  'business_application',
  'online_procedure',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
/** The kinds the ADEME model has a preset for (§5.1). */
export const ADEME_KINDS = ['videoconference', 'email', 'streaming', 'file_transfer', 'web_search'] as const;
export type AdemeKind = (typeof ADEME_KINDS)[number] & ServiceKind;

/** The pinned ADEME model id (§2.10) and the generic model (§5.2). */
export const ADEME_MODEL_ID = 'ademe-acv-numerique-2.1.0';
export const GENERIC_MODEL_ID = 'generic';

const PERCENT = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/;

/** A share in [0, 1], written as a number (0.8) or a percentage string ("80 %"). */
export const ShareSchema = z
  .union([z.number(), z.string().regex(PERCENT, 'must be a number between 0 and 1 or a percentage such as "80 %"')])
  .transform((v) => (typeof v === 'number' ? v : Number(PERCENT.exec(v)?.[1]) / 100))
  .pipe(z.number().min(0).max(1));

// zod numbers are finite (NaN, Infinity, YAML `.inf` and JSON `1e309` are refused); the hard limits of inventories
// (methodology §2.1) apply to the same quantities here.
const NonNegative = z.number().nonnegative();
const Positive = z.number().positive();
const Quantity = Positive.max(MAX.quantity);
const YearlyKWh = NonNegative.max(MAX.annualKWh);
const Pue = z.number().min(1).max(MAX.pue);
const Name = z.string().trim().min(1);

export const QUALITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;

/** One device setup of the mix: one item (`item`, `quantity`) or several used together (desktop + monitor). */
export const DeviceEntrySchema = z
  .strictObject({
    share: ShareSchema,
    item: Name.optional(),
    quantity: Quantity.optional(),
    items: z
      .array(z.union([Name, z.strictObject({ item: Name, quantity: Quantity.default(1) })]))
      .min(1)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.item === undefined) === (v.items === undefined))
      ctx.addIssue({ code: 'custom', message: "give exactly one of 'item' or 'items'", path: [] });
    if (v.items !== undefined && v.quantity !== undefined)
      ctx.addIssue({ code: 'custom', message: "'quantity' goes inside each entry of 'items'", path: ['quantity'] });
  })
  .transform((v, ctx) => {
    const items =
      v.items !== undefined
        ? v.items.map((i) => (typeof i === 'string' ? { item: i, quantity: 1 } : i))
        : v.item !== undefined
          ? [{ item: v.item, quantity: v.quantity ?? 1 }]
          : undefined;
    // Not reached (the refinement above refuses such an entry first): the types say why `item` is there.
    if (items === undefined) {
      ctx.addIssue({ code: 'custom', message: "give exactly one of 'item' or 'items'" });
      return z.NEVER;
    }
    return { share: v.share, items };
  });
export type DeviceEntry = z.output<typeof DeviceEntrySchema>;

/** Network mix entry: `fixed`, `mobile`, `wifi` (fixed line incl. box), `lan`, or a pack code such as `FIXED_FR`. */
export const NetworkEntrySchema = z.strictObject({ type: Name, share: ShareSchema });
export type NetworkEntry = z.output<typeof NetworkEntrySchema>;

const TERMINAL_ALLOCATIONS = ['activeHours', 'calendarHours'] as const;
export type TerminalAllocation = (typeof TERMINAL_ALLOCATIONS)[number];

/** Hours in a year: the most one user can spend on one terminal line per year. */
export const HOURS_PER_YEAR = 8760;

/**
 * One terminal line as G4IT describes it (methodology F12): a device type (G4IT `deviceType` code or an item type of
 * the referential) or a reference item, the country of use, the number of users, the yearly hours per user and an
 * optional lifespan (else the item's, the type's, then `dureeVieParDefaut`, F2).
 */
export const TerminalLineSchema = z
  .strictObject({
    label: Name.optional(),
    deviceType: Name.optional(),
    item: Name.optional(),
    country: Name,
    users: NonNegative.max(MAX.quantity),
    hoursPerUserPerYear: NonNegative.max(
      HOURS_PER_YEAR,
      `must be between 0 and ${HOURS_PER_YEAR} hours per user per year (a year has ${HOURS_PER_YEAR} hours)`,
    ),
    lifespanYears: Positive.max(MAX.lifeYears).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.deviceType === undefined) === (v.item === undefined))
      ctx.addIssue({ code: 'custom', message: "give exactly one of 'deviceType' or 'item'", path: [] });
  });
export type TerminalLine = z.output<typeof TerminalLineSchema>;

/** Usage profile of the service's users (agents for a business application, citizens for an online procedure). */
export const UsageSchema = z.strictObject({
  users: NonNegative.optional(),
  sessionsPerUserPerYear: NonNegative.optional(),
  sessionsPerYear: NonNegative.optional(),
  proceduresPerYear: NonNegative.optional(),
  sessionsPerProcedure: NonNegative.optional(),
  sessionHours: NonNegative.optional(),
  sessionMinutes: NonNegative.optional(),
  dataPerSessionGB: NonNegative.optional(),
  dataPerSessionMB: NonNegative.optional(),
  pagesPerSession: NonNegative.optional(),
  pageSizeMB: NonNegative.optional(),
  devices: z.array(DeviceEntrySchema).min(1).optional(),
  /** Terminal lines (G4IT style); when given they replace `devices` and the session hours for the terminals. */
  terminals: z.array(TerminalLineSchema).min(1).optional(),
  network: z.array(NetworkEntrySchema).min(1).optional(),
  remoteShare: ShareSchema.optional(),
  mobileShare: ShareSchema.optional(),
  country: Name.optional(),
  terminalAllocation: z.enum(TERMINAL_ALLOCATIONS).optional(),
});
export type Usage = z.output<typeof UsageSchema>;

/** Agents' back office of an online procedure. */
export const BackOfficeSchema = z.strictObject({
  hoursPerProcedure: NonNegative.optional(),
  minutesPerProcedure: NonNegative.optional(),
  dataPerProcedureGB: NonNegative.optional(),
  devices: z.array(DeviceEntrySchema).min(1).optional(),
  network: z.array(NetworkEntrySchema).min(1).optional(),
  country: Name.optional(),
  terminalAllocation: z.enum(TERMINAL_ALLOCATIONS).optional(),
});
export type BackOffice = z.output<typeof BackOfficeSchema>;

export const INVENTORY_KINDS = ['application', 'virtual-equipment', 'physical-equipment'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

export const EnergySchema = z
  .strictObject({
    whPerSession: NonNegative.optional(),
    whPerFunctionalUnit: NonNegative.optional(),
    kWhPerYear: YearlyKWh.optional(),
    pue: Pue.optional(),
    location: Name.optional(),
  })
  .superRefine((v, ctx) => {
    const n = [v.whPerSession, v.whPerFunctionalUnit, v.kWhPerYear].filter((x) => x !== undefined).length;
    if (n !== 1)
      ctx.addIssue({
        code: 'custom',
        message: "give exactly one of 'whPerSession', 'whPerFunctionalUnit' or 'kWhPerYear'",
        path: [],
      });
  });

export const CloudSchema = z.strictObject({
  provider: Name,
  instanceType: Name.optional(),
  quantity: Quantity.default(1),
  share: ShareSchema.default(1),
  kWhPerYear: YearlyKWh,
  embodiedKgCO2e: NonNegative.optional(),
  lifespanYears: Positive.max(MAX.lifeYears).optional(),
  location: Name,
  pue: Pue.optional(),
});

/**
 * A cloud instance assessed by the engine's F15 (Boavizta model over the referential's cloud archetypes), exactly as
 * a NumEcoEval cloud virtual-equipment line with the same provider, instance type, location, quantity, yearly hours
 * and average load; `share` is the part of it that serves the service.
 */
export const InstanceSchema = z.strictObject({
  provider: Name,
  instanceType: Name,
  /** A country, or a region of the provider (`eu-west-3`). */
  location: Name,
  quantity: Quantity.default(1),
  hoursPerYear: NonNegative.max(
    HOURS_PER_YEAR,
    `must be between 0 and ${HOURS_PER_YEAR} hours per year (a year has ${HOURS_PER_YEAR} hours)`,
  ).optional(),
  /** Average load, % (0–100); default the platform's (50 %). */
  loadPercent: z.number().min(0).max(100).optional(),
  share: ShareSchema.default(1),
});
export type Instance = z.output<typeof InstanceSchema>;

/**
 * A server described by its components (methodology F16, the engine's Boavizta bottom-up model, as an inventory server
 * line with `nbCoeur`, `typeDeProcesseur`, `tailleMemoire`, `nbSsd`, `tailleSsd`, `nbHdd`): `rcp` profile only.
 */
export const ServerComponentsSchema = z
  .strictObject({
    cores: z.int().positive().max(MAX.cores).optional(),
    cpuType: Name.optional(),
    memoryGB: z.int().positive().max(MAX.memoryGB).optional(),
    ssdCount: z.int().nonnegative().max(MAX.cores).optional(),
    ssdSizeGB: Positive.max(MAX.diskGB).optional(),
    hddCount: z.int().nonnegative().max(MAX.cores).optional(),
  })
  .superRefine((v, ctx) => {
    if ([v.cores, v.memoryGB, v.ssdCount, v.ssdSizeGB, v.hddCount].every((x) => x === undefined))
      ctx.addIssue({
        code: 'custom',
        message: "give at least one of 'cores', 'memoryGB', 'ssdCount', 'ssdSizeGB' or 'hddCount'",
        path: [],
      });
  });
export type ServerComponents = z.output<typeof ServerComponentsSchema>;

/**
 * A non-cloud server as G4IT describes it: dedicated (whole servers) or shared (a vCPU or storage part of a host), the
 * host a G4IT archetype (`size` S/M/L of `kind` compute or storage), a reference item (`item`) or its components
 * (`components`, F16 bottom-up), with `hostVcpu` / `hostStorageGB` when an item or components host is shared; yearly
 * operating hours, the datacenter's location and PUE. Assessed by the engine as a physical server line (and, when
 * shared, a virtual machine on it).
 */
export const HostServerSchema = z
  .strictObject({
    mode: z.enum(['dedicated', 'shared']),
    size: z.enum(['S', 'M', 'L']).optional(),
    kind: z.enum(['compute', 'storage']).default('compute'),
    item: Name.optional(),
    components: ServerComponentsSchema.optional(),
    hostVcpu: Positive.max(MAX.quantity).optional(),
    hostStorageGB: Positive.max(MAX.quantity).optional(),
    quantity: Quantity.default(1),
    vcpu: Positive.max(MAX.quantity).optional(),
    storageGB: Positive.max(MAX.quantity).optional(),
    hoursPerYear: NonNegative.max(
      HOURS_PER_YEAR,
      `must be between 0 and ${HOURS_PER_YEAR} hours per year (a year has ${HOURS_PER_YEAR} hours)`,
    ).optional(),
    lifespanYears: Positive.max(MAX.lifeYears).optional(),
    datacenter: z.strictObject({ location: Name, pue: Pue.optional() }),
  })
  .superRefine((v, ctx) => {
    if ([v.size, v.item, v.components].filter((x) => x !== undefined).length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: "give exactly one of 'size' (S, M, L), 'item' or 'components'",
        path: [],
      });
    if (v.mode === 'shared') {
      const need = v.kind === 'compute' ? 'vcpu' : 'storageGB';
      const other = v.kind === 'compute' ? 'storageGB' : 'vcpu';
      if (v[need] === undefined)
        ctx.addIssue({ code: 'custom', message: `a shared ${v.kind} server needs '${need}'`, path: [need] });
      if (v[other] !== undefined)
        ctx.addIssue({ code: 'custom', message: `'${other}' does not apply to a ${v.kind} host`, path: [other] });
      const hostField = v.kind === 'compute' ? 'hostVcpu' : 'hostStorageGB';
      if (v.size === undefined && v[hostField] === undefined)
        ctx.addIssue({
          code: 'custom',
          message: `a shared host given by 'item' or 'components' needs '${hostField}'`,
          path: [hostField],
        });
    } else if (v.vcpu !== undefined || v.storageGB !== undefined)
      ctx.addIssue({ code: 'custom', message: "'vcpu' and 'storageGB' apply to shared servers", path: [] });
  });
export type HostServer = z.output<typeof HostServerSchema>;

/**
 * AI inference by the EcoLogits v1.0 method (`ai-inference.ts`): requests per year × output tokens per request on a
 * model given by its size class or its parameter counts. An estimate.
 */
export const AiSchema = z
  .strictObject({
    sizeClass: z.enum(['small', 'medium', 'large']).optional(),
    parametersBillion: Positive.max(100_000).optional(),
    activeParametersBillion: Positive.max(100_000).optional(),
    quantisationBits: z.union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)]).optional(),
    requestsPerYear: NonNegative.max(MAX.quantity),
    outputTokensPerRequest: Positive.max(1_000_000),
    location: Name,
    pue: Pue.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.sizeClass === undefined) === (v.parametersBillion === undefined))
      ctx.addIssue({
        code: 'custom',
        message: "give exactly one of 'sizeClass' (small, medium, large) or 'parametersBillion'",
        path: [],
      });
    if (
      v.activeParametersBillion !== undefined &&
      v.parametersBillion !== undefined &&
      v.activeParametersBillion > v.parametersBillion
    )
      ctx.addIssue({
        code: 'custom',
        message: "'activeParametersBillion' cannot exceed 'parametersBillion'",
        path: ['activeParametersBillion'],
      });
  });
export type Ai = z.output<typeof AiSchema>;

export const ProviderSchema = z.strictObject({
  name: Name,
  per: z.enum(['session', 'functionalUnit', 'year']),
  factors: z.array(z.strictObject({ criterion: Name, value: NonNegative, step: Name.optional() })).min(1),
  quality: z.enum(QUALITIES),
  source: Name,
});

/** One server-side link: exactly one of `inventory` (+ `name`, `share`), `energy`, `cloud`, `instance`, `provider`. */
export const ServerLinkSchema = z
  .strictObject({
    label: Name.optional(),
    inventory: z.enum(INVENTORY_KINDS).optional(),
    name: Name.optional(),
    share: ShareSchema.optional(),
    energy: EnergySchema.optional(),
    cloud: CloudSchema.optional(),
    instance: InstanceSchema.optional(),
    server: HostServerSchema.optional(),
    ai: AiSchema.optional(),
    provider: ProviderSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const kinds = [v.inventory, v.energy, v.cloud, v.instance, v.server, v.ai, v.provider].filter(
      (x) => x !== undefined,
    ).length;
    if (kinds !== 1)
      ctx.addIssue({
        code: 'custom',
        message: "give exactly one of 'inventory', 'energy', 'cloud', 'instance', 'server', 'ai' or 'provider'",
        path: [],
      });
    if (v.inventory !== undefined && v.name === undefined)
      ctx.addIssue({ code: 'custom', message: "an inventory link needs 'name'", path: ['name'] });
    if (v.inventory === undefined && (v.name !== undefined || v.share !== undefined))
      ctx.addIssue({ code: 'custom', message: "'name' and 'share' belong to inventory links", path: [] });
  });
export type ServerLink = z.output<typeof ServerLinkSchema>;

export const FU_KINDS = ['unit', 'user-year', 'service-year'] as const;
export type FunctionalUnitKind = (typeof FU_KINDS)[number];

export const FunctionalUnitSchema = z
  .union([z.enum(FU_KINDS), z.strictObject({ kind: z.enum(FU_KINDS), label: Name.optional() })])
  .transform((v) => (typeof v === 'string' ? { kind: v } : v));
export type FunctionalUnit = z.output<typeof FunctionalUnitSchema>;

export const ServiceDefinitionSchema = z.strictObject({
  service: Name,
  version: z.union([Name, z.number()]).transform(String),
  kind: z.enum(SERVICE_KINDS),
  model: Name.optional(),
  profile: z.enum(['rcp', 'numecoeval']).optional(),
  description: z.string().optional(),
  functionalUnit: FunctionalUnitSchema,
  /** Yearly number of functional units of kind `unit` (ADEME presets: evaluations per year). */
  volume: NonNegative.optional(),
  /** ADEME preset parameters: English names or ADEME rule names (§5.1). */
  parameters: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  usage: UsageSchema.optional(),
  backOffice: BackOfficeSchema.optional(),
  servers: z.array(ServerLinkSchema).optional(),
});
export type ServiceDefinition = z.output<typeof ServiceDefinitionSchema>;
export type ServiceDefinitionInput = z.input<typeof ServiceDefinitionSchema>;

export const isAdemeKind = (k: ServiceKind): k is AdemeKind => ADEME_KINDS.some((a) => a === k);
