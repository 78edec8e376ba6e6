/**
 * Scenarios (issue 13): a named list of levers applied to a campaign's inventory, which the engine then assesses with
 * the same formulas (never a second set). This module holds the zod schema of a scenario file, its validation against
 * the vocabulary of the campaign (known types, statuses, datacenters) with coded errors, and a pure function applying
 * the levers to plain inventory rows. No I/O.
 *
 * ```yaml
 * name: Laptops kept one more year, half the desktops replaced by laptops
 * levers:
 *   - lifetime: { type: Laptop, addYears: 1 }
 *   - replace: { from: Desktop, to: Laptop, share: 0.5 }
 * ```
 */
import { z } from 'zod';
import { type SteeringIssue, SteeringError, fail, fromSchemaIssues } from './errors.js';

const share = z.number().min(0).max(1);
const name = z.string().min(1);

/** One schema per lever; a lever in the file is an object with exactly one of these keys. */
export const leverSchemas = {
  lifetime: z.strictObject({ type: name, addYears: z.number().finite().min(0) }),
  refurbished: z.strictObject({ type: name, share, upstreamYears: z.number().finite().positive().optional() }),
  replace: z.strictObject({ from: name, to: name, share }).superRefine((r, ctx) => {
    if (r.from === r.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `replace: from and to are the same type ${r.to}`,
        params: { code: 'STR_LEVER_SHAPE', allowed: [`a type other than ${r.from}`] },
      });
    }
  }),
  devicesPerAgent: z.strictObject({ type: name, value: z.number().finite().min(0) }),
  removeByStatus: z.strictObject({ status: name }),
  pue: z.strictObject({ datacenter: name.optional(), value: z.number().finite().min(1) }),
  /**
   * Either another electricity dataset for the whole campaign (`{dataset}`), or one country's mix factor set to a value
   * (`{country, value, criterion?}`, criterion unit per kWh, default CLIMATE_CHANGE): a green electricity contract.
   */
  electricity: z
    .strictObject({
      dataset: name.optional(),
      country: name.optional(),
      value: z.number().finite().min(0).optional(),
      criterion: name.optional(),
    })
    .superRefine((e, ctx) => {
      if ((e.dataset === undefined) === (e.country === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'give exactly one of dataset or country',
          params: { code: 'STR_LEVER_SHAPE', allowed: ['dataset', 'country'] },
        });
      } else if (e.country !== undefined && e.value === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `a country's mix needs its new value (criterion unit per kWh)`,
          params: { code: 'STR_LEVER_SHAPE', allowed: ['a factor per kWh ≥ 0'] },
        });
      } else if (e.dataset !== undefined && (e.value !== undefined || e.criterion !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [e.value !== undefined ? 'value' : 'criterion'],
          message: 'value and criterion go with country, not with dataset',
          params: { code: 'STR_LEVER_SHAPE', allowed: ['country'] },
        });
      }
    }),
  cloudRegion: z.strictObject({ from: name.optional(), to: name }),
} as const;

export type LeverName = keyof typeof leverSchemas;
export const LEVER_NAMES: readonly LeverName[] = [
  'lifetime',
  'refurbished',
  'replace',
  'devicesPerAgent',
  'removeByStatus',
  'pue',
  'electricity',
  'cloudRegion',
];

export const leverSchema = z.union([
  z.strictObject({ lifetime: leverSchemas.lifetime }),
  z.strictObject({ refurbished: leverSchemas.refurbished }),
  z.strictObject({ replace: leverSchemas.replace }),
  z.strictObject({ devicesPerAgent: leverSchemas.devicesPerAgent }),
  z.strictObject({ removeByStatus: leverSchemas.removeByStatus }),
  z.strictObject({ pue: leverSchemas.pue }),
  z.strictObject({ electricity: leverSchemas.electricity }),
  z.strictObject({ cloudRegion: leverSchemas.cloudRegion }),
]);
export type Lever = z.infer<typeof leverSchema>;

export const scenarioSchema = z.strictObject({
  name,
  description: z.string().optional(),
  levers: z.array(leverSchema).min(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** What the campaign knows, to check the names a scenario uses. Absent lists are not checked. */
export interface ScenarioVocabulary {
  /** Item types (the referential's and the inventory's). */
  readonly types: readonly string[];
  readonly statuses?: readonly string[];
  readonly datacenters?: readonly string[];
  /**
   * The type a name stands for (the referential's synonyms: `Ordinateur portable` → `Laptop`), undefined when the
   * name is no type. A lever may name a type by any of its synonyms.
   */
  readonly canonicalType?: (name: string) => string | undefined;
  /** Whether a country (any spelling the referential knows) has an electricity factor. */
  readonly isKnownCountry?: (name: string) => boolean;
}

const envelopeSchema = z.strictObject({
  name,
  description: z.string().optional(),
  levers: z.array(z.unknown()).min(1),
});

function codeFor(path: readonly PropertyKey[]): { code: SteeringIssue['code']; allowed?: readonly string[] } {
  const last = path[path.length - 1];
  const lever = path[2];
  if (last === 'share') return { code: 'STR_SHARE_RANGE', allowed: ['0 ≤ share ≤ 1'] };
  if (last === 'addYears') return { code: 'STR_LIFETIME_NEGATIVE', allowed: ['a number of years ≥ 0'] };
  if (last === 'upstreamYears') return { code: 'STR_LIFETIME_NEGATIVE', allowed: ['a number of years > 0'] };
  if (lever === 'pue' && last === 'value') return { code: 'STR_PUE_RANGE', allowed: ['a PUE ≥ 1'] };
  if (lever === 'devicesPerAgent' && last === 'value') {
    return { code: 'STR_SCENARIO_FIELD', allowed: ['a number of devices per agent ≥ 0'] };
  }
  if (typeof lever === 'string' && path.length === 3) {
    const schema = LEVER_NAMES.find((n) => n === lever);
    if (schema !== undefined) return { code: 'STR_LEVER_SHAPE', allowed: Object.keys(leverSchemas[schema].shape) };
  }
  if (path.length === 1 && last === 'levers') return { code: 'STR_SCENARIO_FIELD', allowed: ['at least one lever'] };
  return { code: 'STR_SCENARIO_FIELD' };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks the names a valid scenario uses against the campaign's vocabulary. */
function vocabularyIssues(scenario: Scenario, vocabulary: ScenarioVocabulary): SteeringIssue[] {
  const issues: SteeringIssue[] = [];
  const types = new Set(vocabulary.types);
  const checkType = (path: string, t: string): void => {
    if (!types.has(t) && vocabulary.canonicalType?.(t) === undefined) {
      issues.push({ code: 'STR_UNKNOWN_TYPE', path, message: `unknown type ${t}`, allowed: vocabulary.types });
    }
  };
  scenario.levers.forEach((lever, i) => {
    const at = (lever: string, field: string): string => `levers.${i}.${lever}.${field}`;
    if ('lifetime' in lever) checkType(at('lifetime', 'type'), lever.lifetime.type);
    if ('refurbished' in lever) checkType(at('refurbished', 'type'), lever.refurbished.type);
    if ('replace' in lever) {
      checkType(at('replace', 'from'), lever.replace.from);
      checkType(at('replace', 'to'), lever.replace.to);
    }
    if ('devicesPerAgent' in lever) checkType(at('devicesPerAgent', 'type'), lever.devicesPerAgent.type);
    if ('removeByStatus' in lever && vocabulary.statuses !== undefined) {
      if (!vocabulary.statuses.includes(lever.removeByStatus.status)) {
        issues.push({
          code: 'STR_UNKNOWN_STATUS',
          path: at('removeByStatus', 'status'),
          message: `unknown status ${lever.removeByStatus.status}`,
          allowed: vocabulary.statuses,
        });
      }
    }
    const country = 'electricity' in lever ? lever.electricity.country : undefined;
    if (country !== undefined && vocabulary.isKnownCountry !== undefined && !vocabulary.isKnownCountry(country)) {
      issues.push({
        code: 'STR_UNKNOWN_COUNTRY',
        path: at('electricity', 'country'),
        message: `no electricity factor for ${country}`,
        allowed: ['a country of the referential (name or ISO code)'],
      });
    }
    if ('pue' in lever && lever.pue.datacenter !== undefined && vocabulary.datacenters !== undefined) {
      if (!vocabulary.datacenters.includes(lever.pue.datacenter)) {
        issues.push({
          code: 'STR_UNKNOWN_DATACENTER',
          path: at('pue', 'datacenter'),
          message: `unknown datacenter ${lever.pue.datacenter}`,
          allowed: vocabulary.datacenters,
        });
      }
    }
  });
  return issues;
}

/**
 * Parses a scenario (the object read from its YAML file or sent to the API) and checks it against the campaign's
 * vocabulary. Every problem is collected; the first is thrown as a SteeringError (code, field path, allowed values)
 * with all of them attached. Nothing is returned from a half-valid scenario.
 */
export function parseScenario(input: unknown, vocabulary: ScenarioVocabulary): Scenario {
  const issues: SteeringIssue[] = [];
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) issues.push(...fromSchemaIssues(envelope.error.issues, codeFor));
  const levers = isRecord(input) && Array.isArray(input['levers']) ? input['levers'] : [];
  levers.forEach((raw: unknown, i: number) => {
    const keys = isRecord(raw) ? Object.keys(raw) : [];
    const key = keys.length === 1 ? LEVER_NAMES.find((n) => n === keys[0]) : undefined;
    if (!isRecord(raw) || key === undefined) {
      issues.push({
        code: 'STR_UNKNOWN_LEVER',
        path: `levers.${i}`,
        message:
          keys.length === 1
            ? `unknown lever ${keys[0]}`
            : `a lever is an object with exactly one key; found ${keys.length === 0 ? 'none' : keys.join(', ')}`,
        allowed: LEVER_NAMES,
      });
      return;
    }
    const parsed = leverSchemas[key].safeParse(raw[key]);
    if (!parsed.success) {
      const prefixed = parsed.error.issues.map((x) => ({ ...x, path: ['levers', i, key, ...x.path] }));
      issues.push(...fromSchemaIssues(prefixed, codeFor));
    }
  });
  if (issues.length > 0) fail(issues);
  const scenario = scenarioSchema.safeParse(input);
  if (!scenario.success) fail(fromSchemaIssues(scenario.error.issues, codeFor));
  const unknown = vocabularyIssues(scenario.data, vocabulary);
  if (unknown.length > 0) fail(unknown);
  return scenario.data;
}

/** The fields of a physical-equipment row the levers read or write (names as in the inventory model). */
export interface EquipmentRow {
  readonly name: string;
  readonly type: string;
  readonly quantity: number;
  readonly status?: string | undefined;
  readonly country?: string | undefined;
  readonly datacenter?: string | undefined;
  readonly model?: string | undefined;
  readonly annualKWh?: number | undefined;
  readonly purchaseDate?: string | undefined;
  readonly retirementDate?: string | undefined;
  /** dureeUsageInterne, years. */
  readonly internalLifeYears?: number | undefined;
  /** dureeUsageAmont, years. */
  readonly upstreamLifeYears?: number | undefined;
  /** tauxAchatReconditionne, 0–1. */
  readonly refurbishedRate?: number | undefined;
}

export interface CloudRow {
  readonly name: string;
  /** Cloud region (`location`). */
  readonly location?: string | undefined;
}

export interface DatacenterRow {
  readonly name: string;
  readonly pue?: number | undefined;
}

export interface ElectricityChoice {
  readonly dataset?: string | undefined;
  /** One country's mix set to `value` (criterion unit per kWh) for `criterion`. */
  readonly countries?: readonly { readonly country: string; readonly value: number; readonly criterion: string }[];
}

export interface ScenarioInventory<R extends EquipmentRow, C extends CloudRow, D extends DatacenterRow> {
  readonly equipment: readonly R[];
  readonly cloud: readonly C[];
  readonly datacenters: readonly D[];
  /** Electricity override for the whole campaign (a dataset, or a country's mix), set by the `electricity` lever. */
  readonly electricity?: ElectricityChoice | undefined;
  /** Rows a lever could not change, with the reason (e.g. a lifetime set by dates inside the period). */
  readonly notes?: readonly { readonly lever: string; readonly row: string; readonly reason: string }[];
}

export interface ApplyOptions<R extends EquipmentRow> {
  /** Number of agents (Σ nbCollaborateurs), needed by `devicesPerAgent`. */
  readonly agents?: number;
  /**
   * The lifetime the engine retains for a row without `internalLifeYears` (dates or type default, F2), needed by the
   * `lifetime` lever for such rows.
   */
  readonly currentLifetime?: (row: R) => number | undefined;
  /**
   * The key under which two type names are the same type (the referential's synonyms); default the name itself.
   * Rows and levers are compared by it.
   */
  readonly typeKey?: (type: string) => string;
  /**
   * Whether the engine retains `internalLifeYears` for this row while it keeps its purchase date: under `FIXE`
   * always, under `REEL` in profile rcp for a row in service (L = max(age, expected), and the extended lifetime is
   * at least the age). Default never.
   */
  readonly internalLifetimeWithDates?: (row: R) => boolean;
  /**
   * First day of the assessed period when the period share applies (§2.2, profile rcp); absent = every row counts
   * the whole year. A purchase date on or before it gives the same share as no purchase date.
   */
  readonly periodStart?: string;
  /**
   * A copy of a row with some fields changed (a field given as undefined is cleared); default `{ ...row, ...changes }`.
   * Every row a lever changes is made by it, so that a caller can give its rows one layout (the engine reads rows of
   * few hidden classes faster).
   */
  readonly copy?: (row: R, changes: Partial<R>) => R;
}

/**
 * Applies the levers in order to a copy of the inventory; the input is never modified. Validates what depends on the
 * data (a lifetime to extend, agents for devicesPerAgent, an upstream duration for refurbished) and throws a
 * SteeringError before returning anything.
 *
 * - lifetime {type, addYears}: internalLifeYears += addYears; a row without it gets currentLifetime(row) + addYears.
 *   The row keeps its share of the period (§2.2): its purchase date stays when the engine then retains the extended
 *   lifetime (`internalLifetimeWithDates`), else it is cleared only when that leaves the share unchanged (bought on or
 *   before `periodStart`); a row whose lifetime is set by dates inside the period is left as it is, listed in `notes`.
 *   The retirement date is kept: a retired item stays retired.
 * - refurbished {type, share, upstreamYears?}: refurbishedRate = share; upstreamLifeYears = upstreamYears when given
 *   (F3: L += upstream × rate).
 * - replace {from, to, share}: each row of type `from` keeps (1 − share) of its quantity; a new row of type `to` takes
 *   share × quantity, named "<name> → <to>", with the organisational fields kept and the equipment-specific ones
 *   (model, consumption, lifetime, dates, refurbished data) cleared so the engine uses the new type's defaults.
 * - devicesPerAgent {type, value}: rows of the type scaled so that their quantity totals value × agents.
 * - removeByStatus {status}: rows with that status removed.
 * - pue {datacenter?, value}: that datacenter's PUE (all when absent).
 * - electricity {dataset} | {country, value, criterion?}: the campaign's electricity dataset, or one country's mix.
 * Types are compared by `typeKey` (a lever may name a type by a synonym).
 * - cloudRegion {from?, to}: cloud rows in region `from` (all when absent) moved to `to`.
 */
export function applyScenario<R extends EquipmentRow, C extends CloudRow, D extends DatacenterRow>(
  inventory: ScenarioInventory<R, C, D>,
  scenario: Scenario,
  options: ApplyOptions<R> = {},
): ScenarioInventory<R, C, D> {
  let equipment: R[] = [...inventory.equipment];
  let cloud: C[] = [...inventory.cloud];
  let datacenters: D[] = [...inventory.datacenters];
  let electricity = inventory.electricity;
  const issues: SteeringIssue[] = [];
  const notes: { lever: string; row: string; reason: string }[] = [...(inventory.notes ?? [])];
  // Rows repeat a few type names: each is resolved once per call (the caller's typeKey may walk synonyms).
  const keyOf = options.typeKey ?? ((t: string) => t);
  const copy = options.copy ?? ((row: R, changes: Partial<R>): R => ({ ...row, ...changes }));
  const typeKeys = new Map<string, string>();
  const typeKey = (t: string): string => {
    let k = typeKeys.get(t);
    if (k === undefined) typeKeys.set(t, (k = keyOf(t)));
    return k;
  };
  /** `rows.flatMap(f)` without an array per row: `f` pushes the row's replacement(s) to `out`. */
  const eachRow = (rows: readonly R[], f: (row: R, out: R[]) => void): R[] => {
    const out: R[] = [];
    for (const row of rows) f(row, out);
    return out;
  };
  scenario.levers.forEach((lever, i) => {
    if ('lifetime' in lever) {
      const { addYears } = lever.lifetime;
      const type = typeKey(lever.lifetime.type);
      equipment = eachRow(equipment, (row, out) => {
        if (typeKey(row.type) !== type) return void out.push(row);
        if (row.internalLifeYears !== undefined && row.purchaseDate === undefined) {
          return void out.push(copy(row, { internalLifeYears: row.internalLifeYears + addYears } as Partial<R>));
        }
        const current = options.currentLifetime?.(row) ?? row.internalLifeYears;
        if (current === undefined) {
          issues.push({
            code: 'STR_LIFETIME_UNKNOWN',
            path: `levers.${i}.lifetime.type`,
            message: `row ${row.name} of type ${row.type} has no lifetime to extend (no dureeUsageInterne, none given by the engine)`,
          });
          return void out.push(row);
        }
        const extended = current + addYears;
        // The period share s (§2.2) comes from the dates: the lever keeps them whenever the engine then retains the
        // extended lifetime, so an item bought during the period keeps its share.
        if (row.purchaseDate === undefined || options.internalLifetimeWithDates?.(row) === true) {
          return void out.push(copy(row, { internalLifeYears: extended } as Partial<R>));
        }
        // Otherwise the lifetime comes from the dates: without a purchase date the engine retains the extended one,
        // and the share is unchanged when the purchase is on or before the period start (absent = period start). The
        // retirement date stays: extending a lifetime never brings a retired item back.
        if (options.periodStart === undefined || row.purchaseDate <= options.periodStart) {
          return void out.push(copy(row, { internalLifeYears: extended, purchaseDate: undefined } as Partial<R>));
        }
        notes.push({
          lever: `levers.${i}.lifetime`,
          row: row.name,
          reason: `its lifetime is set by its dates (${row.purchaseDate} to ${row.retirementDate ?? '…'}) inside the period; changing it would change its share of the period`,
        });
        out.push(row);
      });
    } else if ('refurbished' in lever) {
      const { share: rate, upstreamYears } = lever.refurbished;
      const type = typeKey(lever.refurbished.type);
      equipment = equipment.map((row) => {
        if (typeKey(row.type) !== type) return row;
        const upstream = upstreamYears ?? row.upstreamLifeYears;
        if (upstream === undefined || upstream <= 0) {
          issues.push({
            code: 'STR_LIFETIME_UNKNOWN',
            path: `levers.${i}.refurbished.upstreamYears`,
            message: `row ${row.name} of type ${row.type} has no dureeUsageAmont: give upstreamYears`,
            allowed: ['a number of years > 0'],
          });
          return row;
        }
        return copy(row, { refurbishedRate: rate, upstreamLifeYears: upstream } as Partial<R>);
      });
    } else if ('replace' in lever) {
      const { to, share: part } = lever.replace;
      const from = typeKey(lever.replace.from);
      equipment = eachRow(equipment, (row, out) => {
        if (typeKey(row.type) !== from || part === 0) return void out.push(row);
        const moved: R = copy(row, {
          name: `${row.name} → ${to}`,
          type: to,
          quantity: row.quantity * part,
          model: undefined,
          annualKWh: undefined,
          internalLifeYears: undefined,
          upstreamLifeYears: undefined,
          refurbishedRate: undefined,
          purchaseDate: undefined,
          retirementDate: undefined,
        } as Partial<R>);
        if (part !== 1) out.push(copy(row, { quantity: row.quantity * (1 - part) } as Partial<R>));
        out.push(moved);
      });
    } else if ('devicesPerAgent' in lever) {
      const { value } = lever.devicesPerAgent;
      const type = typeKey(lever.devicesPerAgent.type);
      const agents = options.agents;
      const total = equipment.filter((r) => typeKey(r.type) === type).reduce((s, r) => s + r.quantity, 0);
      if (agents === undefined || !(agents > 0)) {
        issues.push({
          code: 'STR_AGENTS_UNKNOWN',
          path: `levers.${i}.devicesPerAgent`,
          message: 'devicesPerAgent needs the number of agents (nbCollaborateurs) of the campaign',
          allowed: ['a number of agents > 0'],
        });
      } else if (total === 0) {
        issues.push({
          code: 'STR_DEVICES_PER_AGENT_NO_ROWS',
          path: `levers.${i}.devicesPerAgent.type`,
          message: `no equipment of type ${lever.devicesPerAgent.type} to scale`,
        });
      } else {
        const factor = (value * agents) / total;
        equipment = equipment.map((r) =>
          typeKey(r.type) === type ? copy(r, { quantity: r.quantity * factor } as Partial<R>) : r,
        );
      }
    } else if ('removeByStatus' in lever) {
      const { status } = lever.removeByStatus;
      equipment = equipment.filter((r) => r.status !== status);
    } else if ('pue' in lever) {
      const { datacenter, value } = lever.pue;
      datacenters = datacenters.map((d) =>
        datacenter === undefined || d.name === datacenter ? { ...d, pue: value } : d,
      );
    } else if ('electricity' in lever) {
      const { dataset, country, value, criterion } = lever.electricity;
      if (dataset !== undefined) electricity = { ...electricity, dataset };
      else if (country !== undefined && value !== undefined) {
        const countries = [
          ...(electricity?.countries ?? []),
          { country, value, criterion: criterion ?? 'CLIMATE_CHANGE' },
        ];
        electricity = { ...electricity, countries };
      }
    } else if ('cloudRegion' in lever) {
      const { from, to } = lever.cloudRegion;
      cloud = cloud.map((c) => (from === undefined || c.location === from ? { ...c, location: to } : c));
    }
  });
  const first = issues[0];
  if (first !== undefined) throw new SteeringError(first, issues);
  return { equipment, cloud, datacenters, electricity, notes };
}
