/**
 * One description per formula (methodology §4.0, issue 10): a small expression of named factors from which both the
 * indicator's number and its trace text are produced. The hot path compiles the per-item part of an expression once
 * (module load) into a closure — `coefficient(EMBODIED, 'F')` is q × τ × s / L, the multiplier of the slot factor F —
 * and `render` writes the same expression with the numbers substituted for the trace. Nothing here is written twice:
 * changing a formula changes its value and its trace together, and `trace-eval.test.ts` evaluates every trace's formula
 * with its own variables against the indicator's value.
 *
 * Factor names are the trace's variable names; `TRACE_GLYPHS` lists the few whose formula symbol differs (τ, α).
 * A factor marked `unlessOne` (the period share s) is left out of the text when its value is 1 (numecoeval, or an
 * item in service the whole period), as the traces always showed it.
 */
import { num } from './trace.js';

export type Expr =
  | { readonly op: 'var'; readonly name: string; readonly unlessOne: boolean }
  | { readonly op: 'mul'; readonly args: readonly Expr[] }
  | { readonly op: 'div'; readonly num: Expr; readonly den: Expr; readonly tight: boolean }
  | { readonly op: 'add'; readonly args: readonly Expr[] };

/** Formula symbol → trace variable name, where they differ. */
export const TRACE_GLYPHS: Readonly<Record<string, string>> = { τ: 'tau', α: 'alpha' };
const SYMBOL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TRACE_GLYPHS).map(([glyph, name]) => [name, glyph]),
);

export const factor = (name: string): Expr => ({ op: 'var', name, unlessOne: false });
/** A factor shown only when it is not 1 (the share s of the period, §2.2). */
export const shareFactor = (name: string): Expr => ({ op: 'var', name, unlessOne: true });
export const mul = (...args: Expr[]): Expr => ({ op: 'mul', args });
export const div = (n: Expr, d: Expr): Expr => ({ op: 'div', num: n, den: d, tight: false });
/** `a/b` written without spaces (a ratio inside a term, F13's V/N). */
export const ratio = (n: Expr, d: Expr): Expr => ({ op: 'div', num: n, den: d, tight: true });
export const add = (...args: Expr[]): Expr => ({ op: 'add', args });

export type Values = Readonly<Record<string, number | undefined>>;

/** The factors an expression names. */
export function factorNames(e: Expr): string[] {
  switch (e.op) {
    case 'var':
      return [e.name];
    case 'div':
      return [...factorNames(e.num), ...factorNames(e.den)];
    default:
      return e.args.flatMap(factorNames);
  }
}

/** A compiled expression: its factors read by position from `v` (the order given to `coefficient`). */
export type Compiled = (v: ArrayLike<number>) => number;

/**
 * The expression as a function of its factors, read by position in the order of `names`, with the `units` factors
 * taken as 1: the coefficient the hot path multiplies a slot factor by (`coefficient(EMBODIED, names, 'F')` is
 * q × τ × s / L). Positional reads of a small array keep the hot path monomorphic; a name missing from `names` is NaN.
 */
export function coefficient(e: Expr, names: readonly string[], ...units: string[]): Compiled {
  const at = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`formula factor '${name}' is not among ${names.join(', ')}`);
    return i;
  };
  switch (e.op) {
    case 'var': {
      if (units.includes(e.name)) return () => 1;
      const i = at(e.name);
      return (v) => v[i]!;
    }
    case 'div': {
      const n = coefficient(e.num, names, ...units);
      if (e.den.op === 'var' && !units.includes(e.den.name)) {
        const d = at(e.den.name);
        return (v) => n(v) / v[d]!;
      }
      const d = coefficient(e.den, names, ...units);
      return (v) => n(v) / d(v);
    }
    case 'mul': {
      const kept = e.args.filter((a) => !(a.op === 'var' && units.includes(a.name)));
      if (kept.length === 0) return () => 1;
      if (kept.every((a) => a.op === 'var')) {
        // A product of factors, left to right (the common case): one loop over their positions.
        const [a, b, c, d, f, ...rest] = kept.map((x) => at(x.op === 'var' ? x.name : ''));
        if (rest.length === 0) {
          // Unrolled for the formulas' sizes (a closure per length keeps the product inlinable).
          if (f !== undefined) return (v) => v[a!]! * v[b!]! * v[c!]! * v[d!]! * v[f]!;
          if (d !== undefined) return (v) => v[a!]! * v[b!]! * v[c!]! * v[d]!;
          if (c !== undefined) return (v) => v[a!]! * v[b!]! * v[c]!;
          if (b !== undefined) return (v) => v[a!]! * v[b]!;
          return (v) => v[a!]!;
        }
      }
      const fs = kept.map((a) => coefficient(a, names, ...units));
      return (v) => {
        let x = fs[0]!(v);
        for (let k = 1; k < fs.length; k++) x *= fs[k]!(v);
        return x;
      };
    }
    case 'add': {
      const fs = e.args.map((a) => coefficient(a, names, ...units));
      return (v) => {
        let x = 0;
        for (const f of fs) x += f(v);
        return x;
      };
    }
  }
}

/** Whether a factor is shown only when it is not 1 (an absent one then reads as 1). */
function optionalFactors(e: Expr): Set<string> {
  const out = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.op === 'var') {
      if (x.unlessOne) out.add(x.name);
    } else if (x.op === 'div') {
      walk(x.num);
      walk(x.den);
    } else x.args.forEach(walk);
  };
  walk(e);
  return out;
}

/** The value of an expression for named factors (an absent `unlessOne` factor is 1, any other absent one NaN). */
export function evaluate(e: Expr, v: Values): number {
  const names = [...new Set(factorNames(e))];
  const optional = optionalFactors(e);
  return coefficient(e, names)(names.map((n) => v[n] ?? (optional.has(n) ? 1 : NaN)));
}

/** Whether a factor is left out of the text: a `unlessOne` factor whose value is 1 or unknown. */
function hidden(e: Expr, v: Values | undefined): boolean {
  return e.op === 'var' && e.unlessOne && (v === undefined || v[e.name] === undefined || v[e.name] === 1);
}

/**
 * The expression written with symbols (`v` undefined) or with the numbers of `v`; `hole`, when given, writes a factor
 * in place of its number (`renderer`'s templates).
 */
function write(e: Expr, v: Values | undefined, shown: Values | undefined, hole?: (name: string) => string): string {
  switch (e.op) {
    case 'var':
      if (v === undefined) return SYMBOL[e.name] ?? e.name;
      return hole !== undefined ? hole(e.name) : num(v[e.name] ?? NaN);
    case 'mul': {
      const parts = e.args
        .filter((a) => !hidden(a, shown))
        .map((a) =>
          a.op === 'add' || (a.op === 'div' && !a.tight) ? `(${write(a, v, shown, hole)})` : write(a, v, shown, hole),
        );
      return parts.join(' × ');
    }
    case 'add':
      return e.args.map((a) => write(a, v, shown, hole)).join(' + ');
    case 'div': {
      const n = write(e.num, v, shown, hole);
      const d = write(e.den, v, shown, hole);
      const nGroup =
        e.num.op === 'add' || (e.num.op === 'mul' && e.num.args.filter((a) => !hidden(a, shown)).length > 1);
      const dGroup = e.den.op !== 'var';
      const ns = nGroup ? `(${n})` : n;
      const ds = dGroup ? `(${d})` : d;
      return e.tight ? `${ns}/${ds}` : `${ns} / ${ds}`;
    }
  }
}

/** The symbolic formula, e.g. `(q × F × τ × s) / L` (s shown only when `v` gives it a value other than 1). */
export function symbolic(e: Expr, v?: Values): string {
  return write(e, undefined, v);
}

/** The trace text: `symbolic = numbers = result`, the numbers those the value was computed from. */
export function render(e: Expr, v: Values, result: number): string {
  return `${write(e, undefined, v)} = ${write(e, v, v)} = ${num(result)}`;
}

/**
 * Where a formula text is written piece by piece (issue 11: the long CSV writes 14 million formulas straight into its
 * bytes): the constant texts around the numbers, and the numbers, which `num` writes. The text is the concatenation of
 * the pieces in call order, `text(a)` then `num(x)` being `a + num(x)`.
 */
export interface FormulaOut {
  text(s: string): void;
  num(x: number): void;
}

/**
 * `render` of one expression prepared once (issue 11: the long CSV writes 14 million formulas). What `render` writes
 * depends on `v` through its numbers and through which `unlessOne` factors are hidden (value 1 or absent) only; the
 * text around the numbers is prepared for every combination of hidden factors (2^k texts for k such factors, k ≤ 4),
 * and a call fills in the numbers. Gives the same text as `render(e, v, result)` (formula.test.ts checks it); given a
 * `FormulaOut`, writes the same text to it piece by piece (its pieces: the prepared texts and the numbers) and returns
 * ''.
 */
export function renderer(e: Expr): (v: Values, result: number, out?: FormulaOut) => string {
  const order = [...new Set(factorNames(e))];
  const at = positionalRenderer(e, order);
  return (v, result, out) =>
    at(
      order.map((n) => v[n]),
      result,
      out,
    );
}

/**
 * `renderer(e)` with the factors given by position, in the order of `order` (every factor of `e` must be in it), so that
 * a caller passes an array instead of an object of named factors (issue 11: the engine's hot formulas). Same text.
 */
export function positionalRenderer(
  e: Expr,
  order: readonly string[],
): (v: ArrayLike<number | undefined>, result: number, out?: FormulaOut) => string {
  const at = (name: string): number => {
    const i = order.indexOf(name);
    if (i < 0) throw new Error(`formula factor '${name}' is not among ${order.join(', ')}`);
    return i;
  };
  for (const n of factorNames(e)) at(n);
  const optional = [...optionalFactors(e)];
  if (optional.length > 4)
    return (v, result, out) => {
      const named: Record<string, number | undefined> = {};
      order.forEach((n, i) => (named[n] = v[i]));
      const text = render(e, named, result);
      if (out === undefined) return text;
      out.text(text);
      return '';
    };
  const optionalAt = optional.map(at);
  const HOLE = '\u0000';
  const variants: { readonly head: string; readonly names: readonly number[]; readonly tails: readonly string[] }[] =
    [];
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    // Bit i set: the i-th optional factor is hidden (absent); else shown (any value but 1).
    const shown: Record<string, number | undefined> = {};
    optional.forEach((n, i) => (shown[n] = mask & (1 << i) ? undefined : 2));
    const parts = write(e, {}, shown, (name) => HOLE + name + HOLE).split(HOLE);
    const names: number[] = [];
    const tails: string[] = [];
    for (let i = 1; i < parts.length; i += 2) {
      names.push(at(parts[i]!));
      tails.push(parts[i + 1]!);
    }
    // The last piece of text carries the ` = ` before the result.
    let head = `${write(e, undefined, shown)} = ${parts[0]!}`;
    if (tails.length > 0) tails[tails.length - 1] += EQUALS;
    else head += EQUALS;
    variants.push({ head, names, tails });
  }
  return (v, result, out) => {
    let mask = 0;
    for (let i = 0; i < optionalAt.length; i++) {
      const x = v[optionalAt[i]!];
      if (x === undefined || x === 1) mask |= 1 << i;
    }
    const t = variants[mask]!;
    const { names, tails } = t;
    if (out !== undefined) {
      out.text(t.head);
      for (let i = 0; i < names.length; i++) {
        out.num(v[names[i]!] ?? NaN);
        out.text(tails[i]!);
      }
      out.num(result);
      return '';
    }
    let text = t.head;
    for (let i = 0; i < names.length; i++) text += num(v[names[i]!] ?? NaN) + tails[i]!;
    return text + num(result);
  };
}

const EQUALS = ' = ';

/** The numbers of the numeric trace variables, by name (what `render` and the trace evaluator read). */
export function numbersOf(vars: Readonly<Record<string, { readonly value: number | string }>>): Values {
  const out: Record<string, number> = {};
  for (const k of Object.keys(vars)) {
    const x = vars[k]!.value;
    if (typeof x === 'number') out[k] = x;
  }
  return out;
}

// ——— the formulas of the engine (methodology F5–F15), each described once ———

/** F5 embodied steps: I(s,c) = q × F × τ × s / L (L = 1 for whole-life values and items not amortised). */
export const EMBODIED = div(mul(factor('q'), factor('F'), factor('tau'), shareFactor('s')), factor('L'));
/** F6, F7 use step: I(USE,c) = q × E × τ × s × PUE × M; with M = 1 the facility kWh, with PUE = M = 1 the IT kWh. */
export const USE = mul(factor('q'), factor('E'), factor('tau'), shareFactor('s'), factor('PUE'), factor('M'));
/** F8 VM: the host's indicator × the VM's share α. */
export const VM_ALLOCATED = mul(factor('I_host'), factor('alpha'));
/** F8 VM with its own consumption: E_vm × s(host) × PUE(host) × M(c, ℓ(host)). */
export const VM_OWN_USE = mul(factor('E_vm'), shareFactor('s'), factor('PUE_host'), factor('M'));
/** F9 application on a VM, or inferred on a host without VM: the parent's indicator / n applications. */
export const APP_ON_VM = div(factor('I_vm'), factor('n'));
export const APP_ON_HOST = div(factor('I_host'), factor('n'));
/** F15 cloud instance, use step: E × PUE(provider) × M(location). */
export const CLOUD_USE = mul(factor('E'), factor('PUE'), factor('M'));
/** F15 cloud instance, manufacturing: the instance model's value (components × ratios × yearly share × quantity). */
export const CLOUD_EMBODIED = factor('I_model');
/**
 * F12 terminals of a digital service: H device-hours of one device setup (share s of the mix, q devices of the item).
 * `activeHours` (ACV-NUM): I_emb = s × q × F × H / (D × L × d), I_use = s × q × P × H / k × M; `calendarHours`
 * (G4IT): I_emb = s × q × H × F / (L × Y), I_use = s × q × H × E × M / Y — with the constants of `F12_CONSTANTS`.
 */
export const TERMINAL_ACTIVE_EMBODIED = div(
  mul(factor('s'), factor('q'), factor('F'), factor('H')),
  mul(factor('D'), factor('L'), factor('d')),
);
export const TERMINAL_ACTIVE_USE = mul(
  div(mul(factor('s'), factor('q'), factor('P'), factor('H')), factor('k')),
  factor('M'),
);
export const TERMINAL_CALENDAR_EMBODIED = div(
  mul(factor('s'), factor('q'), factor('H'), factor('F')),
  mul(factor('L'), factor('Y')),
);
export const TERMINAL_CALENDAR_USE = div(
  mul(factor('s'), factor('q'), factor('H'), factor('E'), factor('M')),
  factor('Y'),
);
/** F12's constants: D days and Y hours in a year, k watts in a kilowatt. */
export const F12_CONSTANTS = { D: 365, Y: 8760, k: 1000 } as const;
/** F14 telework boxes: N_emp × d/D ÷ p (D = 365 days, p persons per household). */
export const TELEWORK_BOXES = div(mul(factor('N_emp'), ratio(factor('d'), factor('D'))), factor('p'));
/** F13 messaging, per month: (A × V/N + b) × N_d × s. */
export const MESSAGING = mul(
  add(mul(factor('A'), ratio(factor('V'), factor('N'))), factor('b')),
  factor('N_d'),
  shareFactor('s'),
);
