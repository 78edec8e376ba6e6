/**
 * A streaming XLSX writer (issue 11, `--format xlsx`): SpreadsheetML written by hand into the streaming ZIP container
 * of `zip-write.ts`, no dependency. Sheets are written one after another, each row appended as it comes and deflated
 * at once, so that a sheet of a million items takes the memory of one row plus zlib's window; the workbook,
 * relationships, content types and styles parts are written at the end, when the sheet names are all known (readers
 * locate parts through the central directory, whatever their order). Typical use: the items sheet streamed first,
 * then the small totals and breakdowns sheets.
 *
 * Cells:
 * - a number is a number cell (`<v>` with JavaScript's shortest round-trip text); a non-finite number, which the
 *   engine never produces, is written as an empty cell;
 * - a boolean is a boolean cell; `undefined`, `null` and `''` leave the cell out (empty);
 * - text is an inline string (`t="inlineStr"`), never a formula: the writer emits no `<f>` element, so `=1+1` or
 *   `@SUM(A1)` stays the text it is (no `'` needed, unlike CSV, and none added: the text reads back unchanged).
 *   Text is XML-escaped; the characters XML 1.0 cannot carry (C0 controls other than tab and line feed, U+FFFE, U+FFFF
 *   and lone surrogates) are removed; a carriage return is kept as `&#13;`.
 *
 * Excel's limits are enforced with `OUT_FORMAT_LIMIT` (the row or cell is refused before anything of it is written):
 * 1,048,576 rows and 16,384 columns per sheet, 32,767 characters per cell (after removing the characters above), sheet
 * names of 1–31 characters without `[ ] : * ? / \`, unique regardless of case. The ZIP container adds its own (4 GiB
 * per part, no ZIP64), also `OUT_FORMAT_LIMIT`.
 */
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { ZipWriter, type ByteSink } from './zip-write.js';

export type XlsxCell = string | number | boolean | null | undefined;

/** Excel's limits (Microsoft, "Excel specifications and limits"). */
export const XLSX_LIMITS = {
  rows: 1_048_576,
  columns: 16_384,
  cellChars: 32_767,
  sheetNameChars: 31,
} as const;

export interface XlsxSheetOptions {
  /** Bold first row, frozen so that it stays visible when scrolling (default true when `header` is given). */
  readonly header?: readonly string[];
}

export interface XlsxWriterOptions {
  /** zlib level of the sheet parts (default 6; 1 is about twice as fast for a file about a third larger). */
  readonly level?: number;
}

/** A sheet being written: append rows, then close it before adding the next sheet. */
export interface XlsxSheetWriter {
  readonly name: string;
  /** Rows written so far (the header included). */
  readonly rows: number;
  appendRow(cells: readonly XlsxCell[]): Promise<void>;
  close(): Promise<void>;
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Text accumulated before a write into the deflater (fewer, larger zlib calls). */
const FLUSH_CHARS = 1 << 16;

/** `OUT_FORMAT_LIMIT` for an XLSX limit. */
function xlsxLimit(what: string, limit: string): EmpreinteError {
  return new EmpreinteError(issue('OUT_FORMAT_LIMIT', { format: 'XLSX', what, limit }));
}

/** Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA, 16383 → XFD. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// C0 controls other than tab, LF and CR; the non-characters U+FFFE/U+FFFF; lone surrogates.
/* eslint-disable no-control-regex -- matching control characters is the point */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
/* eslint-enable no-control-regex */

/** Text without the characters XML 1.0 cannot carry (what a cell will hold once read back). */
export function xmlSafeText(text: string): string {
  return text.replace(INVALID_XML, '');
}

/** Escape text for element content (after `xmlSafeText`). */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}

/** Sheet-name rules of Excel; throws `OUT_FORMAT_LIMIT`. */
function checkSheetName(name: string, taken: ReadonlySet<string>): void {
  if (name.length === 0 || name.length > XLSX_LIMITS.sheetNameChars)
    throw xlsxLimit(`a sheet named '${name}'`, '1 to 31 characters per sheet name');
  if (/[[\]:*?/\\]/.test(name) || name.startsWith("'") || name.endsWith("'") || xmlSafeText(name) !== name)
    throw xlsxLimit(`a sheet named '${name}'`, "no [ ] : * ? / \\ in a sheet name, no ' at its ends");
  if (taken.has(name.toLowerCase())) throw xlsxLimit(`two sheets named '${name}'`, 'one sheet per name');
}

/**
 * Writes one workbook to a byte sink:
 * `const x = new XlsxWriter(sink); const s = await x.addSheet('items', { header }); await s.appendRow([...]); …;
 * await s.close(); …; await x.close();`
 */
export class XlsxWriter {
  private readonly zip: ZipWriter;
  private readonly sheets: string[] = [];
  private readonly taken = new Set<string>();
  private current: XlsxSheetWriter | undefined;
  private closed = false;
  /** Column letters computed so far (per writer: no module state). */
  private readonly letters: string[] = [];

  private readonly level: number | undefined;

  constructor(sink: ByteSink, options: XlsxWriterOptions = {}) {
    this.zip = new ZipWriter(sink);
    this.level = options.level;
  }

  /** Bytes written to the sink so far. */
  get bytesWritten(): number {
    return this.zip.bytesWritten;
  }

  private column(i: number): string {
    for (let k = this.letters.length; k <= i; k++) this.letters.push(columnLetters(k));
    return this.letters[i]!;
  }

  /** Start the next sheet (the previous one must be closed), with its header row when given. */
  async addSheet(name: string, options: XlsxSheetOptions = {}): Promise<XlsxSheetWriter> {
    if (this.closed) throw new Error('XLSX workbook already closed');
    if (this.current) throw new Error(`sheet ${this.current.name} is not closed`);
    checkSheetName(name, this.taken);
    this.taken.add(name.toLowerCase());
    this.sheets.push(name);
    const entry = this.zip.entry(
      `xl/worksheets/sheet${this.sheets.length}.xml`,
      this.level !== undefined ? { level: this.level } : {},
    );
    let buffer =
      XML_DECL +
      `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      (options.header
        ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        : '') +
      '<sheetData>';
    let rows = 0;
    let open = true;
    const flush = async () => {
      const text = buffer;
      buffer = '';
      await entry.write(text);
    };
    const append = async (cells: readonly XlsxCell[], style: number): Promise<void> => {
      if (!open) throw new Error(`sheet ${name} is closed`);
      if (rows >= XLSX_LIMITS.rows)
        throw xlsxLimit(
          `more than ${XLSX_LIMITS.rows.toLocaleString('en-US')} rows in sheet ${name}`,
          '1,048,576 rows',
        );
      if (cells.length > XLSX_LIMITS.columns)
        throw xlsxLimit(`${cells.length} columns in sheet ${name}`, '16,384 columns');
      const r = rows + 1;
      let xml = `<row r="${r}">`;
      const s = style ? ` s="${style}"` : '';
      for (let i = 0; i < cells.length; i++) {
        const v = cells[i];
        if (v === undefined || v === null || v === '') continue;
        const ref = this.column(i) + r;
        if (typeof v === 'number') {
          if (Number.isFinite(v)) xml += `<c r="${ref}"${s}><v>${v}</v></c>`;
        } else if (typeof v === 'boolean') {
          xml += `<c r="${ref}"${s} t="b"><v>${v ? 1 : 0}</v></c>`;
        } else {
          let text = String(v);
          if (NEEDS_WORK.test(text)) text = xmlSafeText(text);
          if (text.length > XLSX_LIMITS.cellChars)
            throw xlsxLimit(
              `a text of ${text.length} characters (sheet ${name}, cell ${ref})`,
              '32,767 characters per cell',
            );
          if (text === '') continue;
          xml += `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${NEEDS_WORK.test(text) ? escapeXml(text) : text}</t></is></c>`;
        }
      }
      rows = r;
      buffer += xml + '</row>';
      if (buffer.length >= FLUSH_CHARS) await flush();
    };
    const sheet: XlsxSheetWriter = {
      name,
      get rows() {
        return rows;
      },
      appendRow: (cells) => append(cells, 0),
      close: async () => {
        if (!open) return;
        open = false;
        buffer += '</sheetData></worksheet>';
        await flush();
        await entry.close();
        this.current = undefined;
      },
    };
    this.current = sheet;
    if (options.header) await append(options.header, 1);
    return sheet;
  }

  /** Write the workbook parts and the ZIP directory; the file is complete when this resolves. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.current) throw new Error(`sheet ${this.current.name} is not closed`);
    if (this.sheets.length === 0) throw xlsxLimit('a workbook without sheets', 'at least one sheet');
    this.closed = true;
    const n = this.sheets.length;
    const ids = this.sheets.map((_, i) => i + 1);
    await this.zip.add(
      '[Content_Types].xml',
      XML_DECL +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        ids
          .map(
            (i) =>
              `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '</Types>',
    );
    await this.zip.add(
      '_rels/.rels',
      XML_DECL +
        `<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
        '</Relationships>',
    );
    await this.zip.add(
      'xl/workbook.xml',
      XML_DECL +
        `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets>` +
        this.sheets
          .map((s, i) => `<sheet name="${escapeAttribute(s)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('') +
        '</sheets></workbook>',
    );
    await this.zip.add(
      'xl/_rels/workbook.xml.rels',
      XML_DECL +
        `<Relationships xmlns="${NS_PKG_REL}">` +
        ids
          .map((i) => `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`)
          .join('') +
        `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
        '</Relationships>',
    );
    // Minimal styles: style 0 the default, style 1 bold (header rows).
    await this.zip.add(
      'xl/styles.xml',
      XML_DECL +
        `<styleSheet xmlns="${NS_MAIN}">` +
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
        '</styleSheet>',
    );
    await this.zip.finish();
  }
}
