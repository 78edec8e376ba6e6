/**
 * Builders of hostile spreadsheets for the reader tests and the fuzz suite (archived by test/helpers/zip.ts): a minimal
 * ODS package around a `content.xml` body, a minimal XLSX package around worksheet XML (and optional shared strings).
 */
import { zip, type ZipPart } from '../helpers/zip.js';

const ODS_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';

/** An ODS package whose single sheet holds `tableBody` (the XML inside `<table:table>`). */
export function ods(tableBody: string, prolog = ''): Buffer {
  const content =
    `<?xml version="1.0" encoding="UTF-8"?>${prolog}<office:document-content ${ODS_NS}><office:body>` +
    `<office:spreadsheet><table:table table:name="Sheet1">${tableBody}</table:table></office:spreadsheet>` +
    `</office:body></office:document-content>`;
  return zip([
    { name: 'mimetype', text: 'application/vnd.oasis.opendocument.spreadsheet', stored: true },
    { name: 'content.xml', text: content },
  ]);
}

/** One ODS string cell (`repeat` columns). */
export function odsCell(text: string, repeat?: number): string {
  const r = repeat === undefined ? '' : ` table:number-columns-repeated="${repeat}"`;
  if (text === '') return `<table:table-cell${r}/>`;
  return `<table:table-cell office:value-type="string"${r}><text:p>${xmlText(text)}</text:p></table:table-cell>`;
}

/** One ODS row of string cells (`repeat` rows). */
export function odsRow(cells: readonly string[], repeat?: number): string {
  const r = repeat === undefined ? '' : ` table:number-rows-repeated="${repeat}"`;
  return `<table:table-row${r}>${cells.map((c) => odsCell(c)).join('')}</table:table-row>`;
}

export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** An XLSX package with one worksheet (`sheetData` is the XML inside `<sheetData>`) and optional shared strings. */
export function xlsx(sheetData: string, options: { sharedStrings?: string; prolog?: string } = {}): Buffer {
  const rels = [`<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`];
  const parts: ZipPart[] = [
    {
      name: 'xl/worksheets/sheet1.xml',
      text: `<?xml version="1.0"?>${options.prolog ?? ''}<worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`,
    },
  ];
  if (options.sharedStrings !== undefined) {
    parts.push({
      name: 'xl/sharedStrings.xml',
      text: `<?xml version="1.0"?><sst ${NS}>${options.sharedStrings}</sst>`,
    });
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  parts.push(
    { name: 'xl/_rels/workbook.xml.rels', text: `<Relationships xmlns="${PKG_REL}">${rels.join('')}</Relationships>` },
    {
      name: 'xl/workbook.xml',
      text: `<workbook ${NS} ${NS_R}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: '_rels/.rels',
      text: `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
  );
  return zip(parts);
}

/** An XLSX row of inline-string cells. */
export function xlsxRow(line: number, cells: readonly string[]): string {
  const cs = cells.map((c) => `<c t="inlineStr"><is><t>${xmlText(c)}</t></is></c>`).join('');
  return `<row r="${line}">${cs}</row>`;
}

/** The header of a NumEcoEval physical-equipment file and a valid row, for spreadsheets and CSV. */
export const EQUIPMENT_HEADER = ['nomEquipementPhysique', 'modele', 'quantite', 'type', 'paysDUtilisation'];
export function equipmentRow(n: number): string[] {
  return [`PC-${n}`, 'Latitude 5520', '1', 'Laptop', 'France'];
}
