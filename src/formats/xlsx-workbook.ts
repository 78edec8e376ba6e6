/**
 * The parts of an XLSX package (ECMA-376 Part 1, SpreadsheetML) the reader needs before any worksheet row:
 *
 * - the workbook part (`_rels/.rels` officeDocument relationship, normally `xl/workbook.xml`): sheet names in workbook
 *   order, each resolved to its worksheet part through the workbook's relationships (`xl/_rels/workbook.xml.rels`),
 *   and the `date1904` flag of `<workbookPr>`;
 * - the shared string table (`xl/sharedStrings.xml`), held in memory since any cell may refer to any string;
 * - the styles part (`xl/styles.xml`): for each `cellXfs` index (a cell's `s` attribute), whether its number format
 *   displays a date.
 *
 * Element and attribute names are matched by local name (prefixes such as `x:` written by some generators ignored).
 * Every part is streamed through `saxes` (`xlsx-zip.ts`); errors are plain `Error`s the caller turns into file issues.
 */
import { posix } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { LimitExceeded, MAX_RECORD_CHARS, grouped } from './limits.js';
import { parseXmlEntry } from './xlsx-zip.js';
import { zipEntries, type ZipEntryInfo } from './zip-entry.js';

export interface WorkbookSheet {
  readonly name: string;
  /** The worksheet part (undefined for a sheet whose part is missing from the package). */
  readonly entry: ZipEntryInfo | undefined;
}

export interface WorkbookInfo {
  readonly sheets: readonly WorkbookSheet[];
  readonly date1904: boolean;
  readonly sharedStrings: ZipEntryInfo | undefined;
  readonly styles: ZipEntryInfo | undefined;
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

/** Local name of an XML element or attribute name (`x:row` → `row`). */
export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Value of attribute `name` (matched by local name, prefixed or not). */
export function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const direct = tag.attributes[name];
  if (typeof direct === 'string') return direct;
  for (const [key, value] of Object.entries(tag.attributes)) {
    if (typeof value === 'string' && localName(key) === name) return value;
  }
  return undefined;
}

/** `_xHHHH_` escapes of SpreadsheetML strings (ST_Xstring: control characters, `_x005F_` for `_`) decoded. */
export function decodeXstring(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

interface Relationship {
  readonly type: string;
  readonly target: string;
}

/** Part name of `target` relative to the part `source` (`xl/workbook.xml` + `worksheets/a.xml` → `xl/worksheets/a.xml`). */
function resolvePart(source: string, target: string): string {
  if (target.startsWith('/')) return posix.normalize(target.slice(1));
  return posix.normalize(posix.join(posix.dirname(source), target));
}

/** Relationships part of `source` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`). */
function relsPart(source: string): string {
  const dir = posix.dirname(source);
  return `${dir === '.' ? '' : dir + '/'}_rels/${posix.basename(source)}.rels`;
}

class Package {
  private readonly byName = new Map<string, ZipEntryInfo>();

  constructor(
    readonly path: string,
    entries: readonly ZipEntryInfo[],
  ) {
    for (const e of entries) this.byName.set(e.name.toLowerCase(), e);
  }

  /** Entry of a part name (ZIP names compared case-insensitively, as OPC part names are). */
  entry(part: string): ZipEntryInfo | undefined {
    return this.byName.get(part.toLowerCase());
  }

  async relationships(source: string): Promise<Map<string, Relationship>> {
    const out = new Map<string, Relationship>();
    const entry = this.entry(relsPart(source));
    if (!entry) return out;
    const parser = new SaxesParser({ xmlns: false });
    parser.on('opentag', (tag) => {
      if (localName(tag.name) !== 'Relationship') return;
      if (attribute(tag, 'TargetMode') === 'External') return;
      const id = attribute(tag, 'Id');
      const target = attribute(tag, 'Target');
      if (id === undefined || target === undefined) return;
      out.set(id, { type: attribute(tag, 'Type') ?? '', target: resolvePart(source, target) });
    });
    await parseXmlEntry(this.path, entry, parser);
    return out;
  }
}

/** Read the package structure: sheets in workbook order, date system, shared strings and styles parts. */
export async function readWorkbook(path: string): Promise<WorkbookInfo> {
  const pkg = new Package(path, await zipEntries(path));
  let workbookPart = 'xl/workbook.xml';
  for (const rel of (await pkg.relationships('')).values()) {
    if (REL_OFFICE_DOCUMENT.test(rel.type)) {
      workbookPart = rel.target;
      break;
    }
  }
  const workbook = pkg.entry(workbookPart);
  if (!workbook) throw new Error(`no ${workbookPart}: not an XLSX workbook`);

  const declared: { name: string; rid: string | undefined }[] = [];
  let date1904 = false;
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'workbookPr': {
        const v = attribute(tag, 'date1904');
        date1904 = v === '1' || v === 'true';
        return;
      }
      case 'sheet': {
        const name = attribute(tag, 'name') ?? `Sheet${declared.length + 1}`;
        // r:id is the only attribute of <sheet> whose local name is "id" (sheetId is a different name).
        let rid: string | undefined;
        for (const [key, value] of Object.entries(tag.attributes)) {
          if (key !== 'sheetId' && localName(key) === 'id' && typeof value === 'string') rid = value;
        }
        declared.push({ name, rid });
        return;
      }
    }
  });
  await parseXmlEntry(path, workbook, parser);

  const rels = await pkg.relationships(workbookPart);
  let sharedStrings: ZipEntryInfo | undefined;
  let styles: ZipEntryInfo | undefined;
  for (const rel of rels.values()) {
    if (REL_SHARED_STRINGS.test(rel.type)) sharedStrings ??= pkg.entry(rel.target);
    else if (REL_STYLES.test(rel.type)) styles ??= pkg.entry(rel.target);
  }
  const dir = posix.dirname(workbookPart);
  sharedStrings ??= pkg.entry(posix.join(dir, 'sharedStrings.xml'));
  styles ??= pkg.entry(posix.join(dir, 'styles.xml'));

  const sheets = declared.map(({ name, rid }) => {
    const rel = rid === undefined ? undefined : rels.get(rid);
    return { name, entry: rel ? pkg.entry(rel.target) : undefined };
  });
  return { sheets, date1904, sharedStrings, styles };
}

/**
 * The shared string table: each `<si>` as plain text (its `<t>`, or the `<t>` of its rich-text runs `<r>`, joined;
 * phonetic runs `<rPh>` excluded; `_xHHHH_` escapes decoded). At most `maxStrings` strings of at most 1 MiB each
 * (`LimitExceeded` beyond): the table is held in memory.
 */
export async function readSharedStrings(
  path: string,
  entry: ZipEntryInfo | undefined,
  maxStrings = Number.MAX_SAFE_INTEGER,
): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  const parser = new SaxesParser({ xmlns: false });
  let inItem = false;
  let inText = 0;
  let phonetic = 0;
  let text = '';
  const onText = (t: string): void => {
    if (inItem && inText > 0 && phonetic === 0) {
      if (text.length + t.length > MAX_RECORD_CHARS) {
        throw new LimitExceeded(
          `shared string ${strings.length} holds more than ${grouped(MAX_RECORD_CHARS)} characters`,
        );
      }
      text += t;
    }
  };
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'si':
        inItem = true;
        text = '';
        return;
      case 't':
        if (inItem && !tag.isSelfClosing) inText++;
        return;
      case 'rPh':
        if (inItem && !tag.isSelfClosing) phonetic++;
        return;
    }
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    switch (localName(tag.name)) {
      case 'si':
        if (strings.length >= maxStrings) {
          throw new LimitExceeded(`the shared string table holds more than ${grouped(maxStrings)} strings`);
        }
        strings.push(decodeXstring(text));
        inItem = false;
        inText = 0;
        phonetic = 0;
        return;
      case 't':
        if (!tag.isSelfClosing && inText > 0) inText--;
        return;
      case 'rPh':
        if (!tag.isSelfClosing && phonetic > 0) phonetic--;
        return;
    }
  });
  await parseXmlEntry(path, entry, parser);
  return strings;
}

/**
 * Built-in number formats that display a date or time (ECMA-376 Part 1 §18.8.30): 14–17 dates (`m/d/yyyy`,
 * `d-mmm-yy`, `d-mmm`, `mmm-yy`), 18–21 times (`h:mm AM/PM`, `h:mm:ss AM/PM`, `h:mm`, `h:mm:ss`), 22 `m/d/yyyy h:mm`,
 * 45–47 `mm:ss`, `[h]:mm:ss`, `mm:ss.0`.
 */
export function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/**
 * Whether a custom format code displays a date: after removing quoted literals (`"…"`), bracketed sections (`[Red]`,
 * `[$-409]`, `[h]`), escaped characters (`\x`) and the padding/fill directives `_x` / `*x`, it still contains a day,
 * month or year token (`d`, `m`, `y`, any case).
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*]/g, '')
    .replace(/[\\_*]./g, '');
  return /[dmy]/i.test(bare);
}

/** Cell formats a workbook may define (Excel's specification limit is 65 490 unique cell formats). */
const MAX_CELL_STYLES = 65_536;

/** For each `cellXfs` index, whether cells of that style display a date. */
export async function readDateStyles(path: string, entry: ZipEntryInfo | undefined): Promise<boolean[]> {
  const styles: boolean[] = [];
  if (!entry) return styles;
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  const parser = new SaxesParser({ xmlns: false });
  let inNumFmts = false;
  let inCellXfs = false;
  parser.on('opentag', (tag) => {
    switch (localName(tag.name)) {
      case 'numFmts':
        inNumFmts = !tag.isSelfClosing;
        return;
      case 'numFmt': {
        if (!inNumFmts) return; // differential formats (<dxfs>) carry numFmts of their own
        const id = Number.parseInt(attribute(tag, 'numFmtId') ?? '', 10);
        const code = attribute(tag, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
        return;
      }
      case 'cellXfs':
        inCellXfs = !tag.isSelfClosing;
        return;
      case 'xf':
        if (!inCellXfs) return;
        if (xfFormats.length >= MAX_CELL_STYLES) {
          throw new LimitExceeded(`the styles part defines more than ${grouped(MAX_CELL_STYLES)} cell formats`);
        }
        xfFormats.push(Number.parseInt(attribute(tag, 'numFmtId') ?? '0', 10));
        return;
    }
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 'cellXfs') inCellXfs = false;
    else if (name === 'numFmts') inNumFmts = false;
  });
  await parseXmlEntry(path, entry, parser);
  for (const id of xfFormats) {
    const code = custom.get(id);
    styles.push(code !== undefined ? isDateFormatCode(code) : isBuiltInDateFormat(id));
  }
  return styles;
}
