/**
 * Fuzz suite of the readers (issue 9): seeded fast-check generators of structured hostile inputs — CSV quotes,
 * delimiters, line ends (LF, CRLF, CR), encodings (BOM, Windows-1252, invalid UTF-8 bytes, NUL), long cells; ODS
 * repeat attributes, entities and DOCTYPEs; XLSX row and cell references, cell types, shared strings; YAML mappings
 * with anchors and aliases. Every run goes through the CLI (`validate --format json`, in process) and must hold: no
 * crash (exit 0 or 2, never an internal error), one coded line on exit 2, read = imported + rejected, and the peak
 * memory of the process at most 300 MB above its baseline.
 *
 * Runs: `FUZZ_RUNS` (default 200 per property, `npm run fuzz` runs 5 000), fixed seed `FUZZ_SEED` (default below).
 * `FUZZ_LOG=<file>` appends one line per run (input kind, exit code, error line) to count the outcomes.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { parseMappingText } from '../../src/inventory/mapping/loader.js';
import { EQUIPMENT_HEADER, ods, xlsx, xmlText } from './archives.js';
import { expectValidateHeld, liveHeapMB, logRun, peakRssMB, runCli, settle } from './cli.js';

/** The generated type of an arbitrary. */
type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Per property: generous, since the machine may be shared (about 10 ms a run when it is not). */
const TIMEOUT_MS = Math.max(120_000, RUNS * 100);
const PARAMS = { numRuns: RUNS, seed: SEED, endOnFailure: true } as const;
const BASE_HEAP_MB = liveHeapMB();
const BASELINE_MB = peakRssMB();
const dir = await mkdtemp(join(tmpdir(), 'empreinte-fuzz-'));

/** Peak memory within 300 MB of the baseline (garbage of earlier runs collected first, see `settle`). */
function expectMemoryHeld(label: string): void {
  expect(peakRssMB() - BASELINE_MB, `${label}: peak memory above the baseline (MB)`).toBeLessThanOrEqual(300);
  settle(BASE_HEAP_MB);
}

/** Characters that break naive readers: quotes, delimiters, line ends, accents, wide and invisible characters. */
const HOSTILE_CHARS = [
  'a',
  'Z',
  '0',
  '9',
  ' ',
  '"',
  ';',
  ',',
  '\t',
  '\n',
  '\r',
  "'",
  '=',
  '-',
  '.',
  'é',
  'ü',
  '€',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ud83d\ude00',
  '<',
  '&',
] as const;
const hostileText = (max: number) => fc.string({ unit: fc.constantFrom(...HOSTILE_CHARS), maxLength: max });

/** A value that is sometimes valid for its column, sometimes hostile, sometimes long. */
const cellValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('PC-1', 'Latitude 5520', '1', '2,5', '1e308', '-3', 'Laptop', 'France', '') },
  { weight: 4, arbitrary: hostileText(12) },
  { weight: 1, arbitrary: fc.constantFrom(300, 70_000).map((n) => 'x'.repeat(n)) },
);

/** How a CSV cell is written: raw, quoted (RFC 4180), or with a stray quote. */
const csvCell = fc.tuple(cellValue, fc.constantFrom('raw', 'quoted', 'stray')).map(([v, how]) => {
  if (how === 'quoted') return `"${v.replace(/"/g, '""')}"`;
  if (how === 'stray') return `"${v}`;
  return v;
});

const csvInput = fc.record({
  header: fc.oneof(
    { weight: 5, arbitrary: fc.constant(EQUIPMENT_HEADER) },
    { weight: 1, arbitrary: fc.shuffledSubarray(EQUIPMENT_HEADER, { minLength: 1 }) },
    { weight: 1, arbitrary: fc.array(hostileText(8), { minLength: 0, maxLength: 6 }) },
  ),
  rows: fc.array(fc.array(csvCell, { minLength: 0, maxLength: 7 }), { maxLength: 12 }),
  delimiter: fc.constantFrom(';', ','),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  finalEol: fc.boolean(),
  bom: fc.boolean(),
  encoding: fc.constantFrom('utf-8', 'utf-8', 'windows-1252'),
  /** Bytes spliced into the encoded file (invalid UTF-8, NUL, C1 controls), at relative positions. */
  splices: fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000),
      fc.constantFrom([0xc3], [0xff], [0xed, 0xa0, 0x80], [0x00], [0x81]),
    ),
    { maxLength: 2 },
  ),
  forced: fc.constantFrom(undefined, undefined, 'utf-8', 'windows-1252'),
});

function csvBytes(c: Of<typeof csvInput>): Buffer {
  const lines = [c.header.join(c.delimiter), ...c.rows.map((r) => r.join(c.delimiter))];
  const text = lines.join(c.eol) + (c.finalEol ? c.eol : '');
  let bytes = c.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1252');
  for (const [at, splice] of c.splices) {
    const k = Math.floor(at * bytes.length);
    bytes = Buffer.concat([bytes.subarray(0, k), Buffer.from(splice), bytes.subarray(k)]);
  }
  return c.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}

/** Repeat attributes: absent, small, at and beyond the limits, absurd, not numbers. */
const ROW_REPEATS = [undefined, 1, 2, 3, 1000, 1_048_576, 1_048_577, 1e9, 2 ** 31, 1e30, -5, 0, 'abc', '1e3'] as const;
const EMPTY_ROW_REPEATS = [...ROW_REPEATS, 1_048_575, 1_048_574] as const;
const COLUMN_REPEATS = [undefined, 1, 2, 1000, 16_383, 16_384, 16_385, 1e9, -1, 'x'] as const;
const repeatAttr = (name: string, v: number | string | undefined): string =>
  v === undefined ? '' : ` ${name}="${typeof v === 'number' ? String(Number.isInteger(v) ? BigInt(v) : v) : v}"`;

/** Text as it can appear in XML: escaped, or with raw entity and character references (some undefined). */
const xmlCellText = fc.oneof(
  { weight: 4, arbitrary: cellValue.map(xmlText) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '&amp;',
      '&#233;',
      '&#x20AC;',
      '&#0;',
      '&#xFFFF;',
      '&undefined;',
      '&lol9;',
      '&#1114112;',
    ),
  },
);

const odsCellXml = fc
  .record({
    text: xmlCellText,
    repeat: fc.constantFrom(...COLUMN_REPEATS),
    type: fc.constantFrom('string', 'string', 'float', 'date', 'boolean', 'percentage'),
    value: fc.constantFrom('1', '1e308', '-0', 'NaN', '', 'abc', '2021-03-15T10:00:00', 'true'),
    spaces: fc.constantFrom(undefined, 1, 1024, 2_000_000),
  })
  .map(({ text, repeat, type, value, spaces }) => {
    const r = repeatAttr('table:number-columns-repeated', repeat);
    if (text === '' && type === 'string') return `<table:table-cell${r}/>`;
    const attrs =
      type === 'string'
        ? ''
        : type === 'date'
          ? ` office:date-value="${value}"`
          : type === 'boolean'
            ? ` office:boolean-value="${value}"`
            : ` office:value="${value}"`;
    const s = spaces === undefined ? '' : `<text:s text:c="${spaces}"/>`;
    return `<table:table-cell office:value-type="${type}"${attrs}${r}><text:p>${text}${s}</text:p></table:table-cell>`;
  });

const odsRowXml = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(odsCellXml, { maxLength: 6 }), fc.constantFrom(...ROW_REPEATS))
      .map(
        ([cells, rep]) =>
          `<table:table-row${repeatAttr('table:number-rows-repeated', rep)}>${cells.join('')}</table:table-row>`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...EMPTY_ROW_REPEATS), fc.constantFrom(...COLUMN_REPEATS))
      .map(
        ([rep, cols]) =>
          `<table:table-row${repeatAttr('table:number-rows-repeated', rep)}><table:table-cell${repeatAttr('table:number-columns-repeated', cols)}/></table:table-row>`,
      ),
  },
);

/** Prologs: none, an internal DTD with entities (billion laughs), an external entity (XXE). */
const PROLOGS = [
  '',
  '',
  '<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;"><!ENTITY lol9 "&lol2;&lol2;&lol2;">]>',
  '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
] as const;

const odsInput = fc.record({
  header: fc.constantFrom('none', 'names', 'names', 'wide'),
  rows: fc.array(odsRowXml, { maxLength: 6 }),
  prolog: fc.constantFrom(...PROLOGS),
});

function odsBytes(o: Of<typeof odsInput>): Buffer {
  const names = EQUIPMENT_HEADER.map(
    (h) => `<table:table-cell office:value-type="string"><text:p>${h}</text:p></table:table-cell>`,
  ).join('');
  // 'wide': the header reaches column XFD with one repeated empty cell (every data row is padded to 16 384 cells).
  const header =
    o.header === 'none'
      ? ''
      : `<table:table-row>${names}${o.header === 'wide' ? '<table:table-cell table:number-columns-repeated="16378"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>' : ''}</table:table-row>`;
  return ods(header + o.rows.join(''), o.prolog);
}

const XLSX_ROW_REFS = [undefined, 1, 2, 3, 10, 1_048_576, 1_048_577, 2 ** 31, -1, 'x'] as const;
const XLSX_CELL_REFS = [undefined, undefined, 'A', 'B', 'E', 'XFD', 'XFE', 'ZZZZZZZZ', '1', ''] as const;

const xlsxCellXml = fc
  .record({
    ref: fc.constantFrom(...XLSX_CELL_REFS),
    type: fc.constantFrom(undefined, 's', 'inlineStr', 'str', 'b', 'e', 'n', 'd', 'zz'),
    value: fc.oneof(xmlCellText, fc.constantFrom('0', '1', '7', '-1', '1e308', '4294967296', '45000', 'NaN')),
    style: fc.constantFrom(undefined, '0', '1', '99999', '-1'),
  })
  .map(({ ref, type, value, style }) => {
    const r = ref === undefined ? '' : ` r="${ref}${ref === '' || ref === '1' ? '' : '1'}"`;
    const t = type === undefined ? '' : ` t="${type}"`;
    const s = style === undefined ? '' : ` s="${style}"`;
    const body = type === 'inlineStr' ? `<is><t>${value}</t></is>` : `<v>${value}</v>`;
    return `<c${r}${t}${s}>${body}</c>`;
  });

const xlsxInput = fc.record({
  header: fc.boolean(),
  rows: fc.array(fc.tuple(fc.constantFrom(...XLSX_ROW_REFS), fc.array(xlsxCellXml, { maxLength: 6 })), {
    maxLength: 8,
  }),
  sharedStrings: fc.option(fc.array(xmlCellText, { maxLength: 5 }), { nil: undefined }),
  prolog: fc.constantFrom(...PROLOGS),
});

function xlsxBytes(x: Of<typeof xlsxInput>): Buffer {
  const header = x.header
    ? `<row r="1">${EQUIPMENT_HEADER.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`
    : '';
  const rows = x.rows.map(([r, cells]) => `<row${r === undefined ? '' : ` r="${r}"`}>${cells.join('')}</row>`);
  const sharedStrings = x.sharedStrings?.map((s) => `<si><t>${s}</t></si>`).join('');
  return xlsx(header + rows.join(''), { sharedStrings, prolog: x.prolog });
}

/** Write `bytes` as `name` and run `validate --format json` on it (with extra options). */
async function validate(name: string, bytes: Buffer, options: string[] = []) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return runCli(['validate', '--format', 'json', ...options, path]);
}

describe('reader fuzzing (issue 9)', () => {
  afterAll(() => {
    // Nothing is retained from one run to the next (no module-level state in the readers).
    const growth = liveHeapMB() - BASE_HEAP_MB;
    if (process.env.FUZZ_LOG) appendFileSync(process.env.FUZZ_LOG, `heap-growth-MB ${growth.toFixed(1)}\n`);
    expect(growth, 'live heap growth after all runs (MB)').toBeLessThan(50);
  });

  it(
    `holds on hostile CSV (${RUNS} runs, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(csvInput, async (c) => {
          const options = c.forced === undefined ? [] : ['--encoding', c.forced];
          const r = await validate('fuzz.csv', csvBytes(c), options);
          expectValidateHeld(r, 'csv');
          logRun('csv', r);
          expectMemoryHeld('csv');
        }),
        PARAMS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    `holds on hostile ODS (${RUNS} runs, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(odsInput, async (o) => {
          const r = await validate('fuzz.ods', odsBytes(o));
          expectValidateHeld(r, 'ods');
          logRun('ods', r);
          expectMemoryHeld('ods');
        }),
        PARAMS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    `holds on hostile XLSX (${RUNS} runs, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(xlsxInput, async (x) => {
          const r = await validate('fuzz.xlsx', xlsxBytes(x));
          expectValidateHeld(r, 'xlsx');
          logRun('xlsx', r);
          expectMemoryHeld('xlsx');
        }),
        PARAMS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    `refuses hostile YAML mappings with a coded error or reads them (${RUNS} runs, seed ${SEED})`,
    () => {
      const anchors = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 });
      fc.assert(
        fc.property(anchors, hostileText(6), (widths, junk) => {
          // Level k is a list of `widths[k]` aliases of level k − 1: the expansion is the product of the widths.
          const lines = ['kind: physical-equipment', 'l0: &l0 [x]'];
          widths.forEach((w, k) => lines.push(`l${k + 1}: &l${k + 1} [${Array(w).fill(`*l${k}`).join(', ')}]`));
          lines.push('fields:', '  name: Asset', `# ${junk.replace(/[\r\n\u2028]/g, ' ')}`);
          try {
            parseMappingText(lines.join('\n') + '\n', 'fuzz.yaml');
          } catch (e) {
            expect(e).toBeInstanceOf(EmpreinteError);
            expect((e as EmpreinteError).message).not.toContain('\n');
          }
          expectMemoryHeld('yaml');
        }),
        PARAMS,
      );
    },
    TIMEOUT_MS,
  );
});
