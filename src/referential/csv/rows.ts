/**
 * Row mapping for referential CSVs: one function per file kind turns a table row into internal-model rows
 * (methodology §3.4), reporting row-level problems (`REF_*`, severity R: the row is skipped) and warnings.
 */
import { foldKey, parseCriterion, parseStep } from '../codes.js';
import { normaliseLocation } from '../countries.js';
import { hypothesisProblem } from '../hypotheses.js';
import { isLifetimeInRange, isNegativeFactor } from '../validate.js';
import type { ItemUnit, Provenance, ReferentialLayer, Tier } from '../model.js';
import { issue, type Issue, type IssueCode, type IssueDetailsOf, type Location } from '../../issues/catalogue.js';
import type { TableRow } from '../../formats/table.js';
import { cellText, parseBooleanCell, parseNumberCell } from './cells.js';
import type { HeaderMatch, KindName } from './kinds.js';

/** Mutable arrays of a layer being filled. */
export type LayerDraft = { -readonly [K in keyof ReferentialLayer]: ReferentialLayer[K] } & {
  criteria: ReferentialLayer['criteria'][number][];
};

export interface FileContext {
  readonly file: string;
  readonly header: readonly string[];
  readonly delimiter: string | undefined;
  readonly match: HeaderMatch;
  readonly layerName: string;
  /** Criteria declared by criteria files of the same folder: `foldKey(name or code)` → code. */
  readonly declaredCriteria: ReadonlyMap<string, string>;
}

/** Reads the cells of one row by logical field, collecting issues; `failed` once a row-level error was reported. */
export class RowReader {
  failed = false;
  constructor(
    private readonly ctx: FileContext,
    private readonly row: TableRow,
    private readonly issues: Issue[],
  ) {}

  get line(): number {
    return this.row.line;
  }

  at(field?: string): Location {
    const idx = field === undefined ? undefined : this.ctx.match.columns.get(field);
    return { file: this.ctx.file, line: this.row.line, column: idx === undefined ? undefined : this.ctx.header[idx] };
  }

  columnName(field: string): string {
    const idx = this.ctx.match.columns.get(field);
    return idx === undefined ? field : (this.ctx.header[idx] ?? field);
  }

  report<C extends IssueCode>(code: C, details: IssueDetailsOf<C>, field?: string): void {
    const i = issue(code, { line: this.row.line, ...details }, this.at(field));
    if (i.severity === 'R' || i.severity === 'F') this.failed = true;
    this.issues.push(i);
  }

  text(field: string): string | undefined {
    const idx = this.ctx.match.columns.get(field);
    return idx === undefined ? undefined : cellText(this.row.cells[idx]);
  }

  required(field: string): string | undefined {
    const t = this.text(field);
    if (t === undefined) this.report('REF_REQUIRED', { field: this.columnName(field) }, field);
    return t;
  }

  number(field: string, mandatory = false): number | undefined {
    const t = mandatory ? this.required(field) : this.text(field);
    if (t === undefined) return undefined;
    const n = parseNumberCell(t, this.ctx.delimiter);
    if (Number.isNaN(n)) {
      this.report('REF_BAD_NUMBER', { field: this.columnName(field), value: t }, field);
      return undefined;
    }
    if (!Number.isFinite(n)) {
      this.report('REF_NOT_FINITE', { field: this.columnName(field), value: t }, field);
      return undefined;
    }
    return n;
  }

  parseNumber(text: string): number {
    return parseNumberCell(text, this.ctx.delimiter);
  }

  bool(field: string): boolean | undefined {
    const t = this.text(field);
    if (t === undefined) return undefined;
    const b = parseBooleanCell(t);
    if (b === undefined) this.report('REF_BAD_BOOLEAN', { field: this.columnName(field), value: t }, field);
    return b;
  }

  criterion(field: string): string | undefined {
    const t = this.required(field);
    if (t === undefined) return undefined;
    const code = parseCriterion(t)?.code ?? this.ctx.declaredCriteria.get(foldKey(t));
    if (code === undefined) this.report('REF_UNKNOWN_CRITERION', { value: t }, field);
    return code;
  }

  prov(extra: Partial<Provenance> = {}): Provenance {
    const source = this.text('source');
    const owner = this.text('owner');
    const licence = licenceOf(source);
    const vintage = vintageOf(source);
    return {
      source: source ?? this.ctx.file,
      layer: this.ctx.layerName,
      file: this.ctx.file,
      line: this.row.line,
      ...(licence ? { licence } : {}),
      ...(vintage ? { vintage } : {}),
      ...(owner ? { owner } : {}),
      ...extra,
    };
  }
}

/** Licence inferred from a source cell for data whose terms are known to restrict reuse (§8). */
function licenceOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  if (/negaoctet/i.test(source)) return 'commercial';
  if (/base\s*impacts/i.test(source)) return 'ADEME terms';
  return undefined;
}

function vintageOf(source: string | undefined): string | undefined {
  const m = source && /base\s*impacts\W*(?:version\s*)?(\d+(?:\.\d+)*)/i.exec(source);
  return m ? `Base IMPACTS ${m[1]}` : undefined;
}

/** Functional unit of a reference item (§3.4). Undefined = unknown unit. */
export function parseItemUnit(s: string): ItemUnit | undefined {
  switch (foldKey(s)) {
    case 'item':
    case 'items':
    case 'unit':
    case 'unite':
    case 'equipement':
      return 'Item';
    case 'line':
    case 'ligne':
    case 'line year':
      return 'Line';
    case 'gb':
    case 'go':
      return 'GB';
    case 'h':
    case 'hour':
    case 'heure':
      return 'h';
    case 'kwh':
      return 'kWh';
    default:
      return undefined;
  }
}

/** Tier text (`End-user/Terminals`, `Network`, `Datacenter`, canonical codes) → tier (§1.5). */
export function parseTier(s: string): Tier | undefined {
  const k = foldKey(s);
  if (/terminal|end user|utilisateur/.test(k)) return 'TERMINAL';
  if (/network|reseau/.test(k)) return 'NETWORK';
  if (/data ?cent(er|re)|datacenter/.test(k)) return 'DATACENTER';
  return undefined;
}

/** Electricity-mix rows (§3.4): category `electricity-mix`, or level `0-…` with a name starting `Electricity Mix`. */
function isElectricityRow(item: string, level: string | undefined, category: string | undefined): boolean {
  if (category !== undefined && foldKey(category) === 'electricity mix') return true;
  return level !== undefined && level.startsWith('0-') && /^electricity mix/i.test(item);
}

function addElectricity(
  r: RowReader,
  draft: LayerDraft,
  location: string | undefined,
  aliases: (string | undefined)[],
  criterion: string,
  value: number,
  locationField: string,
): void {
  const candidates = [location, ...aliases].filter((x): x is string => x !== undefined);
  if (candidates.length === 0) {
    r.report('REF_REQUIRED', { field: r.columnName(locationField) }, locationField);
    return;
  }
  let hit: { key: string; label: string } | undefined;
  for (const c of candidates) {
    hit = normaliseLocation(c);
    if (hit) break;
  }
  const label = candidates[0]!;
  if (!hit) r.report('REF_UNKNOWN_LOCATION', { value: label }, locationField);
  if (r.failed) return;
  draft.electricity.push({
    location: hit?.key ?? foldKey(label),
    locationLabel: label,
    criterion,
    valuePerKWh: value,
    dataset: 'referential',
    prov: r.prov(),
  });
}

/** A negative factor refuses the row (§3.5); `field` is the logical field of the value. */
function negativeCheck(r: RowReader, value: number, criterion: string, field = 'value'): void {
  if (isNegativeFactor(value)) r.report('REF_NEGATIVE_VALUE', { value, criterion }, field);
}

/** G4IT network `type` cell (`Fixed`, `Mobile`; French accepted) → kind. */
const NETWORK_KINDS: Readonly<Record<string, 'FIXED' | 'MOBILE'>> = {
  fixed: 'FIXED',
  fixe: 'FIXED',
  mobile: 'MOBILE',
};

/** G4IT server host `type` cell (`Compute`, `Storage`; French accepted) → kind. */
const HOST_KINDS: Readonly<Record<string, 'COMPUTE' | 'STORAGE'>> = {
  compute: 'COMPUTE',
  calcul: 'COMPUTE',
  storage: 'STORAGE',
  stockage: 'STORAGE',
};

type RowMapper = (r: RowReader, draft: LayerDraft, ctx: FileContext) => void;

const mapFactor: RowMapper = (r, draft, ctx) => {
  const kind = ctx.match.def.kind;
  const item = r.required('item');
  const criterion = r.criterion('criterion');
  const value = r.number('value', true);
  const level = r.text('level');
  const category = r.text('category');
  if (item === undefined || criterion === undefined || value === undefined) return;
  if (kind === 'factors' && isElectricityRow(item, level, category)) {
    // The step cell of mix rows is ignored (§3.4, §9 #23).
    const suffix = /^electricity mix\s+(.+)$/i.exec(item)?.[1];
    negativeCheck(r, value, criterion);
    addElectricity(r, draft, r.text('location'), [suffix], criterion, value, 'location');
    return;
  }
  const stepText = r.required('step');
  if (stepText === undefined) return;
  const step = parseStep(stepText);
  if (step === undefined) {
    r.report('REF_UNKNOWN_STEP', { value: stepText }, 'step');
    return;
  }
  const kwh = r.number('kwh');
  let unit: ItemUnit | undefined;
  if (kind === 'legacyNetworkImpact') {
    unit = 'GB'; // NumEcoEval 1.x network impacts are per GB of data exchanged; `unite` is the criterion unit there.
  } else {
    const unitText = r.text('unit');
    unit = unitText === undefined ? undefined : parseItemUnit(unitText);
    if (unitText !== undefined && unit === undefined) {
      r.report('REF_UNKNOWN_ITEM_UNIT', { unit: unitText, item }, 'unit');
      unit = 'Item';
    }
  }
  if (r.failed) return;
  negativeCheck(r, value, criterion);
  if (kwh !== undefined) negativeCheck(r, kwh, r.columnName('kwh'), 'kwh');
  if (r.failed) return;
  const tierText = r.text('tier');
  const tier = kind === 'legacyNetworkImpact' ? 'NETWORK' : tierText ? parseTier(tierText) : undefined;
  const description = r.text('description');
  const location = r.text('location');
  const categoryOrType = category ?? r.text('type');
  draft.factorRows.push({
    item,
    step,
    criterion,
    value,
    ...(description !== undefined ? { description } : {}),
    ...(tier !== undefined ? { tier } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(categoryOrType !== undefined ? { category: categoryOrType } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(kwh !== undefined ? { avgKWhPerYear: kwh } : {}),
    ...(location !== undefined ? { location } : {}),
    prov: r.prov(),
  });
};

const MAPPERS: Partial<Record<KindName, RowMapper>> = {
  criteria: (r, draft) => {
    const name = r.required('code');
    if (name === undefined || r.failed) return;
    const def = parseCriterion(name);
    const label = r.text('label') ?? def?.label ?? name;
    const unit = r.text('unit') ?? def?.unit ?? '';
    const description = r.text('description');
    draft.criteria.push({
      code: def?.code ?? name,
      label,
      unit,
      ...(description !== undefined ? { description } : {}),
      prov: r.prov(),
    });
  },
  steps: (r, draft) => {
    const code = r.required('code');
    if (code === undefined) return;
    const step = parseStep(code);
    if (step === undefined) {
      r.report('REF_UNKNOWN_STEP', { value: code }, 'code');
      return;
    }
    draft.steps.push({ code: step, label: r.text('label') ?? code, prov: r.prov() });
  },
  hypotheses: (r, draft) => {
    const code = r.required('code');
    const text = r.required('value');
    if (code === undefined || text === undefined) return;
    // Hypotheses may be text (NumEcoEval `valeur` is a string); numbers are stored as numbers.
    const n = r.parseNumber(text);
    if (!Number.isNaN(n) && !Number.isFinite(n)) {
      r.report('REF_NOT_FINITE', { field: r.columnName('value'), value: text }, 'value');
      return;
    }
    const value: number | string = Number.isNaN(n) ? text : n;
    const bad = hypothesisProblem(code, value);
    if (bad) {
      r.report('REF_HYPOTHESIS_INVALID', bad, 'value');
      return;
    }
    const description = r.text('description');
    draft.hypotheses.push({ code, value, ...(description !== undefined ? { description } : {}), prov: r.prov() });
  },
  itemTypes: (r, draft) => {
    const type = r.required('type');
    const isServer = r.bool('isServer');
    const lifespan = r.number('lifespan');
    if (type !== undefined && lifespan !== undefined && !isLifetimeInRange(lifespan))
      r.report('REF_LIFETIME_RANGE', { value: lifespan, type }, 'lifespan');
    if (type === undefined || r.failed) return;
    const category = r.text('category');
    const defaultRefItem = r.text('defaultItem');
    const comment = r.text('comment');
    draft.itemTypes.push({
      type,
      isServer: isServer ?? false,
      ...(category !== undefined ? { category } : {}),
      ...(lifespan !== undefined ? { defaultLifespanYears: lifespan } : {}),
      ...(defaultRefItem !== undefined ? { defaultRefItem } : {}),
      ...(comment !== undefined ? { comment } : {}),
      prov: r.prov(),
    });
  },
  // G4IT `ref_device_type` (digital services): a device type code (`reference`, which is also the reference item the
  // type stands for) and its lifespan; loaded as an item type so that a terminal line of that type finds its item
  // and its default lifespan (F2 type default).
  deviceType: (r, draft) => {
    const type = r.required('reference');
    const lifespan = r.number('lifespan');
    if (type !== undefined && lifespan !== undefined && !isLifetimeInRange(lifespan))
      r.report('REF_LIFETIME_RANGE', { value: lifespan, type }, 'lifespan');
    if (type === undefined || r.failed) return;
    const description = r.text('description');
    const external = r.text('external');
    draft.itemTypes.push({
      type,
      isServer: false,
      tier: 'TERMINAL',
      ...(description !== undefined ? { category: description } : {}),
      ...(lifespan !== undefined ? { defaultLifespanYears: lifespan } : {}),
      defaultRefItem: type,
      ...(external !== undefined ? { comment: external } : {}),
      prov: r.prov(),
    });
  },
  // G4IT `ref_network_type` (F11): the type's code (`reference`, also its reference item), Fixed or Mobile, and the
  // yearly GB of one line (mandatory for a fixed type, whose capacity model divides by it).
  networkType: (r, draft) => {
    const code = r.required('reference');
    const kindText = r.required('type');
    const kind = kindText === undefined ? undefined : NETWORK_KINDS[foldKey(kindText)];
    if (kindText !== undefined && kind === undefined)
      r.report('REF_BAD_VALUE', { field: r.columnName('type'), accepted: 'Fixed, Mobile', value: kindText }, 'type');
    const annual = r.number('annualGB');
    if (annual !== undefined && !(annual > 0))
      r.report(
        'REF_BAD_VALUE',
        { field: r.columnName('annualGB'), accepted: '> 0', value: String(annual) },
        'annualGB',
      );
    else if (kind === 'FIXED' && annual === undefined && !r.failed)
      r.report('REF_REQUIRED', { field: r.columnName('annualGB') }, 'annualGB');
    if (code === undefined || kind === undefined || r.failed) return;
    const description = r.text('description');
    const external = r.text('external');
    const country = r.text('country');
    (draft.networkTypes ??= []).push({
      code,
      kind,
      ...(description !== undefined ? { description } : {}),
      ...(external !== undefined ? { referenceDescription: external } : {}),
      ...(annual !== undefined ? { annualGBPerLine: annual } : {}),
      ...(country !== undefined ? { country } : {}),
      prov: r.prov(),
    });
  },
  // G4IT `ref_server_host`: a host (`description`, the key) on a reference item, Compute or Storage, with its vCPU or
  // total disk (GB) and lifespan when it is one of the S/M/L archetypes.
  serverHost: (r, draft) => {
    const description = r.required('description');
    const reference = r.required('reference');
    const kindText = r.required('type');
    const kind = kindText === undefined ? undefined : HOST_KINDS[foldKey(kindText)];
    if (kindText !== undefined && kind === undefined)
      r.report('REF_BAD_VALUE', { field: r.columnName('type'), accepted: 'Compute, Storage', value: kindText }, 'type');
    const positive = (field: string): number | undefined => {
      const n = r.number(field);
      if (n !== undefined && !(n > 0))
        r.report('REF_BAD_VALUE', { field: r.columnName(field), accepted: '> 0', value: String(n) }, field);
      return n;
    };
    const vcpu = positive('vcpu');
    const disk = positive('disk');
    const lifespan = r.number('lifespan');
    if (lifespan !== undefined && !isLifetimeInRange(lifespan))
      r.report('REF_LIFETIME_RANGE', { value: lifespan, type: description ?? reference ?? '' }, 'lifespan');
    if (description === undefined || reference === undefined || kind === undefined || r.failed) return;
    const external = r.text('external');
    (draft.serverHosts ??= []).push({
      description,
      reference,
      kind,
      ...(external !== undefined ? { referenceDescription: external } : {}),
      ...(vcpu !== undefined ? { vcpu } : {}),
      ...(disk !== undefined ? { totalDiskGB: disk } : {}),
      ...(lifespan !== undefined ? { lifespanYears: lifespan } : {}),
      prov: r.prov(),
    });
  },
  factors: mapFactor,
  legacyItemImpact: mapFactor,
  legacyNetworkImpact: mapFactor,
  legacyElectricity: (r, draft) => {
    const location = r.required('location');
    const criterion = r.criterion('criterion');
    const value = r.number('value', true);
    if (location === undefined || criterion === undefined || value === undefined || r.failed) return;
    negativeCheck(r, value, criterion);
    addElectricity(r, draft, location, [r.text('alias')], criterion, value, 'location');
  },
  matchings: (r, draft) => {
    const modelSource = r.required('model');
    const refItemTarget = r.required('target');
    if (modelSource === undefined || refItemTarget === undefined) return;
    const owner = r.text('owner');
    draft.matchings.push({ modelSource, refItemTarget, ...(owner ? { owner } : {}), prov: r.prov() });
  },
  messaging: (r, draft) => {
    const criterion = r.criterion('criterion');
    const A = r.number('A', true);
    const b = r.number('b', true);
    if (criterion === undefined || A === undefined || b === undefined || r.failed) return;
    negativeCheck(r, A, criterion, 'A');
    negativeCheck(r, b, criterion, 'b');
    if (r.failed) return;
    draft.messaging.push({ criterion, A, b, prov: r.prov() });
  },
  normalisation: (r, draft) => {
    const criterion = r.criterion('criterion');
    const value = r.number('value', true);
    if (criterion === undefined || value === undefined || r.failed) return;
    draft.normalisation.push({ criterion, perPersonPerYear: value, prov: r.prov() });
  },
};

export function mapperFor(kind: KindName): RowMapper | undefined {
  return MAPPERS[kind];
}
