/**
 * Reading a trace back (methodology §4.0): a tiny, safe arithmetic evaluator — numbers, + − × ÷ * / ( ), named
 * variables; no `eval` — and the check that a trace's formula, evaluated with the trace's own variables, gives the
 * indicator's value. The engine's trace texts are `symbolic = numbers = result` (formula.ts `render`): both sides are
 * evaluated, and the stated result must be the value. Pure; used by the trace tests, usable by any consumer of traces.
 */
import { TRACE_GLYPHS } from './formula.js';
import { OK, type ItemResult } from './result.js';
import { TraceSchema, type Trace } from './trace.js';

type Token =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'id'; readonly v: string }
  | { readonly t: 'op'; readonly v: string };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i;
const IDENT = /^[\p{L}_][\p{L}\p{N}_]*/u;

function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const n = NUMBER.exec(rest);
    if (n) {
      out.push({ t: 'num', v: Number(n[0]) });
      i += n[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    if ('+-−×÷*/()'.includes(c)) {
      out.push({ t: 'op', v: c === '−' ? '-' : c === '×' ? '*' : c === '÷' ? '/' : c });
      i++;
      continue;
    }
    throw new Error(`unexpected '${c}' at ${i} in '${text}'`);
  }
  return out;
}

/**
 * The value of an arithmetic expression; identifiers are read from `vars` (a formula symbol such as τ reads the
 * variable it names, TRACE_GLYPHS). An unknown identifier or a string variable is an error, never 0.
 */
export function evaluateFormula(
  text: string,
  vars: Readonly<Record<string, { readonly value: number | string }>> = {},
): number {
  const ts = tokens(text);
  let p = 0;
  const peek = (): Token | undefined => ts[p];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const expr = (): number => {
    let x = term();
    while (isOp('+') || isOp('-')) {
      const op = ts[p++]!.v;
      const y = term();
      x = op === '+' ? x + y : x - y;
    }
    return x;
  };
  const term = (): number => {
    let x = unary();
    while (isOp('*') || isOp('/')) {
      const op = ts[p++]!.v;
      const y = unary();
      x = op === '*' ? x * y : x / y;
    }
    return x;
  };
  const unary = (): number => {
    if (isOp('-')) {
      p++;
      return -unary();
    }
    return atom();
  };
  const atom = (): number => {
    const t = ts[p++];
    if (t === undefined) throw new Error(`unexpected end of '${text}'`);
    if (t.t === 'num') return t.v;
    if (t.t === 'id') {
      const v = vars[t.v] ?? vars[TRACE_GLYPHS[t.v] ?? ''];
      if (v === undefined) throw new Error(`unknown variable '${t.v}' in '${text}'`);
      if (typeof v.value !== 'number') throw new Error(`variable '${t.v}' is not a number in '${text}'`);
      return v.value;
    }
    if (t.v === '(') {
      const x = expr();
      if (!isOp(')')) throw new Error(`missing ')' in '${text}'`);
      p++;
      return x;
    }
    throw new Error(`unexpected '${t.v}' in '${text}'`);
  };
  const x = expr();
  if (p !== ts.length) throw new Error(`trailing input in '${text}'`);
  return x;
}

const close = (a: number, b: number, rel: number): boolean =>
  a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

/**
 * Why a computed indicator's trace does not reproduce its value (undefined when it does): the symbolic formula with
 * the trace's variables, the formula with its numbers, and the stated result must each give `value` to `rel`.
 */
export function traceDisagreement(trace: Trace, value: number, rel = 1e-9): string | undefined {
  const parts = trace.formula.split(' = ');
  if (parts.length !== 3) return `formula '${trace.formula}' is not 'symbolic = numbers = result'`;
  const [symbolic, numbers, stated] = parts as [string, string, string];
  let a: number;
  let b: number;
  try {
    a = evaluateFormula(symbolic, trace.variables);
    b = evaluateFormula(numbers);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (!close(a, value, rel)) return `'${symbolic}' with the trace's variables gives ${a}, the value is ${value}`;
  if (!close(b, value, rel)) return `'${numbers}' gives ${b}, the value is ${value}`;
  if (Number(stated) !== value) return `the stated result ${stated} is not the value ${value}`;
  return undefined;
}

/** The trace's records agree with its variables: the amortising L is the lifetime retained, s the period share. */
function recordDisagreement(trace: Trace): string | undefined {
  const L = trace.variables['L'];
  if (L?.origin === 'DERIVED' && trace.lifetime !== undefined && L.value !== trace.lifetime.valueRetained)
    return `L = ${L.value} in the formula, ${trace.lifetime.valueRetained} in the lifetime record`;
  const s = trace.variables['s'];
  if (s !== undefined && trace.period !== undefined && s.value !== trace.period.share)
    return `s = ${s.value} in the formula, ${trace.period.share} in the period record`;
  return undefined;
}

/**
 * Checks the trace of every slot of every result: a valid `TraceSchema` record, and for each computed indicator a
 * formula that reproduces its value. Returns the problems found and the number of formulas evaluated per item kind.
 */
export function checkResultTraces(
  results: readonly ItemResult[],
  rel = 1e-9,
): { readonly problems: string[]; readonly evaluated: Map<string, number> } {
  const problems: string[] = [];
  const evaluated = new Map<string, number>();
  for (const r of results) {
    for (let s = 0; s < r.values.length; s++) {
      const trace = r.explain(s);
      const parsed = TraceSchema.safeParse(trace);
      if (!parsed.success) problems.push(`${r.kind} '${r.name}' slot ${s}: ${parsed.error.message}`);
      if (r.status[s] !== OK) continue;
      const why = traceDisagreement(trace, r.values[s]!, rel) ?? recordDisagreement(trace);
      if (why !== undefined) problems.push(`${r.kind} '${r.name}' slot ${s}: ${why}`);
      evaluated.set(r.kind, (evaluated.get(r.kind) ?? 0) + 1);
    }
  }
  return { problems, evaluated };
}
