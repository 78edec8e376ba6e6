/**
 * `--format csv --long`: one `;`-separated row per indicator (through the one CSV writer, `src/formats/csv-write.ts`:
 * formula-leading text neutralised, numbers written as numbers). The header waits for the first row or the end.
 */
import type { IndicatorRow } from '../../engine/index.js';
import type { Layout } from '../../engine/layout.js';
import { ERROR, OK, type ItemResult } from '../../engine/result.js';
import type { FormulaOut } from '../../engine/formula.js';
import { num } from '../../engine/trace.js';
import {
  csvCell,
  csvFormat,
  csvPreamble,
  isFormulaStart,
  needsQuoting,
  plainNumbers,
  startsFormula,
  stringCell,
  type CsvFormat,
} from '../../formats/csv-write.js';
import { issueMessage, type Issue } from '../../issues/catalogue.js';
import type { AssessSink } from '../sink.js';
import type { TextOut } from '../text-out.js';
import { bufferedWrites, ByteRows, SpillReader, utf8 } from './buffered.js';
import { NumberBytes } from './number-bytes.js';

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

/** The header line of `--format csv --long` (with the BOM when the format asks for one: the file's start). */
export const csvHeader = (format: CsvFormat = csvFormat('en')): string => csvPreamble(CSV_COLUMNS, format);

/**
 * One indicator row; `value` is written as a number (never neutralised), every text cell through the CSV writer
 * (`csvCell`, the cells of `csvRecord` written in line without an array per row: this runs 14 million times for the long
 * CSV of a 1M-line inventory).
 */
export function csvRow(
  r: IndicatorRow,
  format: CsvFormat = csvFormat('en'),
  messages?: (issue: Issue, item: string) => string,
): string {
  const d = format.delimiter;
  return (
    csvCell(r.kind, format) +
    d +
    csvCell(r.item, format) +
    d +
    csvCell(r.entity ?? '', format) +
    d +
    csvCell(r.lifecycleStep, format) +
    d +
    csvCell(r.criterion, format) +
    d +
    csvCell(r.value, format) +
    d +
    csvCell(r.unit, format) +
    d +
    csvCell(r.status, format) +
    d +
    csvCell(r.errorCode ?? '', format) +
    d +
    csvCell(
      r.errorMessage ? (messages?.(r.errorMessage, r.item) ?? issueMessage(r.errorMessage, { name: r.item })) : '',
      format,
    ) +
    d +
    csvCell(r.tier, format) +
    d +
    csvCell(r.virtualEquipment ?? '', format) +
    d +
    csvCell(r.physicalEquipment ?? '', format) +
    d +
    csvCell(r.trace?.formula ?? r.formula ?? '', format) +
    '\n'
  );
}

/**
 * The error message of a row, rendered once per issue when its text does not name the item (the slots in error of
 * items sharing a reference item and location share their `Issue` objects), else once per (issue, item). Held weakly:
 * an issue of one item only is not kept after it.
 */
export function messageCache(): (issue: Issue, item: string) => string {
  const byIssue = new WeakMap<Issue, string | null>(); // null: the message names the item
  let lastIssue: Issue | undefined;
  let lastItem = '';
  let last = '';
  return (i, item) => {
    const known = byIssue.get(i);
    if (typeof known === 'string') return known;
    if (i === lastIssue && item === lastItem) return last;
    const text = issueMessage(i, { name: item });
    if (known === undefined) {
      const probe = issueMessage(i, { name: '\u0001' });
      byIssue.set(i, probe.includes('\u0001') ? null : text);
    }
    lastIssue = i;
    lastItem = item;
    last = text;
    return text;
  };
}

export function csvRowsSink(out: TextOut, format: CsvFormat = csvFormat('en')): AssessSink {
  if (out.writeBytes !== undefined) return csvRowsBytesSink(out, out.writeBytes.bind(out), format);
  let head: string | undefined;
  const buffer = bufferedWrites(out);
  const messages = messageCache();
  const write = (text: string) => {
    if (head !== undefined) {
      text = head + text;
      head = undefined;
    }
    return buffer.write(text);
  };
  return {
    rows: true,
    // The formula column is the trace's formula alone: the rest of the trace is not built.
    traceDetail: 'formula',
    begin: () => {
      head = csvHeader(format);
    },
    item: (_r, rows) => {
      let chunk = '';
      for (const row of rows) chunk += csvRow(row, format, messages);
      if (chunk) return write(chunk);
    },
    // As before this layer: a run without any row writes nothing, not even the header.
    totals: () => buffer.flush(),
    close: async () => {
      await buffer.flush();
      await out.close();
    },
    abort: () => out.abort(),
  };
}

/**
 * The long CSV to an output taking bytes (a file; issue 11: 14 million rows for a 1M-line inventory). The first item
 * with rows is written from its indicator rows (`csvRow`), which also tells how the run asked for them: with the
 * formula text alone or without trace. Then every item is written from its result directly, without row objects nor
 * row strings: the cells that depend on the slot only (lifecycle step, criterion, unit, status) and those of the item
 * (kind, name, entity; tier, virtual and physical equipment) are made by `csvCell` once and encoded once; the value
 * cells' texts are kept per number (`NumberBytes`), and an item that can write its formula piece by piece
 * (`writeFormula`) writes it straight into the output's bytes (`FormulaCell`), other formulas going through `csvCell`.
 * The same bytes as `csvRow` row for row (test/app/sinks-csv-bytes.test.ts compares both on every kind of item and in
 * both locales). Runs whose rows carry whole traces (`--hide-licensed` rewrites them) stay on the rows.
 */
function csvRowsBytesSink(
  out: TextOut,
  writeBytes: (b: Uint8Array) => void | Promise<void>,
  format: CsvFormat,
): AssessSink {
  const w = new ByteRows(writeBytes);
  const messages = messageCache();
  let headerDue = false;
  let layout: Layout | undefined;
  /** Unknown until a first row is seen; then direct (with the formula or without any trace) or from the rows. */
  let mode: 'unknown' | 'rows' | 'formula' | 'no-trace' = 'unknown';
  let direct: ((r: ItemResult) => void) | undefined;
  /** The scratch file of the worker's rows, when it has one. */
  let spill: SpillReader | undefined;
  const writeHead = () => {
    if (headerDue) {
      w.text(csvHeader(format));
      headerDue = false;
    }
  };
  return {
    rows: true,
    traceDetail: 'formula',
    begin: (_meta, l?: Layout) => {
      headerDue = true;
      layout = l;
    },
    item: (r, rows) => {
      if (direct !== undefined) {
        direct(r);
        return w.end();
      }
      for (const row of rows) {
        if (headerDue) {
          w.text(csvHeader(format));
          headerDue = false;
        }
        if (mode === 'unknown')
          mode =
            layout === undefined
              ? 'rows'
              : row.formula !== undefined
                ? 'formula'
                : row.trace === undefined
                  ? 'no-trace'
                  : 'rows';
        w.text(csvRow(row, format, messages));
      }
      if (mode === 'formula' || mode === 'no-trace')
        direct = directRows(w, layout!, format, messages, mode === 'formula');
      return w.end();
    },
    // The second part of a large table: its rows rendered by the worker with the same `directRows` (part-rows.ts), when
    // the run writes the formula text alone or no trace (whole traces stay on the rows, in this thread).
    // A file output gives a scratch file next to it: the rows wait there, not in memory (part-rows.ts).
    partRows: {
      spec: (trace) => {
        if (trace === true) return undefined;
        const scratch = out.scratch?.();
        if (scratch !== undefined) spill = new SpillReader(scratch);
        return {
          type: 'csv-long',
          format,
          withFormula: trace === 'formula',
          ...(scratch !== undefined ? { scratch } : {}),
        };
      },
      write: (bytes, start, end) => {
        if (end === start) return; // an item without rows (out of the period): no header either
        writeHead();
        w.copy(bytes, start, end - start);
        return w.end();
      },
      spilled: (start, end) => {
        if (end === start) return;
        writeHead();
        spill!.copy(w, start, end);
        return w.end();
      },
    },
    // As before this layer: a run without any row writes nothing, not even the header.
    totals: () => w.flush(),
    close: async () => {
      spill?.close();
      await w.flush();
      await out.close();
    },
    abort: () => {
      spill?.close();
      return out.abort();
    },
  };
}

/** Distinct texts kept encoded at most (a map of them is emptied when it reaches this size). */
const MEMO_LIMIT = 4096;

/**
 * Writes the rows of an item from its result: the rows `indicatorRows(r, layout, withFormula ? 'formula' : false)`
 * would give, as `csvRow` writes them (`messages`: `messageCache()`). The worker of a large table's second part writes
 * its rows with it too (`partRowWriter`).
 */
export function directRows(
  w: ByteRows,
  layout: Layout,
  format: CsvFormat,
  messages: (issue: Issue, item: string) => string,
  withFormula: boolean,
): (r: ItemResult) => void {
  const d = format.delimiter;
  const cell = (text: string) => csvCell(text, format);
  // Per slot: `;step;criterion;` (after the entity) and the cells after the value up to the error code.
  const mid: Uint8Array[] = [];
  const okTail: Uint8Array[] = [];
  const errorHead: Uint8Array[] = [];
  for (let s = 0; s < layout.size; s++) {
    mid.push(utf8(d + cell(layout.stepOf(s)) + d + cell(layout.criterionOf(s)) + d));
    const unit = d + cell(layout.unitOf(s)) + d;
    okTail.push(utf8(unit + cell('OK') + d + d + d));
    errorHead.push(utf8(unit + cell('ERROR') + d));
  }
  const kinds = new Map<string, string>();
  let lastEntity: string | undefined;
  let entityCell = '';
  let lastTier: string | undefined;
  let tierCell = '';
  const errors = new WeakMap<Issue, { readonly text: string; readonly bytes: Uint8Array }>(); // `code;message;`
  const noError = utf8(d + d);
  const constantFormulas = new Map<string, Uint8Array>(); // formulas of rows in error (texts without numbers)
  const memo = (m: Map<string, Uint8Array>, text: string): Uint8Array => {
    let b = m.get(text);
    if (b === undefined) {
      if (m.size >= MEMO_LIMIT) m.clear();
      b = utf8(text);
      m.set(text, b);
    }
    return b;
  };
  const NL = 10;
  // The value cell as `csvCell` writes it, kept per number; in a format writing numbers as `String` does, most value
  // cells are the text of the formula's result (the same number): then both are kept once, in the formula's table.
  const valueCells = new NumberBytes((x) => csvCell(x, format), 12, plainNumbers(format));
  const numbers = new NumberBytes(num, 12, true);
  const formulaCell = withFormula ? FormulaCell.for(w, d, numbers) : undefined;
  const shared = plainNumbers(format) ? numbers : undefined;
  return (r) => {
    if (r.outOfPeriod !== undefined) return;
    const { status, values } = r;
    let kindCell = kinds.get(r.kind);
    if (kindCell === undefined) kinds.set(r.kind, (kindCell = cell(r.kind)));
    const entity = r.entity ?? '';
    if (entity !== lastEntity) {
      lastEntity = entity;
      entityCell = cell(entity);
    }
    const tier = r.dims.tier;
    if (tier !== lastTier) {
      lastTier = tier;
      tierCell = cell(tier);
    }
    let head: Uint8Array | undefined;
    let tail: Uint8Array | undefined;
    for (let s = 0; s < layout.size; s++) {
      const st = status[s];
      if (st === 0) continue;
      if (head === undefined) {
        head = utf8(kindCell + d + cell(r.name) + d + entityCell);
        const ve = r.kind === 'application' ? (r.virtualEquipment ?? '') : '';
        const pe = r.kind === 'application' || r.kind === 'virtual-equipment' ? (r.physicalEquipment ?? '') : '';
        tail = utf8(tierCell + d + cell(ve) + d + cell(pe) + d);
      }
      w.bytes(head);
      w.bytes(mid[s]!);
      const v = values[s]!;
      if (shared !== undefined && stringCell(v)) shared.write(w, v);
      else valueCells.write(w, v);
      if (st === OK) w.bytes(okTail[s]!);
      else {
        w.bytes(errorHead[s]!);
        const err = st === ERROR ? r.errors.get(s) : undefined;
        if (err === undefined) w.bytes(noError);
        else {
          // The message is the same string for the slots of an issue (`messages`): its cells encoded once per issue.
          const text = messages(err, r.name);
          let e = errors.get(err);
          if (e === undefined || e.text !== text)
            errors.set(err, (e = { text, bytes: utf8(cell(err.code) + d + cell(text) + d) }));
          w.bytes(e.bytes);
        }
      }
      w.bytes(tail!);
      if (withFormula) {
        // Piece by piece into the bytes when the item can (`writeFormula`); else, or when the text turns out to need
        // quotes or the formula guard, as one text through `csvCell`.
        if (formulaCell === undefined || r.writeFormula === undefined || !formulaCell.write(r, s)) {
          const f = cell(r.formula ? r.formula(s) : r.explain(s).formula);
          if (st === OK) w.text(f);
          else w.bytes(memo(constantFormulas, f));
        }
      }
      w.byte(NL);
    }
  };
}

/** Text pieces of a formula remembered by index (`FormulaCell.text`). */
const LAST_PIECES = 16;

/** Every character `String` (the formula's `num`) writes a number with. */
const NUMBER_CHARS = '0123456789.-+eInfityNa';

/**
 * The formula cell of a row written straight into the bytes (issue 11): the item writes its formula piece by piece
 * (`ItemResult.writeFormula`, the same text as `formula(slot)`), each constant piece encoded once, each number's text
 * kept by `NumberBytes`. The bytes are those of `csvCell(text)` when that is the text itself: neither the formula guard
 * (a first character `=`, `+`, `-`, `@`, tab, CR) nor quotes (the delimiter, a double quote, CR, LF). A cell that needs
 * either is dropped (`ByteRows.rewind`) and `write` returns false: the caller writes it through `csvCell`.
 */
class FormulaCell implements FormulaOut {
  private readonly pieces = new Map<string, Uint8Array | null>(); // null: a piece that needs quotes
  private first = true;
  private verbatim = true;
  /** Index of the next text piece in the cell; the last formula's pieces by index. */
  private k = 0;
  private readonly lastText: string[] = new Array<string>(LAST_PIECES).fill('');
  private readonly lastBytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(LAST_PIECES).fill(null);

  private constructor(
    private readonly w: ByteRows,
    private readonly delimiter: string,
    private readonly numbers: NumberBytes,
  ) {}

  /**
   * The writer for a delimiter (`numbers`: the texts of `num`), or undefined when a number's text could hold the
   * delimiter (every formula then goes by text).
   */
  static for(w: ByteRows, delimiter: string, numbers: NumberBytes): FormulaCell | undefined {
    return delimiter.length === 1 && !needsQuoting(NUMBER_CHARS, delimiter)
      ? new FormulaCell(w, delimiter, numbers)
      : undefined;
  }

  /** Writes the formula cell of `r`'s slot; false (nothing written) when it must go through `csvCell`. */
  write(r: ItemResult, slot: number): boolean {
    this.first = true;
    this.verbatim = true;
    this.k = 0;
    this.w.mark();
    r.writeFormula!(slot, this);
    if (this.verbatim) this.w.unmark();
    else this.w.rewind();
    return this.verbatim;
  }

  text(s: string): void {
    if (!this.verbatim || s === '') return;
    if (this.first) {
      this.first = false;
      if (startsFormula(s)) {
        this.verbatim = false;
        return;
      }
    }
    // The k-th piece of a formula is most often the k-th piece of the previous one (the same formula and variant):
    // compared by identity first, then looked up.
    const k = this.k++;
    let b: Uint8Array | null | undefined;
    if (k < LAST_PIECES && this.lastText[k] === s) b = this.lastBytes[k];
    else {
      b = this.pieces.get(s);
      if (b === undefined) {
        if (this.pieces.size >= MEMO_LIMIT) this.pieces.clear();
        b = needsQuoting(s, this.delimiter) ? null : utf8(s);
        this.pieces.set(s, b);
      }
      if (k < LAST_PIECES) {
        this.lastText[k] = s;
        this.lastBytes[k] = b;
      }
    }
    if (b === null) this.verbatim = false;
    else this.w.bytes(b!);
  }

  num(x: number): void {
    if (!this.verbatim) return;
    const c = this.numbers.write(this.w, x);
    if (this.first && c === c) {
      this.first = false;
      if (isFormulaStart(c)) this.verbatim = false;
    }
  }
}
