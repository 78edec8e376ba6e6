/**
 * The Boavizta CPU catalogue of the active referential (methodology F15, F16, F17): lookups by name, BoaviztAPI's
 * fuzzy CPU name match and its die-size completion. Pure functions over referential data; the algorithms follow
 * `Boavizta/boaviztapi@15878f0 (v2.4.1)`: `boaviztapi/utils/fuzzymatch.py` (`fuzzymatch_attr_from_cpu_name`) and
 * `boaviztapi/models/component/cpu.py` (`_complete_from_name`, `_complete_die_size_from_cpu_specs`).
 */
import type { CpuSpec, Referential } from '../model.js';
import { tokenSetRatio } from './fuzz.js';

export { tokenSetRatio };

/** F16: the CPU of the catalogue named `name`: exact (trimmed) name, then case-insensitive; undefined when unknown. */
export function cpuLookup(ref: Referential): (name: string) => CpuSpec | undefined {
  // The catalogue is read on the first lookup, and the index by lower-case name built on the first name not found as
  // written (issue 11, start-up time: the engine builds this lookup for every run, most of which name no CPU, and the
  // default merge's snapshot deserialises the catalogue on its first read, merge-snapshot.ts).
  let specs: ReadonlyMap<string, CpuSpec> | undefined;
  let lower: Map<string, CpuSpec> | undefined;
  const lowerIndex = (): Map<string, CpuSpec> => {
    if (lower === undefined) {
      lower = new Map();
      for (const s of specs!.values()) {
        const k = s.name.trim().toLowerCase();
        if (!lower.has(k)) lower.set(k, s);
      }
    }
    return lower;
  };
  return (name) => {
    const t = name.trim();
    specs ??= ref.cpuSpecs ?? new Map<string, CpuSpec>();
    return specs.get(t) ?? lowerIndex().get(t.toLowerCase());
  };
}

/**
 * Rows in the order of their source file (`sourceRow`; the pack stores them sorted by key), rows without one (user
 * layers) after them in their own order. BoaviztAPI's matches take the first best row of the file.
 */
export function inFileOrder<T extends { readonly sourceRow?: number }>(rows: readonly T[]): T[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.sourceRow ?? Infinity) - (b.r.sourceRow ?? Infinity) || a.i - b.i)
    .map((x) => x.r);
}

/** BoaviztAPI `config.cpu_name_fuzzymatch_threshold`: a name matches when its best score is above 80. */
export const CPU_NAME_FUZZY_THRESHOLD = 80;

/**
 * F15: the catalogue CPU BoaviztAPI completes a named CPU from (`fuzzymatch_attr_from_cpu_name`): lower-cased names,
 * the first catalogue row (file order) with the highest `token_set_ratio`, when that score is above 80. Results are
 * cached per name inside the returned function.
 */
export function cpuFuzzyLookup(
  ref: Referential,
): (name: string) => { readonly cpu: CpuSpec; readonly score: number } | undefined {
  // The catalogue in file order with its lower-case names, prepared on the first name looked up (issue 11, start-up
  // time: the engine builds this lookup for every run, most of which have no cloud instance).
  let specs: { readonly s: CpuSpec; readonly lower: string }[] | undefined;
  const cache = new Map<string, { readonly cpu: CpuSpec; readonly score: number } | undefined>();
  return (name) => {
    const q = name.toLowerCase();
    if (cache.has(q)) return cache.get(q);
    specs ??= inFileOrder([...(ref.cpuSpecs ?? new Map<string, CpuSpec>()).values()]).map((s) => ({
      s,
      lower: s.name.toLowerCase(),
    }));
    let best: { cpu: CpuSpec; score: number } | undefined;
    for (const { s, lower } of specs) {
      const score = tokenSetRatio(lower, q);
      if (best === undefined || score > best.score) best = { cpu: s, score };
      if (score === 100) break;
    }
    const hit = best !== undefined && best.score > CPU_NAME_FUZZY_THRESHOLD ? best : undefined;
    cache.set(q, hit);
    return hit;
  };
}

/** Python's `round(x, n)`-free `float(to_precision(x, n))`: x rounded to `n` significant figures. */
export function roundToSigFig(x: number, n: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(n));
}

/**
 * F16: the die size of one CPU when the catalogue does not give it, as BoaviztAPI's `_complete_die_size_from_cpu_specs`:
 * over the catalogue rows with a `total_die_size`, those of the CPU's family (`code_name`) when the family has such
 * rows; then, with a known core count: the mean of the rows with that many cores, else (one row, or all rows with the
 * same cores) a rule of three on the first row, else a linear regression of die size on cores; without a core count,
 * the mean of the rows. Every result is rounded to 3 significant figures, as BoaviztAPI does.
 */
export function dieSizeFallback(
  specs: Iterable<CpuSpec>,
  q: { readonly family?: string; readonly cores?: number },
): { readonly value: number; readonly rule: string } {
  let rows = inFileOrder([...specs]).filter((s) => s.totalDieSizeMm2 !== undefined);
  const family = q.family !== undefined && rows.some((s) => s.family === q.family) ? q.family : undefined;
  if (family !== undefined) rows = rows.filter((s) => s.family === family);
  const scope = family !== undefined ? `family ${family}` : 'all families';
  const mean = (xs: readonly CpuSpec[]) => xs.reduce((t, s) => t + s.totalDieSizeMm2!, 0) / xs.length;
  if (rows.length === 0) return { value: 0, rule: 'no CPU with a die size in the catalogue' };
  const cores = q.cores;
  if (cores === undefined)
    return {
      value: roundToSigFig(mean(rows), 3),
      rule: `mean total_die_size of ${rows.length} CPUs of ${scope} (cpu_specs.csv, 3 significant figures)`,
    };
  const same = rows.filter((s) => s.cores === cores);
  if (same.length > 0)
    return {
      value: roundToSigFig(mean(same), 3),
      rule: `mean total_die_size of ${same.length} CPUs of ${scope} with ${cores} cores (cpu_specs.csv, 3 significant figures)`,
    };
  const first = rows[0]!;
  if (rows.length === 1 || rows.every((s) => s.cores === first.cores)) {
    if (first.cores !== undefined)
      return {
        value: roundToSigFig((first.totalDieSizeMm2! * cores) / first.cores, 3),
        rule: `rule of three on '${first.name}': ${first.totalDieSizeMm2} mm² × ${cores} / ${first.cores} cores (3 significant figures)`,
      };
  }
  const xy = rows.filter((s) => s.cores !== undefined);
  const mx = xy.reduce((t, s) => t + s.cores!, 0) / xy.length;
  const my = mean(xy);
  let sxy = 0;
  let sxx = 0;
  for (const s of xy) {
    sxy += (s.cores! - mx) * (s.totalDieSizeMm2! - my);
    sxx += (s.cores! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  return {
    value: roundToSigFig(intercept + slope * cores, 3),
    rule: `linear regression of total_die_size on cores over ${xy.length} CPUs of ${scope} at ${cores} cores (3 significant figures)`,
  };
}
