/**
 * Writers for assessment results: streaming JSON, `;`-separated CSV (safe against formula injection), and a readable
 * table. Files are written to a temporary sibling and renamed at the end, so a failed run leaves no partial output.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { IndicatorRow, ItemRef, RunMeta, Totals } from '../engine/index.js';
import { issueMessage } from '../issues/catalogue.js';

export interface Sink {
  write(s: string): void | Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** A sink on stdout, or on a file written atomically (temp file + rename). */
export function openSink(out: string | undefined): Sink {
  if (out === undefined) {
    return {
      write: (s) => {
        if (!process.stdout.write(s)) return new Promise<void>((r) => process.stdout.once('drain', () => r()));
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
  }
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  const ws: WriteStream = createWriteStream(tmp);
  let failed: Error | undefined;
  ws.on('error', (e) => (failed = e));
  return {
    write: (s) => {
      if (failed) throw failed;
      if (!ws.write(s)) return new Promise<void>((r) => ws.once('drain', () => r()));
    },
    close: async () => {
      await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
      if (failed) throw failed;
      await rename(tmp, out);
    },
    abort: async () => {
      ws.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** A cell that a spreadsheet would read as a formula is prefixed with a quote (OWASP CSV injection). */
export function safeCsvCell(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[;"\n\r]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export const CSV_COLUMNS = [
  'kind',
  'item',
  'entity',
  'lifecycleStep',
  'criterion',
  'value',
  'unit',
  'status',
  'errorCode',
  'errorMessage',
  'tier',
  'virtualEquipment',
  'physicalEquipment',
  'formula',
] as const;

export function csvRow(r: IndicatorRow): string {
  const cells = [
    r.kind,
    r.item,
    r.entity ?? '',
    r.lifecycleStep,
    r.criterion,
    String(r.value),
    r.unit,
    r.status,
    r.errorCode ?? '',
    r.errorMessage ? issueMessage(r.errorMessage, { name: r.item }) : '',
    r.tier,
    r.virtualEquipment ?? '',
    r.physicalEquipment ?? '',
    r.trace?.formula ?? '',
  ];
  return cells.map((c, i) => (i === 5 ? c : safeCsvCell(c))).join(';') + '\n';
}

/**
 * `--format csv --summary`: the totals as `;`-separated rows `dimension;key;criterion;lifecycleStep;value;unit`:
 * the inventory total per criterion and step (dimension `total`), then each breakdown and each allocation (all steps),
 * then the counts `notCovered` (per criterion and step), `toFix` (per code) and `outOfPeriod` (items per kind).
 */
export function totalsCsv(totals: Totals): string {
  const unit = new Map(totals.byCriterion.map((c) => [c.criterion, c.unit]));
  const lines = ['dimension;key;criterion;lifecycleStep;value;unit'];
  const row = (dim: string, key: string, criterion: string, step: string, value: number) =>
    lines.push(
      [dim, key, criterion, step].map(safeCsvCell).join(';') + `;${value};${safeCsvCell(unit.get(criterion) ?? '')}`,
    );
  for (const c of totals.byCriterion) {
    for (const [step, v] of Object.entries(c.byStep)) row('total', '', c.criterion, step, v);
    row('total', '', c.criterion, 'ALL', c.value);
  }
  for (const [group, dims] of [
    ['', totals.by],
    ['allocation:', totals.allocations],
  ] as const)
    for (const [dim, byKey] of Object.entries(dims))
      for (const [key, byCrit] of Object.entries(byKey))
        for (const [criterion, v] of Object.entries(byCrit)) row(`${group}${dim}`, key, criterion, 'ALL', v);
  // F20 coverage apart from errors and §2.2 exclusions, as counts (unit: indicators, items).
  const count = (dim: string, key: string, criterion: string, step: string, n: number, what: string) =>
    lines.push([dim, key, criterion, step].map(safeCsvCell).join(';') + `;${n};${what}`);
  for (const [criterion, bySteps] of Object.entries(totals.coverage.notCovered.byCriterion))
    for (const [step, n] of Object.entries(bySteps)) count('notCovered', '', criterion, step, n, 'indicators');
  for (const [code, f] of Object.entries(totals.coverage.toFix.byCode))
    count('toFix', code, '', 'ALL', f.indicators, 'indicators');
  for (const [kind, k] of Object.entries(totals.outOfPeriod.byKind))
    count('outOfPeriod', kind, '', 'ALL', k.items, 'items');
  return lines.join('\n') + '\n';
}

/** JSON row: the error as code + English message (the Issue object stays internal). */
export function jsonRow(r: IndicatorRow): string {
  const { errorMessage, ...rest } = r;
  return JSON.stringify(errorMessage ? { ...rest, errorMessage: issueMessage(errorMessage, { name: r.item }) } : rest);
}

const fmt = (x: number): string => {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3);
  return x.toLocaleString('en-US', { maximumSignificantDigits: 4 });
};

/** A readable summary for a terminal. */
export function renderTable(meta: RunMeta, totals: Totals, extra: string[] = []): string {
  const lines: string[] = [];
  lines.push(
    `Empreinte ${meta.engine.version} — profile ${meta.profile}, reference date ${meta.referenceDate}, lifetime ${meta.lifetimeMethod}`,
  );
  lines.push(
    `Referential ${meta.referential.id} ${meta.referential.version} (hash ${meta.referential.hash.slice(0, 12)})`,
  );
  lines.push(
    `Period ${meta.period.start} to ${meta.period.end}: ${meta.period.shares ? 'each item counts for its share of days in service in it' : 'every line counts for the whole year (numecoeval)'}`,
  );
  lines.push(...extra);
  lines.push('');
  const steps = meta.steps;
  const header = ['criterion', 'unit', ...steps, 'total', 'people-eq.', 'errors'];
  const rows = totals.byCriterion.map((c) => [
    c.criterion,
    c.unit,
    ...steps.map((s) => (c.byStep[s] !== undefined ? fmt(c.byStep[s]!) : '–')),
    fmt(c.value),
    c.peopleEquivalent !== undefined ? fmt(c.peopleEquivalent) : '–',
    `${c.errors}/${c.indicators}`,
  ]);
  lines.push(...table([header, ...rows]));
  lines.push('');
  lines.push(
    `Electricity: ${fmt(totals.electricity.itKWh)} kWh/yr at the equipment, ${fmt(totals.electricity.facilityKWh)} kWh/yr with PUE`,
  );
  if (totals.averageLifetimeYears !== undefined)
    lines.push(`Average lifetime (quantity-weighted): ${fmt(totals.averageLifetimeYears)} years`);
  lines.push(...coverageLines(totals));
  lines.push(
    `Items: ${
      Object.entries(totals.items)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  const cc = meta.criteria.includes('CLIMATE_CHANGE') ? 'CLIMATE_CHANGE' : meta.criteria[0];
  if (cc) {
    for (const dim of ['type', 'tier', 'entity']) {
      const m = totals.by[dim];
      if (!m || Object.keys(m).length === 0) continue;
      const top = Object.entries(m)
        .map(([k, v]) => [k, v[cc] ?? 0] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10);
      lines.push('');
      lines.push(`${cc} by ${dim}:`);
      lines.push(...table(top.map(([k, v]) => [`  ${k}`, fmt(v)])));
    }
  }
  return lines.join('\n') + '\n';
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const where = (r: ItemRef): string => (r.file !== undefined ? ` (${r.file}:${r.line})` : '');

/** F20 coverage apart from errors, then the items out of the period (§2.2). */
function coverageLines(totals: Totals): string[] {
  const lines: string[] = [];
  const dc = totals.dataConsistency;
  const { notCovered, toFix } = totals.coverage;
  lines.push(`Data consistency: ${dc.errors} of ${dc.indicators} indicators not computed (${pct(dc.errorShare)})`);
  if (notCovered.indicators > 0) {
    const which = notCovered.openReferentialOnly ? 'the open referential' : 'the active referential';
    lines.push(
      `  not covered by ${which}: ${notCovered.indicators} (${pct(notCovered.share)}), criterion × step without a factor:`,
    );
    for (const [criterion, bySteps] of Object.entries(notCovered.byCriterion))
      lines.push(
        `    ${criterion}: ${Object.entries(bySteps)
          .map(([step, n]) => `${step} ${n}`)
          .join(', ')}`,
      );
    lines.push(`    to compute them, ${notCovered.howToLoad}`);
  }
  lines.push(`  to fix in your data: ${toFix.indicators} (${pct(toFix.share)})${toFix.indicators ? ':' : ''}`);
  for (const [code, f] of Object.entries(toFix.byCode)) {
    const more = f.items > f.first.length ? `, … ${f.items - f.first.length} more` : '';
    lines.push(
      `    ${code}: ${f.indicators} indicator(s) on ${f.items} item(s): ${f.first.map((r) => r.item + where(r)).join(', ')}${more}`,
    );
  }
  const out = totals.outOfPeriod;
  if (out.items > 0) {
    lines.push(
      `Out of the period: ${out.items} item(s) (${fmt(out.quantity)} units) left out of the totals (${out.code}):`,
    );
    for (const r of out.first) lines.push(`  ${r.item}${where(r)}, in service ${r.from} to ${r.to}`);
    if (out.items > out.first.length) lines.push(`  … ${out.items - out.first.length} more`);
  }
  return lines;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
