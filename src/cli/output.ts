/**
 * Writers for assessment results: streaming JSON, `;`-separated CSV (through the one CSV writer,
 * `src/formats/csv-write.ts`: formula-leading text neutralised, numbers written as numbers), and a readable table
 * (terminal-safe). Files are written to a temporary sibling and renamed at the end, so a failed run leaves no partial
 * output; the temporary file is registered for removal on SIGINT/SIGTERM, and those of killed runs are removed before
 * writing. An output that cannot be written is a coded one-line error (`OUT_UNWRITABLE`), found before the work starts
 * when possible (a folder, a missing or read-only parent).
 */
import { type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IndicatorRow, ItemRef, RunMeta, Totals } from '../engine/index.js';
import { EmpreinteError, issue, issueMessage } from '../issues/catalogue.js';
import { csvRecord } from '../formats/csv-write.js';
import { isOsError, osReason } from '../formats/os-error.js';
import { removeStaleTemps, tempPath, type TempFiles } from '../formats/temp-files.js';
import { printable } from './terminal.js';

export interface Sink {
  write(s: string): void | Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * stdout as a sink. A write error (EPIPE when the reader of a pipe has gone, as with `| head`) is caught, not an
 * unhandled stream event, and raised as `OUT_UNWRITABLE` on `<stdout>` at the next write or at `close`.
 */
function stdoutSink(): Sink {
  const stdout = process.stdout;
  let failed: Error | undefined;
  const onError = (e: Error) => (failed ??= e);
  stdout.on('error', onError);
  const done = () => stdout.off('error', onError);
  const fail = (e: Error) => unwritable('<stdout>', e);
  return {
    write: (s) => {
      if (failed) throw fail(failed);
      if (!stdout.write(s))
        return new Promise<void>((resolve, reject) => {
          const onDrain = () => {
            stdout.off('error', onWriteError);
            resolve();
          };
          const onWriteError = (e: Error) => {
            stdout.off('drain', onDrain);
            reject(fail(e));
          };
          stdout.once('drain', onDrain);
          stdout.once('error', onWriteError);
        });
    },
    close: async () => {
      done();
      if (failed) throw fail(failed);
    },
    abort: async () => {
      done();
    },
  };
}

/** `OUT_UNWRITABLE` for an output path and the OS error met writing it. */
export function unwritable(file: string, e: unknown): EmpreinteError {
  if (e instanceof EmpreinteError) return e;
  return new EmpreinteError(issue('OUT_UNWRITABLE', { reason: osReason(e) }, { file }));
}

/**
 * Check that `out` can be a file written by this run: not a folder, its folder exists and is a folder. Throws
 * `OUT_UNWRITABLE`.
 */
export async function checkOutputFile(out: string): Promise<void> {
  try {
    if ((await stat(out)).isDirectory())
      throw new EmpreinteError(issue('OUT_UNWRITABLE', { reason: 'it is a folder' }, { file: out }));
  } catch (e) {
    if (!isOsError(e) || e.code !== 'ENOENT') throw unwritable(out, e);
  }
  const dir = dirname(out);
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw isOsError(e) && e.code === 'ENOENT'
      ? new EmpreinteError(issue('OUT_UNWRITABLE', { reason: `folder ${dir} does not exist` }, { file: out }))
      : unwritable(out, e);
  }
  if (!st.isDirectory())
    throw new EmpreinteError(issue('OUT_UNWRITABLE', { reason: `${dir} is not a folder` }, { file: out }));
}

/**
 * Check that `dir` can be the rejects folder: an existing folder, or a path whose nearest existing parent is a
 * folder (it is created on the first rejected line). Throws `OUT_UNWRITABLE`.
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  for (let p = dir; ;) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      if (!isOsError(e) || e.code !== 'ENOENT') throw unwritable(dir, e);
      const parent = dirname(p);
      if (parent === p) return;
      p = parent;
      continue;
    }
    if (st.isDirectory()) return;
    throw new EmpreinteError(
      issue('OUT_UNWRITABLE', { reason: p === dir ? 'it is not a folder' : `${p} is not a folder` }, { file: dir }),
    );
  }
}

/**
 * A sink on stdout, or on a file written atomically (temp file + rename). The file case opens its temporary file
 * before returning, so an unwritable target fails before any work.
 */
export async function openSink(out: string | undefined, temps?: TempFiles): Promise<Sink> {
  if (out === undefined) return stdoutSink();
  await checkOutputFile(out);
  await removeStaleTemps(out);
  const tmp = tempPath(out);
  let ws: WriteStream;
  try {
    ws = (await open(tmp, 'w')).createWriteStream();
  } catch (e) {
    throw unwritable(out, e);
  }
  temps?.add(tmp);
  let failed: Error | undefined;
  ws.on('error', (e) => (failed ??= e));
  const drop = async () => {
    ws.destroy();
    await rm(tmp, { force: true }).catch(() => undefined); // best effort: the failure being reported matters more
    temps?.delete(tmp);
  };
  return {
    write: (s) => {
      if (failed) throw unwritable(out, failed);
      if (!ws.write(s))
        return new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => {
            ws.off('drain', onDrain);
            reject(unwritable(out, e));
          };
          const onDrain = () => {
            ws.off('error', onError);
            resolve();
          };
          ws.once('drain', onDrain);
          ws.once('error', onError);
        });
    },
    close: async () => {
      if (!failed) await new Promise<void>((res) => ws.end(() => res()));
      try {
        if (failed) throw failed;
        await rename(tmp, out);
      } catch (e) {
        await drop();
        throw unwritable(out, e);
      }
      temps?.delete(tmp);
    },
    abort: drop,
  };
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

/** The header line of `--format csv`. */
export const csvHeader = (): string => csvRecord(CSV_COLUMNS) + '\n';

/** One indicator row; `value` is written as a number (never neutralised), every text cell through the CSV writer. */
export function csvRow(r: IndicatorRow): string {
  const cells = [
    r.kind,
    r.item,
    r.entity ?? '',
    r.lifecycleStep,
    r.criterion,
    r.value,
    r.unit,
    r.status,
    r.errorCode ?? '',
    r.errorMessage ? issueMessage(r.errorMessage, { name: r.item }) : '',
    r.tier,
    r.virtualEquipment ?? '',
    r.physicalEquipment ?? '',
    r.trace?.formula ?? '',
  ];
  return csvRecord(cells) + '\n';
}

/**
 * `--format csv --summary`: the totals as `;`-separated rows `dimension;key;criterion;lifecycleStep;value;unit`:
 * the inventory total per criterion and step (dimension `total`), then each breakdown and each allocation (all steps),
 * then the counts `notCovered` (per criterion and step), `toFix` (per code) and `outOfPeriod` (items per kind).
 */
export function totalsCsv(totals: Totals): string {
  const unit = new Map(totals.byCriterion.map((c) => [c.criterion, c.unit]));
  const lines = [csvRecord(['dimension', 'key', 'criterion', 'lifecycleStep', 'value', 'unit'])];
  const row = (dim: string, key: string, criterion: string, step: string, value: number) =>
    lines.push(csvRecord([dim, key, criterion, step, value, unit.get(criterion) ?? '']));
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
    lines.push(csvRecord([dim, key, criterion, step, n, what]));
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

/** A readable summary for a terminal (control characters of the inventory's names removed). */
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
  lines.push(...extra.map((l) => printable(l, true)));
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
  return printable(lines.join('\n') + '\n');
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

function table(cells: string[][]): string[] {
  const rows = cells.map((r) => r.map((c) => printable(c, true)));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
