/**
 * `--format table`: a readable summary for a terminal (control characters of the inventory's names removed): the run's
 * metadata, one line per input file, the totals per criterion and step, coverage, and the largest contributors.
 * Quantities are shown in the unit that reads best (`src/outputs/units.ts`): one unit per criterion row (the scale of
 * its largest value: `3,931 t CO2 eq`, not `3.931e+6 kg`), one per value elsewhere.
 */
import type { ItemRef, RunMeta, Totals } from '../../engine/index.js';
import { commonScale, formatQuantity, readableNumber } from '../../outputs/units.js';
import type { AssessSink, InventoryFileSummary } from '../sink.js';
import { printable } from '../terminal-text.js';
import type { TextOut } from '../text-out.js';

/** The line of one input file in the table's head. */
export const inputLine = (f: InventoryFileSummary): string =>
  `Input ${f.file}: ${f.kind ?? '?'}, ${f.read} lines read, ${f.imported} imported, ${f.rejected} rejected, ${f.warnings} warnings`;

export function tableSink(out: TextOut): AssessSink {
  return {
    rows: false,
    begin: () => undefined,
    totals: (s) => out.write(renderTable(s.meta, s.totals, s.inventory.map(inputLine))),
    close: () => out.close(),
    abort: () => out.abort(),
  };
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
  // The pack hash is the one `referential list` and `show` print; the merged hash also covers the profile, the
  // electricity dataset and user layers, so it names the exact data of this run.
  const withPack = meta.referential.layers.filter((l) => l.packHash !== undefined);
  const packs = withPack.map((l) => `pack ${withPack.length > 1 ? `${l.name} ` : ''}hash ${l.packHash!.slice(0, 12)}`);
  lines.push(
    `Referential ${meta.referential.id} ${meta.referential.version} (${[...packs, `merged hash ${meta.referential.hash.slice(0, 12)}`].join(', ')})`,
  );
  lines.push(
    `Period ${meta.period.start} to ${meta.period.end}: ${meta.period.shares ? 'each item counts for its share of days in service in it' : 'every line counts for the whole year (numecoeval)'}`,
  );
  lines.push(...extra.map((l) => printable(l, true)));
  lines.push('');
  const steps = meta.steps;
  const header = ['criterion', 'unit', ...steps, 'total', 'people-eq.', 'errors'];
  const rows = totals.byCriterion.map((c) => {
    const scale = commonScale([c.value, ...Object.values(c.byStep)], c.unit);
    const show = (v: number): string => readableNumber(v * scale.factor);
    return [
      c.criterion,
      scale.unit,
      ...steps.map((s) => (c.byStep[s] !== undefined ? show(c.byStep[s]!) : '–')),
      show(c.value),
      c.peopleEquivalent !== undefined ? fmt(c.peopleEquivalent) : '–',
      `${c.errors}/${c.indicators}`,
    ];
  });
  lines.push(...table([header, ...rows]));
  lines.push('');
  lines.push(
    `Electricity: ${formatQuantity(totals.electricity.itKWh, 'kWh')}/yr at the equipment, ${formatQuantity(totals.electricity.facilityKWh, 'kWh')}/yr with PUE`,
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
      const unit = totals.byCriterion.find((c) => c.criterion === cc)?.unit ?? '';
      lines.push(`${cc} by ${dim}:`);
      lines.push(...table(top.map(([k, v]) => [`  ${k}`, formatQuantity(v, unit)])));
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
