/**
 * Row parsing (methodology §2.3–2.9, §2.12): cells keyed by canonical column → a typed item of `model.ts`, or the
 * issues that reject the line; warnings are kept either way. Cross-file checks (references, duplicates, entities) are
 * the pipeline's job.
 *
 * Lenient mode (default) treats an invalid optional value as absent with a warning for the codes the catalogue marks
 * R/W (`INP_NOT_NUMBER`, `INP_NOT_INTEGER`, `INP_BAD_ENUM`, `INP_PUE_RANGE`, `INP_VCPU_MISSING`,
 * `INP_STORAGE_MISSING`); range, date and length errors always reject the line. Strict mode rejects on all of them,
 * as the G4IT loader does.
 */
import { issue, type Issue, type IssueCode, type IssueDetails, type IssueDetailsOf } from '../issues/catalogue.js';
import {
  END_OF_LIFE_ALLOWED,
  INFRASTRUCTURE_ALLOWED,
  QUALITY_ALLOWED,
  USAGE_MODE_ALLOWED,
  VM_TYPE_ALLOWED,
  isAbsent,
  parseBoolean,
  parseEndOfLife,
  parseInfrastructure,
  parseMonthYear,
  parseNumber,
  plainNumber,
  parseQuality,
  parseTrimmedDate,
  parseUsageMode,
  parseVmType,
  type NumberContext,
} from './cells.js';
import { KIND_SPECS, columnSpec, type ColumnSpec, type ValidationMode } from './columns.js';
import { isoDay, type InventoryItem, type InventoryKind } from './model.js';
import { MAX_PLAUSIBLE_PUE, familyOf, maxAnnualKWh, type FamilyLimits } from './plausibility.js';
import { stripFormulaGuard } from '../formats/csv-write.js';

export const MAX_STRING_LENGTH = 255; // G4IT messages.properties (§2.1)

const DAY_MS = 86_400_000;

export interface RowContext {
  readonly mode: ValidationMode;
  /** File name put in issues. */
  readonly file?: string;
  /** Calculation/reference date `yyyy-MM-dd`: dates after it are flagged (warnings). Absent = no check. */
  readonly referenceDate?: string;
  /** Start of the assessed period `yyyy-MM-dd` (default: 1 January of the reference date's year). */
  readonly periodStart?: string;
  /** `numecoeval` warns on fractional physical-equipment quantities (§9 #25). */
  readonly profile?: 'rcp' | 'numecoeval';
  /** Number-reading state of the file (delimiter, decimal comma seen). */
  readonly numbers?: NumberContext;
  /** When given, item types not accepted are rejected (`INP_UNKNOWN_TYPE`). */
  readonly isKnownType?: (type: string) => boolean;
  /** The type names of the referential, listed in INP_UNKNOWN_TYPE messages. */
  readonly knownTypeNames?: string;
  /** When given, countries/locations not accepted are rejected (`INP_UNKNOWN_LOCATION`). */
  readonly isKnownLocation?: (location: string) => boolean;
}

export type RowResult =
  | { readonly ok: true; readonly item: InventoryItem; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly errors: readonly Issue[]; readonly warnings: readonly Issue[] };

/** Parses the cells of one line of a header-resolved file. */
export type RowParser = (cells: readonly (string | undefined)[], line: number) => RowResult;

/** Codes that a lenient run downgrades to warnings on optional fields (catalogue severity R/W). */
const DOWNGRADABLE = new Set<IssueCode>(['INP_NOT_NUMBER', 'INP_NOT_INTEGER', 'INP_BAD_ENUM', 'INP_PUE_RANGE']);

const NO_ISSUES: readonly Issue[] = Object.freeze([]);

interface Slot {
  readonly spec: ColumnSpec;
  readonly index: number;
  /** Name of the column as the user wrote it (for `Issue.column`). */
  readonly display: string;
}

/**
 * Compile a parser for a file whose header cell `i` designates canonical column `columns[i]` (undefined = ignored).
 * `display[i]` is the header text to name in issues (defaults to the canonical name).
 */
export function compileRowParser(
  kind: InventoryKind,
  columns: readonly (string | undefined)[],
  ctx: RowContext,
  display: readonly (string | undefined)[] = [],
): RowParser {
  const slots: Slot[] = [];
  const displayOf = new Map<string, string>();
  columns.forEach((canonical, index) => {
    if (canonical === undefined) return;
    const spec = columnSpec(kind, canonical);
    if (!spec || displayOf.has(spec.canonical)) return;
    const name = display[index] ?? spec.canonical;
    displayOf.set(spec.canonical, name);
    slots.push({ spec, index, display: name });
  });
  const required = KIND_SPECS[kind].columns.filter((c) => c.e);
  const numbers: NumberContext = ctx.numbers ?? {};
  const periodStart = ctx.periodStart ?? (ctx.referenceDate ? `${ctx.referenceDate.slice(0, 4)}-01-01` : undefined);
  const finish = FINISHERS[kind];

  const r = new RowReporter(ctx, displayOf);
  const referenceMs = ctx.referenceDate !== undefined ? Date.parse(ctx.referenceDate) : NaN;
  const env: FinishEnv = {
    ctx,
    periodStart,
    referenceMs,
    r,
    has: (c) => displayOf.has(c),
    typeFacts: remembered((type, name) => {
      const fam = familyOf(type);
      return {
        name,
        known: ctx.isKnownType === undefined || ctx.isKnownType(type),
        fam,
        maxKWh: maxAnnualKWh(fam),
        plausibleFrom: plausibleFrom(referenceMs, fam.maxLifeYears),
      };
    }),
    model: remembered((_, name) => ({ name })),
    location: remembered((location, name) => ({
      name,
      known: ctx.isKnownLocation === undefined || ctx.isKnownLocation(location),
    })),
  };
  // The model field each slot's value goes to (columns without one, e.g. associeAvecUnEquipmentCloud, are validated,
  // then dropped), and the slot of each required field (−1: not in the file).
  const keys = slots.map(
    (slot) => slot.spec.field ?? (slot.spec.type === 'monthYear' ? slot.spec.canonical : undefined),
  );
  const requiredSlot = required.map((spec) => keys.indexOf(spec.field ?? spec.canonical));
  // The bits of the required fields' slots (as `lo`, `hi` below): a line with all of them skips the per-field check.
  // A required field not in the file (−1) sets no bit, so `allRequired` is false and every line takes the check.
  let requiredLo = 0;
  let requiredHi = 0;
  for (const at of requiredSlot) {
    if (at < 0) continue;
    if (at < SHAPE_BITS) requiredLo |= 1 << at;
    else requiredHi |= 1 << (at - SHAPE_BITS);
  }
  const allRequired = requiredSlot.every((at) => at >= 0);
  // `at` goes in the item's literal (one allocation, no property added afterwards) unless the kind's finisher adds
  // fields: `at` must stay the last field, as it was when added after the finisher.
  const atInShape = ctx.file !== undefined && kind !== 'messaging';
  const items = new ItemShapes(keys, atInShape);
  // Per slot, flat: the cell index, how the cell is read and whether its value is kept (issue 11, per-row cost).
  const n = slots.length;
  const cellIndex = slots.map((slot) => slot.index);
  const specs = slots.map((slot) => slot.spec);
  const reads = slots.map((slot) => readKind(slot.spec.type));
  const kept = keys.map((k) => k !== undefined);
  const file = ctx.file;
  return (cells, line) => {
    r.reset(line);
    const values = items.values;
    let lo = 0; // which slots have a value: bits of slots 0–29 in `lo`, 30 and up in `hi`
    let hi = 0;
    for (let s = 0; s < n; s++) {
      const text = cells[cellIndex[s]!];
      if (text === undefined) continue;
      const len = text.length;
      if (len === 0) continue;
      const c0 = text.charCodeAt(0);
      const cn = text.charCodeAt(len - 1);
      let v: unknown;
      if (
        c0 > 32 &&
        c0 < 127 &&
        c0 !== 39 /* ' */ &&
        cn > 32 &&
        cn < 127 &&
        !(len === 4 && (text === 'NULL' || text === 'null'))
      ) {
        // Most cells: printable ASCII at both ends, so nothing to trim (`trim` removes only white space), no formula
        // guard to strip and not NULL: the text is read as it is, as `readCell` would read it.
        const spec = specs[s]!;
        switch (reads[s]!) {
          case READ_STRING:
            v = stringCell(spec, text, r);
            break;
          case READ_NUMBER:
            v = numberCell(spec, text, numbers, r);
            break;
          case READ_DATE:
            v = dateCell(spec, text, r);
            break;
          default:
            v = readCell(spec, text, numbers, r);
        }
      } else {
        if (isAbsent(text)) continue;
        v = readCell(specs[s]!, text, numbers, r);
      }
      if (v === undefined || !kept[s]) continue;
      values[s] = v;
      if (s < SHAPE_BITS) lo |= 1 << s;
      else hi |= 1 << (s - SHAPE_BITS);
    }
    const complete = allRequired && (lo & requiredLo) === requiredLo && (hi & requiredHi) === requiredHi;
    for (let i = 0; !complete && i < required.length; i++) {
      const at = requiredSlot[i]!;
      const present = at >= 0 && (at < SHAPE_BITS ? (lo >>> at) & 1 : (hi >>> (at - SHAPE_BITS)) & 1) === 1;
      const spec = required[i]!;
      if (!present && !r.hasErrorOn(spec.canonical)) r.error('INP_REQUIRED', spec.canonical, { field: spec.canonical });
    }
    if (r.errors !== undefined) return { ok: false, errors: r.errors, warnings: r.warnings ?? NO_ISSUES };
    const out = items.build(lo, hi, atInShape ? { file, line } : undefined);
    finish(out, env);
    const w = r.warnings ?? NO_ISSUES;
    if (r.errors !== undefined) return { ok: false, errors: r.errors, warnings: w };
    if (file !== undefined && !atInShape) out.at = { file, line };
    return { ok: true, item: { kind, item: out } as unknown as InventoryItem, warnings: w };
  };
}

/** How the row parser reads a cell of a type without anything to trim (`readCell` for the others). */
const READ_STRING = 0;
const READ_NUMBER = 1;
const READ_DATE = 2;
const READ_OTHER = 3;

function readKind(type: ColumnSpec['type']): number {
  switch (type) {
    case 'string':
      return READ_STRING;
    case 'number':
    case 'integer':
      return READ_NUMBER;
    case 'date':
      return READ_DATE;
    default:
      return READ_OTHER;
  }
}

/** Slots per word of a shape's key (`lo`, `hi`): 30 + 30 bits, more than the widest kind's 33 columns. */
const SHAPE_BITS = 30;
/** Constructors compiled at most per parser (a real file has a few shapes; see `ItemShapes.build`). */
export const MAX_SHAPES = 256;

/**
 * The items of one compiled parser, built by shape (issue 11, per-row cost). A shape is the set of slots that have a
 * value; each shape has its own constructor, an object literal of those fields in slot order, compiled once from the
 * catalogue's field names (never from the file's text): the item is one allocation with its fields in the object,
 * where adding the fields one by one (`out[key] = v`) cost a megamorphic store and a growing property array per field.
 * The object is the same as before: the same fields with the same values in the same order, absent fields absent.
 */
class ItemShapes {
  /** Scratch: the value of each slot of the current line (read only for the slots of its shape). */
  readonly values: unknown[];
  private readonly shapes = new Map<number, (values: readonly unknown[], at: unknown) => Record<string, unknown>>();

  constructor(
    private readonly keys: readonly (string | undefined)[],
    /** Whether items end with the `at` given to `build` (the line's position). */
    private readonly withAt: boolean,
  ) {
    this.values = new Array<unknown>(keys.length).fill(undefined);
  }

  build(lo: number, hi: number, at: unknown): Record<string, unknown> {
    const id = hi * 2 ** SHAPE_BITS + lo;
    let make = this.shapes.get(id);
    if (make === undefined) {
      // A file whose lines have ever new sets of empty cells (hostile input) compiles no more than MAX_SHAPES
      // constructors: beyond, its items are built field by field, the same objects.
      if (this.shapes.size >= MAX_SHAPES) return this.fieldByField(lo, hi, at);
      this.shapes.set(id, (make = this.compile(lo, hi)));
    }
    return make(this.values, at);
  }

  /** The same item, its fields added one by one in slot order. */
  private fieldByField(lo: number, hi: number, at: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let s = 0; s < this.keys.length; s++) {
      const set = s < SHAPE_BITS ? (lo >>> s) & 1 : (hi >>> (s - SHAPE_BITS)) & 1;
      const key = this.keys[s];
      if (set === 1 && key !== undefined) out[key] = this.values[s];
    }
    if (this.withAt) out.at = at;
    return out;
  }

  private compile(lo: number, hi: number): (values: readonly unknown[], at: unknown) => Record<string, unknown> {
    const fields: string[] = [];
    for (let s = 0; s < this.keys.length; s++) {
      const set = s < SHAPE_BITS ? (lo >>> s) & 1 : (hi >>> (s - SHAPE_BITS)) & 1;
      const key = this.keys[s];
      if (set === 1 && key !== undefined) {
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`not a field name: ${key}`);
        fields.push(`${key}: v[${s}]`);
      }
    }
    if (this.withAt) fields.push('at: at');
    // A constructor per shape; the field names are the column catalogue's identifiers, checked just above.
    return new Function('v', 'at', `return { ${fields.join(', ')} };`) as (
      values: readonly unknown[],
      at: unknown,
    ) => Record<string, unknown>;
  }
}

/** Collects the issues of the current line (one instance per compiled parser, reset per line: no closure per row). */
class RowReporter {
  errors: Issue[] | undefined;
  warnings: Issue[] | undefined;
  private line = 0;

  constructor(
    private readonly ctx: RowContext,
    private readonly displayOf: ReadonlyMap<string, string>,
  ) {}

  reset(line: number): void {
    this.line = line;
    this.errors = undefined;
    this.warnings = undefined;
  }

  private at(column: string) {
    return { file: this.ctx.file, line: this.line, column: this.displayOf.get(column) ?? column };
  }

  /** Name the field as the user wrote it (native or alias header) in the message details too. */
  private named<C extends IssueCode>(column: string, details: IssueDetailsOf<C>): IssueDetailsOf<C> {
    const shown = this.displayOf.get(column);
    const given: IssueDetails = details;
    return given['field'] === column && shown !== undefined && shown !== column
      ? { ...details, field: shown }
      : details;
  }

  error<C extends IssueCode>(code: C, column: string, details: IssueDetailsOf<C>): void {
    (this.errors ??= []).push(issue(code, this.named(column, details), this.at(column)));
  }

  warn<C extends IssueCode>(code: C, column: string, details: IssueDetailsOf<C>): void {
    (this.warnings ??= []).push({ ...issue(code, this.named(column, details), this.at(column)), severity: 'W' });
  }

  /** Invalid value of a column: warning in lenient mode for optional columns and R/W codes, else error. */
  invalid<C extends IssueCode>(code: C, spec: ColumnSpec, details: IssueDetailsOf<C>): void {
    if (this.ctx.mode === 'lenient' && !spec.e && DOWNGRADABLE.has(code)) this.warn(code, spec.canonical, details);
    else this.error(code, spec.canonical, details);
  }

  hasErrorOn(canonical: string): boolean {
    const column = this.displayOf.get(canonical) ?? canonical;
    for (const e of this.errors ?? []) if (e.column === column) return true;
    return false;
  }
}

/** Parses records keyed by canonical (or alias/native) column names, as `parseRecord` does. */
export type RecordParser = (record: Readonly<Record<string, string | undefined>>, line: number) => RowResult;

/**
 * A parser of records keyed by canonical (or alias/native) column names — the form a mapping layer produces.
 * `display` names the source column of each canonical one in issues. Compiled parsers are cached per key set in this
 * parser (one per table and pass of a run), never in a module-level table.
 */
export function recordParser(
  kind: InventoryKind,
  ctx: RowContext,
  display?: (canonical: string) => string | undefined,
): RecordParser {
  const parsers = new Map<string, RowParser>();
  return (record, line) => {
    const keys = Object.keys(record);
    const cacheKey = keys.join('\u0000');
    let parser = parsers.get(cacheKey);
    if (!parser) {
      const columns = keys.map((k) => columnSpec(kind, k)?.canonical);
      parser = compileRowParser(
        kind,
        columns,
        ctx,
        columns.map((c) => (c && display ? display(c) : undefined)),
      );
      if (parsers.size < 1000) parsers.set(cacheKey, parser);
    }
    return parser(
      keys.map((k) => record[k]),
      line,
    );
  };
}

/** Parse one record keyed by canonical (or alias/native) column names (see `recordParser`, to parse many). */
export function parseRecord(
  kind: InventoryKind,
  record: Readonly<Record<string, string | undefined>>,
  line: number,
  ctx: RowContext,
  display?: (canonical: string) => string | undefined,
): RowResult {
  return recordParser(kind, ctx, display)(record, line);
}

type Reporter = RowReporter;

/**
 * A string cell's value (its text, trimmed and unguarded): too long is an error. The cell readers below are shared by
 * `readCell` and the row's fast path, so each rule is written once.
 */
function stringCell(spec: ColumnSpec, text: string, r: Reporter): string | undefined {
  if (text.length > MAX_STRING_LENGTH) {
    r.error('INP_TOO_LONG', spec.canonical, { field: spec.canonical });
    return undefined;
  }
  return text;
}

/**
 * A number or integer cell's value: a plain finite number (most cells) read without a result object, anything else as
 * `parseNumber` reads it.
 */
function numberCell(spec: ColumnSpec, text: string, numbers: NumberContext, r: Reporter): number | undefined {
  const plain = plainNumber(text);
  if (Number.isFinite(plain)) return checkNumber(spec, plain, text, r);
  return readNumber(spec, text, numbers, r);
}

/** A date cell's value (`yyyy-MM-dd`), or the error naming the text. */
function dateCell(spec: ColumnSpec, text: string, r: Reporter): string | undefined {
  const d = parseTrimmedDate(text);
  if (d === undefined) r.error('INP_BAD_DATE', spec.canonical, { field: spec.canonical, value: text });
  return d;
}

function readCell(spec: ColumnSpec, raw: string, numbers: NumberContext, r: Reporter): unknown {
  const text = stripFormulaGuard(raw).trim(); // `'-5` written by a rejects file reads as -5 (§2.1)
  const field = spec.canonical;
  switch (spec.type) {
    case 'string':
      return stringCell(spec, text, r);
    case 'number':
    case 'integer':
      return numberCell(spec, text, numbers, r);
    case 'date':
      return dateCell(spec, text, r);
    case 'boolean': {
      const b = parseBoolean(text);
      if (b === undefined)
        r.invalid('INP_BAD_ENUM', spec, { field, value: text, allowed: 'true/false, 1/0, oui/non, yes/no' });
      return b;
    }
    case 'quality':
      return enumValue(parseQuality(text), spec, text, QUALITY_ALLOWED, r);
    case 'usageMode':
      return enumValue(parseUsageMode(text), spec, text, USAGE_MODE_ALLOWED, r);
    case 'vmType':
      return enumValue(parseVmType(text), spec, text, VM_TYPE_ALLOWED, r);
    case 'infrastructure':
      return enumValue(parseInfrastructure(text), spec, text, INFRASTRUCTURE_ALLOWED, r);
    case 'endOfLife':
      return enumValue(parseEndOfLife(text), spec, text, END_OF_LIFE_ALLOWED, r);
    case 'monthYear': {
      const m = parseMonthYear(text);
      if (!m) r.error('INP_BAD_MONTH', field, { value: text });
      return m;
    }
  }
}

/** A number cell (trimmed) that is not a plain finite number: `parseNumber`'s other shapes, or the issue. */
function readNumber(spec: ColumnSpec, text: string, numbers: NumberContext, r: Reporter): number | undefined {
  const field = spec.canonical;
  const n = parseNumber(text, numbers);
  if (!n.ok && n.overflow) {
    // A number beyond the float range (`1e309`) is out of every hard limit (§2.1): the line is rejected.
    r.error('INP_OUT_OF_RANGE', field, { field, min: minOf(spec), max: spec.max ?? Number.MAX_VALUE, value: text });
    return undefined;
  }
  if (!n.ok) {
    r.invalid(spec.type === 'integer' ? 'INP_NOT_INTEGER' : 'INP_NOT_NUMBER', spec, { field, value: text });
    return undefined;
  }
  if (n.ambiguous !== undefined) r.warn('INP_AMBIGUOUS_NUMBER', field, { field, value: text, read: n.ambiguous });
  return checkNumber(spec, n.value, text, r);
}

function enumValue<T>(v: T | undefined, spec: ColumnSpec, text: string, allowed: string, r: Reporter): T | undefined {
  if (v === undefined) r.invalid('INP_BAD_ENUM', spec, { field: spec.canonical, value: text, allowed });
  return v;
}

function checkNumber(spec: ColumnSpec, v: number, text: string, r: Reporter): number | undefined {
  const field = spec.canonical;
  if (spec.type === 'integer' && !Number.isInteger(v)) {
    r.invalid('INP_NOT_INTEGER', spec, { field, value: text });
    return undefined;
  }
  switch (spec.constraint) {
    case 'positive':
      if (v <= 0) return fail(r, 'INP_NOT_POSITIVE', field, { field, value: v });
      break;
    case 'nonNegative':
      if (v < 0) return fail(r, 'INP_NEGATIVE', field, { field, value: v });
      break;
    case 'fraction':
      if (v < 0 || v > 1) return fail(r, 'INP_OUT_OF_RANGE', field, { field, min: 0, max: 1, value: v });
      break;
    case 'percent':
      if (v < 0 || v > 100) return fail(r, 'INP_OUT_OF_RANGE', field, { field, min: 0, max: 100, value: v });
      break;
    case 'allocation':
      if (v < 0 || v > 1) return fail(r, 'INP_ALLOCATION_RANGE', field, { value: v });
      break;
    case 'hours':
      if (v < 0) return fail(r, 'INP_NEGATIVE', field, { field, value: v });
      if (v > 8760) return fail(r, 'INP_HOURS_RANGE', field, { field, value: v });
      break;
    case 'pue':
    case undefined:
      break; // PUE is checked with the datacenter's name (finisher)
  }
  if (spec.max !== undefined && v > spec.max) {
    return fail(r, 'INP_OUT_OF_RANGE', field, { field, min: minOf(spec), max: spec.max, value: v });
  }
  return v;
}

/** Lower bound shown in INP_OUT_OF_RANGE messages. */
function minOf(spec: ColumnSpec): number {
  return spec.constraint === 'pue' ? 1 : 0;
}

function fail<C extends IssueCode>(r: Reporter, code: C, field: string, details: IssueDetailsOf<C>): undefined {
  r.error(code, field, details);
  return undefined;
}

interface FinishEnv {
  readonly ctx: RowContext;
  readonly periodStart?: string;
  /** `Date.parse(ctx.referenceDate)` (NaN without a reference date). */
  readonly referenceMs: number;
  readonly r: Reporter;
  /** Whether the file has the column. */
  has(canonical: string): boolean;
  /** What the finishers check of a type name (remembered per compiled parser). */
  typeFacts(type: string): TypeFacts;
  /** Whether a location is accepted (`ctx.isKnownLocation`; true without it), remembered per compiled parser. */
  location(location: string): Remembered & { readonly known: boolean };
  /** A model name as one string per name (`remembered`: the engine's resolution cache is keyed by it). */
  model(model: string): Remembered;
}

/** What `remembered` gives for a name: `name`, equal to it, the same string for every line of that name. */
interface Remembered {
  readonly name: string;
}

/**
 * A type name's facts for the finishers, looked up once per name and parser (issue 11, per-line cost): each line
 * looked them up in three maps keyed by its own string (the referential's types, the family cache), now in one.
 */
interface TypeFacts extends Remembered {
  /** Accepted by `ctx.isKnownType` (true without it). */
  readonly known: boolean;
  /** Plausibility family. */
  readonly fam: FamilyLimits;
  /** `maxAnnualKWh(fam)`. */
  readonly maxKWh: number | undefined;
  /** `plausibleFrom(referenceMs, fam.maxLifeYears)`. */
  readonly plausibleFrom: string | undefined;
}

/**
 * The first purchase day (`yyyy-MM-dd`) kept in service up to the reference date for no more than `maxYears` (days /
 * 365 ≤ maxYears): a purchase on or after it needs no day count for the years-in-service check (issue 11, per-line
 * cost). Its day T is ⌈reference day − 365 × maxYears⌉: for a purchase day P ≥ T the days D = reference − P are at most
 * 365 × maxYears, so D / 365 is at most maxYears once rounded too. Undefined without a reference date, or when T is not a
 * year 1000–9999 (its text would not compare with the dates' as strings): every line then counts its days.
 */
function plausibleFrom(referenceMs: number, maxYears: number): string | undefined {
  if (!Number.isFinite(referenceMs)) return undefined;
  const t = Math.ceil(referenceMs / DAY_MS - 365 * maxYears) * DAY_MS;
  if (!(t >= Date.UTC(1000, 0, 1) && t < Date.UTC(10_000, 0, 1))) return undefined;
  return new Date(t).toISOString().slice(0, 10);
}

/** Names whose facts a parser remembers at most (a file with more distinct names looks the others up per line). */
export const REMEMBERED_NAMES = 10_000;

/** Slots of the table in front of each `remembered` map (a power of two). */
const RECENT_SLOTS = 256;

/**
 * `compute` with its answers kept per name, up to `REMEMBERED_NAMES` names (a pure function of the name), each answer
 * holding the name as one string (`Remembered.name`, a flat copy: the cell may be a slice of a whole chunk of text).
 * The finishers put that string in the item instead of the line's own (issue 11, per-line cost): the engine's maps
 * keyed by the type, the model and the location (its resolution cache, its places) then find it by identity, with its hash
 * known, instead of hashing each line's new string and comparing it character by character. In front of the map, a
 * direct-mapped table of the answers by length and three characters: a name met recently costs one comparison, not
 * the hash of a new string (names seldom change from line to line: a fleet's few types and countries).
 */
function remembered<T extends Remembered>(compute: (key: string, name: string) => T): (name: string) => T {
  const known = new Map<string, T>();
  const recent: (T | undefined)[] = new Array<T | undefined>(RECENT_SLOTS).fill(undefined);
  return (key) => {
    const n = key.length;
    const slot =
      n === 0
        ? 0
        : (n * 31 + key.charCodeAt(0) * 7 + key.charCodeAt(n >> 1) * 17 + key.charCodeAt(n - 1) * 131) &
          (RECENT_SLOTS - 1);
    const hit = recent[slot];
    if (hit !== undefined && hit.name === key) return hit;
    let v = known.get(key);
    if (v === undefined) {
      // The name kept is copied (JSON gives back any string exactly, as a new flat one); beyond the names remembered,
      // the line's own string is used, without a copy per line.
      const keep = known.size < REMEMBERED_NAMES;
      v = compute(key, keep ? (JSON.parse(JSON.stringify(key)) as string) : key);
      if (keep) known.set(v.name, v);
    }
    recent[slot] = v;
    return v;
  };
}

type Finisher = (out: Record<string, unknown>, env: FinishEnv) => void;

const PUE_SPEC = columnSpec('datacenter', 'pue')!;

const FINISHERS: Readonly<Record<InventoryKind, Finisher>> = {
  entity: () => undefined,
  datacenter(out, env) {
    const { r } = env;
    const pue = out.pue as number | undefined;
    if (pue !== undefined && !(pue > 1)) {
      r.invalid('INP_PUE_RANGE', PUE_SPEC, { name: String(out.name), value: pue });
      delete out.pue;
    } else if (pue !== undefined && pue > MAX_PLAUSIBLE_PUE) {
      r.warn('INP_ABSURD_VALUE', 'pue', {
        field: 'pue',
        value: pue,
        type: 'datacenter',
        reason: `above ${MAX_PLAUSIBLE_PUE}`,
      });
    }
    out.location = checkLocation(out.location as string, 'localisation', env, r);
  },
  'physical-equipment'(out, env) {
    const { r, ctx } = env;
    const type = out.type as string;
    const facts = env.typeFacts(type);
    out.type = facts.name; // the same string for every line of this type (`remembered`)
    if (out.model !== undefined) out.model = env.model(out.model as string).name;
    if (!facts.known) r.error('INP_UNKNOWN_TYPE', 'type', { type, known: ctx.knownTypeNames ?? '' });
    out.country = checkLocation(out.country as string, 'paysDUtilisation', env, r);
    const purchase = out.purchaseDate as string | undefined;
    const retirement = out.retirementDate as string | undefined;
    if (purchase && retirement && purchase > retirement) {
      r.error('INP_DATES_INVERTED', 'dateAchat', { dateAchat: purchase, dateRetrait: retirement });
      return;
    }
    if (purchase && ctx.referenceDate && purchase > ctx.referenceDate) {
      r.warn('INP_PURCHASE_AFTER_REFERENCE', 'dateAchat', { date: purchase, ref: ctx.referenceDate });
    }
    if (retirement && env.periodStart && retirement < env.periodStart) {
      r.warn('INP_RETIRED_BEFORE_PERIOD', 'dateRetrait', { date: retirement, start: env.periodStart });
    }
    if (out.usageRate !== undefined && out.usageMode !== undefined) {
      r.warn('INP_USAGE_SHARE_CONFLICT', 'tauxUtilisation', {});
    }
    if (out.downstreamLifeYears !== undefined && out.reuseRate === undefined) {
      r.warn('INP_DOWNSTREAM_WITHOUT_RATE', 'dureeUsageAval', {});
    }
    const quantity = out.quantity as number;
    if (ctx.profile === 'numecoeval' && !Number.isInteger(quantity)) {
      r.warn('INP_NOT_INTEGER', 'quantite', { field: 'quantite', value: quantity });
    }
    // Absurd values (warnings, choice thresholds of plausibility.ts).
    const fam = facts.fam;
    const life = out.internalLifeYears as number | undefined;
    if (life !== undefined && life > fam.maxLifeYears) {
      r.warn('INP_ABSURD_VALUE', 'dureeUsageInterne', {
        field: 'dureeUsageInterne',
        value: life,
        type,
        reason: `more than ${fam.maxLifeYears} years for a ${fam.family}`,
      });
    }
    const end = retirement ?? ctx.referenceDate;
    // Without a retirement date, a purchase on or after `plausibleFrom` is within the limit: no day count.
    const recent =
      retirement === undefined &&
      purchase !== undefined &&
      facts.plausibleFrom !== undefined &&
      purchase >= facts.plausibleFrom;
    if (purchase && end && !recent) {
      // Parsed dates are `yyyy-MM-dd` (parseDate): their time value is the day number × 86,400,000 exactly, as
      // `Date.parse` gives it, without parsing the text again; the reference date is parsed once per parser.
      const endMs = retirement !== undefined ? isoDay(retirement) * DAY_MS : env.referenceMs;
      const years = (endMs - isoDay(purchase) * DAY_MS) / DAY_MS / 365; // §0: days / 365
      if (years > fam.maxLifeYears) {
        r.warn('INP_ABSURD_VALUE', 'dateAchat', {
          field: 'dateAchat',
          value: purchase,
          type,
          reason: `${Math.floor(years)} years in service, more than ${fam.maxLifeYears} for a ${fam.family}`,
        });
      }
    }
    const kwh = out.annualKWh as number | undefined;
    const maxKWh = facts.maxKWh;
    if (kwh !== undefined && maxKWh !== undefined && kwh > maxKWh) {
      r.warn('INP_ABSURD_VALUE', 'consoElecAnnuelle', {
        field: 'consoElecAnnuelle',
        value: kwh,
        type,
        reason: `more than ${maxKWh} kWh per year per unit, i.e. ${fam.maxWatts} W all year round, for a ${fam.family}`,
      });
    }
  },
  'virtual-equipment'(out, { r, ctx }) {
    const vm = String(out.name);
    if (out.infrastructure === 'CLOUD_SERVICES') {
      for (const [field, canonical] of [
        ['provider', 'provider'],
        ['instanceType', 'typeInstance'],
        ['location', 'location'],
      ] as const) {
        if (out[field] === undefined) r.error('INP_CLOUD_FIELD_REQUIRED', canonical, { field: canonical });
      }
      if (ctx.mode === 'strict') {
        for (const [field, canonical] of [
          ['quantity', 'quantite'],
          ['avgLoad', 'chargeMoy'],
          ['annualHours', 'dureeUtilisationAnnuelle'],
        ] as const) {
          if (out[field] === undefined) r.error('INP_CLOUD_FIELD_REQUIRED', canonical, { field: canonical });
        }
      }
      return;
    }
    if (out.host === undefined) r.error('INP_HOST_REQUIRED', 'nomEquipementPhysique', { vm });
    if (out.vmType === undefined) {
      if (ctx.mode === 'strict') r.error('INP_REQUIRED', 'typeEqv', { field: 'typeEqv' });
    } else if (out.vmType === 'compute' && out.vcpu === undefined) {
      if (ctx.mode === 'strict') r.error('INP_VCPU_MISSING', 'vCPU', { vm });
      else r.warn('INP_VCPU_MISSING', 'vCPU', { vm });
    } else if (out.vmType === 'storage' && out.storage === undefined) {
      if (ctx.mode === 'strict') r.error('INP_STORAGE_MISSING', 'capaciteStockage', { vm });
      else r.warn('INP_STORAGE_MISSING', 'capaciteStockage', { vm });
    }
  },
  application(out, { r }) {
    if (out.vm === undefined && out.host === undefined) {
      r.error('INP_REQUIRED', 'nomEquipementVirtuel', { field: 'nomEquipementVirtuel' });
    }
  },
  'non-it'(out, env) {
    const { r, ctx } = env;
    const type = out.type as string;
    const facts = env.typeFacts(type);
    out.type = facts.name;
    if (!facts.known) r.error('INP_UNKNOWN_TYPE', 'type', { type, known: ctx.knownTypeNames ?? '' });
    out.location = checkLocation(out.location as string, 'localisation', env, r);
  },
  messaging(out, { r, ctx }) {
    const my = out.MoisAnnee as { year: number; month: number };
    delete out.MoisAnnee;
    out.year = my.year;
    out.month = my.month;
    if (ctx.referenceDate) {
      const ym = `${my.year}-${String(my.month).padStart(2, '0')}`;
      if (ym > ctx.referenceDate.slice(0, 7)) {
        r.warn('INP_FUTURE_DATE', 'MoisAnnee', { field: 'MoisAnnee', value: ym });
      }
    }
  },
};

/** INP_UNKNOWN_LOCATION for a location not accepted; the location as one string per name (`remembered`). */
function checkLocation(value: string, column: string, env: FinishEnv, r: Reporter): string {
  const location = env.location(value);
  if (!location.known) r.error('INP_UNKNOWN_LOCATION', column, { value });
  return location.name;
}
