/**
 * Builds test/fixtures/mapping/inventory.ods, a small OpenDocument spreadsheet (two sheets) exercising what the ODS
 * reader must handle: repeated rows and cells (`table:number-rows-repeated`, `table:number-columns-repeated`), typed
 * values (float, percentage, date, boolean), a formula with its cached value, `text:s` spaces, two paragraphs,
 * a comment, an empty row between data rows and LibreOffice's huge trailing padding.
 * The ZIP is written by hand (stored entries, `mimetype` first, as OpenDocument requires). Also derives the GLPI
 * default-column monitor and phone lists from the shared samples (end of file). The Snipe-IT and Lansweeper CSV
 * fixtures are hand-made files, not built here. Run:
 * `node --import tsx scripts/build-mapping-fixtures.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';

function zip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const s = (text: string) => `<table:table-cell office:value-type="string"><text:p>${text}</text:p></table:table-cell>`;
const f = (v: string, shown = v) =>
  `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${shown}</text:p></table:table-cell>`;
const d = (v: string, shown: string) =>
  `<table:table-cell office:value-type="date" office:date-value="${v}"><text:p>${shown}</text:p></table:table-cell>`;
const empty = (n = 1) => (n === 1 ? '<table:table-cell/>' : `<table:table-cell table:number-columns-repeated="${n}"/>`);
const row = (cells: string, repeat = 1) =>
  repeat === 1
    ? `<table:table-row>${cells}</table:table-row>`
    : `<table:table-row table:number-rows-repeated="${repeat}">${cells}</table:table-row>`;

const equipment = [
  row(
    s('nomEquipementPhysique') +
      s('modele') +
      s('quantite') +
      s('type') +
      s('paysDUtilisation') +
      s('dateAchat') +
      s('tauxUtilisation') +
      s('serveur') +
      s('consoElecAnnuelle') +
      empty(1020),
  ),
  // Row 2: typed values; date displayed the French way but stored ISO; 1 234,5 shown, 1234.5 stored.
  row(
    s('PC-001') +
      s('Latitude<text:s/>5420') +
      f('2') +
      s('Laptop') +
      s('France') +
      d('2021-03-15', '15/03/2021') +
      '<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25 %</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>FAUX</text:p></table:table-cell>' +
      f('1234.5', '1 234,5') +
      empty(1015),
  ),
  // Rows 3–4: one row element repeated twice (identical lines).
  row(s('SW-01') + s('C9200L') + f('1') + s('Switch') + s('France') + d('2020-01-02T00:00:00', '02/01/2020'), 2),
  // Rows 5–7: empty rows.
  row(empty(1024), 3),
  // Row 8: formula with cached value, repeated cell, two paragraphs, comment.
  row(
    s('SRV-01') +
      '<table:table-cell office:value-type="string"><text:p>PowerEdge</text:p><text:p>R740</text:p></table:table-cell>' +
      '<table:table-cell table:formula="of:=1+2" office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="string"><office:annotation><text:p>note: rack</text:p></office:annotation><text:p>Server</text:p></table:table-cell>' +
      '<table:table-cell table:number-columns-repeated="1" office:value-type="string"><text:p>Germany</text:p></table:table-cell>' +
      empty(2) +
      '<table:table-cell office:value-type="float" office:value="0.30000000000000004"><text:p>0,3</text:p></table:table-cell>',
  ),
  // LibreOffice padding: a million empty rows.
  row(empty(1024), 1048567),
].join('');

const datacenters = [
  row(s('nomCourtDatacenter') + s('localisation') + s('pue')),
  row(s('DC-1') + s('France') + f('1.5')),
  row(s('DC-2') + s('Spain') + f('1.35')),
].join('');

const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Equipment">${equipment}</table:table><table:table table:name="Empty">${row(empty(1024), 1048576)}</table:table><table:table table:name="Datacenters">${datacenters}</table:table></office:spreadsheet></office:body></office:document-content>`;

const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`;

writeFileSync(
  'test/fixtures/mapping/inventory.ods',
  zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') },
    { name: 'content.xml', data: Buffer.from(content, 'utf8') },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest, 'utf8') },
  ]),
);
// A text document (not a spreadsheet) and a truncated file, for the error cases.
writeFileSync(
  'test/fixtures/mapping/not-a-spreadsheet.odt',
  zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') },
    { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
  ]),
);
writeFileSync(
  'test/fixtures/mapping/truncated.ods',
  zip([{ name: 'mimetype', data: Buffer.from('x') }]).subarray(0, 40),
);

// GLPI 10 monitor and phone lists with only their default columns (Nom, Entité and the display preferences of
// Monitor and Phone: ../shared/samples/README.md §1.2): the first 9 columns of the shared samples, GLPI's trailing
// `;` after the last cell kept. These two files have the same header (issue 11: told apart by their rows).
for (const kind of ['monitors', 'phones']) {
  const lines = readFileSync(
    join(import.meta.dirname, '..', '..', 'shared', 'samples', `glpi-${kind}-fr.csv`),
    'utf8',
  ).split('\n');
  const cut = lines.map((l) => (l === '' ? l : `${l.split(';').slice(0, 9).join(';')};`));
  writeFileSync(`test/fixtures/mapping/glpi-${kind}-default-fr.csv`, cut.join('\n'));
}
