/**
 * Lenient and strict loader modes (issue 8; methodology §2.1, §2.4, §2.11).
 *
 * 1. G4IT's own loader fixtures (test/fixtures/g4it-loader, Apache-2.0, see its README) replayed in strict mode: the
 *    rejected lines and their reasons are read from G4IT's expected `rejects/*.csv`, the accepted items from its
 *    expected `output/*.json`; nothing expected here comes from Empreinte's output.
 * 2. One small fixture per rule, with the expectation worked out by hand from the rule.
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadActiveReferential } from '../../src/cli/load-referential.js';
import { referentialChecks, runValidate, type ValidateIo } from '../../src/cli/validate.js';
import { issueMessage } from '../../src/issues/catalogue.js';
import type { InventoryKind } from '../../src/inventory/model.js';
import {
  processInventory,
  type FileReport,
  type InventorySink,
  type ProcessOptions,
} from '../../src/inventory/pipeline.js';
import { issuePlaces, nomModeleMapping } from '../helpers/inventory.js';

const G4IT = 'test/fixtures/g4it-loader';
const PRELOADED = join(G4IT, 'preloaded-inventory');
const DATE = '2024-01-01'; // G4IT's test context: LocalDateTime.of(2024, 1, 1, 0, 0, 0)

/** Records the names of the accepted items per kind (applications as `name → vm`). */
function recorder() {
  const names: Record<string, string[]> = {
    datacenter: [],
    physical: [],
    virtual: [],
    application: [],
    indexVirtual: [],
  };
  const sink: InventorySink = {
    datacenter: (d) => void names.datacenter!.push(d.name),
    physical: (p) => void names.physical!.push(p.name),
    virtual: (v) => void names.virtual!.push(v.name),
    indexVirtual: (v) => void names.indexVirtual!.push(v.name),
    application: (a) => void names.application!.push(`${a.name} → ${a.vm ?? ''}`),
  };
  return { sink, names };
}

/** Rejected lines of a file report: line → sorted distinct codes. */
function rejectedLines(f: FileReport): Record<number, string[]> {
  const out: Record<number, Set<string>> = {};
  for (const i of f.issues) if (i.severity === 'R') (out[i.line!] ??= new Set()).add(i.code);
  return Object.fromEntries(Object.entries(out).map(([l, s]) => [l, [...s].sort()]));
}

const KIND_OF_REJECTS: Readonly<Record<string, InventoryKind>> = {
  datacenter: 'datacenter',
  physical_equipment: 'physical-equipment',
  virtual_equipment: 'virtual-equipment',
  application: 'application',
};

/**
 * G4IT's reject messages (messages.properties and CheckConstraintService) and the Empreinte code that stands for each
 * (docs/inventory-format.md, "G4IT loader parity"). "Physical equipment null does not exist." is G4IT's coherence
 * check repeating the missing host: the same reason as INP_HOST_REQUIRED.
 */
const G4IT_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/Location \S+ does not exist in the referential/, 'INP_UNKNOWN_LOCATION'],
  [/The purchase date is more recent than the retrieval date\./, 'INP_DATES_INVERTED'],
  [/already exists\. The .* must be unique\./, 'INP_DUPLICATE_STRICT'],
  [/nomEquipementVirtuel should be unique/, 'INP_DUPLICATE_STRICT'],
  [/must have a physical equipment name linked to it/, 'INP_HOST_REQUIRED'],
  [/Physical equipment null does not exist/, 'INP_HOST_REQUIRED'],
  [/Physical equipment (?!null )\S+ does not exist/, 'INP_UNKNOWN_HOST'],
  [/Virtual equipment \S+ does not exist/, 'INP_UNKNOWN_VM'],
  [/environment must not be null/, 'INP_REQUIRED'],
];

/** G4IT's expected rejects of a case: kind → line → sorted codes, from `rejects/rejected_<kind>_20240101_000000.csv`. */
async function g4itRejects(caseDir: string): Promise<Partial<Record<InventoryKind, Record<number, string[]>>>> {
  const out: Partial<Record<InventoryKind, Record<number, string[]>>> = {};
  const dir = join(caseDir, 'rejects');
  for (const name of (await readdir(dir)).sort()) {
    const kind = KIND_OF_REJECTS[/^rejected_(.+)_20240101_000000\.csv$/.exec(name)![1]!]!;
    const rows = (await readFile(join(dir, name), 'utf8')).split(/\r?\n/).filter((l) => l !== '');
    const byLine: Record<number, string[]> = {};
    for (const row of rows.slice(1)) {
      const cells = row.split(';'); // the message is the last cell, the line number the one before
      const message = cells[cells.length - 1]!;
      const codes = new Set(G4IT_MESSAGES.filter(([re]) => re.test(message)).map(([, code]) => code));
      expect(codes.size, `unmapped G4IT message: ${message}`).toBeGreaterThan(0);
      byLine[Number(cells[cells.length - 2])] = [...codes].sort();
    }
    out[kind] = byLine;
  }
  return out;
}

/** Names in G4IT's expected inventory (`output/*.json`), sorted; applications as `name → virtualEquipmentName`. */
async function g4itInventory(caseDir: string): Promise<Record<string, string[]>> {
  const read = async (f: string) =>
    JSON.parse(await readFile(join(caseDir, 'output', f), 'utf8')) as {
      name: string;
      virtualEquipmentName?: string;
    }[];
  return {
    datacenter: (await read('1-datacenters.json')).map((x) => x.name).sort(),
    physical: (await read('2-physical_equipments.json')).map((x) => x.name).sort(),
    virtual: (await read('3-virtual_equipments.json')).map((x) => x.name).sort(),
    application: (await read('4-applications.json')).map((x) => `${x.name} → ${x.virtualEquipmentName}`).sort(),
  };
}

async function replay(caseName: string, mode: 'strict' | 'lenient') {
  const caseDir = join(G4IT, caseName);
  const { referential } = await loadActiveReferential({ referential: [join(caseDir, 'ref')], profile: 'rcp' });
  const { sink, names } = recorder();
  const res = await processInventory(
    [join(caseDir, 'input'), PRELOADED],
    { mode, referenceDate: DATE, ...referentialChecks(referential, DATE) },
    sink,
  );
  const byKind: Partial<Record<InventoryKind, Record<number, string[]>>> = {};
  for (const f of res.files) {
    if (f.path.startsWith(PRELOADED)) expect(f.rejected, f.file).toBe(0);
    else byKind[f.kind!] = rejectedLines(f);
  }
  return { res, byKind, names };
}

describe('G4IT loader fixture load_reject, strict mode (--strict reproduces the G4IT loader)', async () => {
  const { res, byKind, names } = await replay('load_reject', 'strict');
  const expected = await g4itRejects(join(G4IT, 'load_reject'));

  it("rejects exactly G4IT's lines, for G4IT's reasons", () => {
    // The lines listed in issue 8, as read from G4IT's rejects files.
    expect(Object.keys(expected.datacenter!).map(Number)).toEqual([3]);
    expect(Object.keys(expected['physical-equipment']!).map(Number)).toEqual([3, 4, 5]);
    expect(Object.keys(expected['virtual-equipment']!).map(Number)).toEqual([4, 5, 6, 7, 9, 10]);
    expect(Object.keys(expected.application!).map(Number)).toEqual([5, 6, 7, 8, 9]);
    expect(byKind).toEqual(expected);
  });

  it("keeps exactly G4IT's inventory (the preloaded MyMagicalPE and MyMagicalVE included)", async () => {
    const sorted = Object.fromEntries(
      ['datacenter', 'physical', 'virtual', 'application'].map((k) => [k, [...names[k]!].sort()]),
    );
    expect(sorted).toEqual(await g4itInventory(join(G4IT, 'load_reject')));
  });

  it('accepts the physical equipment with an empty modele, with a warning, and what it hosts', () => {
    const pe = res.files.find((f) => basename(f.path) === 'EQUIPEMENT_PHYSIQUE_nominal.csv')!;
    const w = pe.issues.filter((i) => i.severity === 'W');
    expect(w.map((i) => [i.code, i.line, i.column])).toEqual([['INP_MODEL_EMPTY', 2, 'modele']]);
    expect(names.virtual).toEqual(expect.arrayContaining(['virtual-eq-1-1', 'virtual-eq-1-2']));
  });

  it('through the CLI: validate --strict --referential, JSON report', async () => {
    const out: string[] = [];
    const io: ValidateIo = { out: (s) => out.push(s), err: () => undefined, tty: false, today: () => DATE };
    await runValidate(
      [join(G4IT, 'load_reject', 'input'), PRELOADED],
      { strict: true, referential: [join(G4IT, 'load_reject', 'ref')], format: 'json' },
      io,
    );
    // read: 2 datacenters + 4 physical + 9 virtual + 8 applications + 2 preloaded = 25; rejected 1 + 3 + 6 + 5 = 15;
    // one warning (INP_MODEL_EMPTY, physical line 2).
    expect(JSON.parse(out.join('')).totals).toEqual({ read: 25, imported: 10, rejected: 15, warnings: 1 });
  });
});

describe('G4IT loader fixture load_nominal, strict mode', async () => {
  const { res, byKind, names } = await replay('load_nominal', 'strict');
  it('rejects nothing (G4IT has no rejects file for it) and keeps its inventory', async () => {
    expect(res.totals.rejected).toBe(0);
    expect(Object.values(byKind).every((l) => Object.keys(l).length === 0)).toBe(true);
    const sorted = Object.fromEntries(
      ['datacenter', 'physical', 'virtual', 'application'].map((k) => [k, [...names[k]!].sort()]),
    );
    expect(sorted).toEqual(await g4itInventory(join(G4IT, 'load_nominal')));
  });
});

describe('G4IT loader fixture load_reject, lenient mode (the default; differences are choices, §2.11)', async () => {
  const { byKind } = await replay('load_reject', 'lenient');
  it('keeps the first copy of a duplicate and resolves references through accepted lines only', () => {
    expect(byKind).toEqual({
      datacenter: { 3: ['INP_UNKNOWN_LOCATION'] },
      // Lines 4 and 5 fail on their own dates; a line that does not parse registers no key, so no duplicate.
      'physical-equipment': { 3: ['INP_DATES_INVERTED'], 4: ['INP_DATES_INVERTED'], 5: ['INP_DATES_INVERTED'] },
      // Line 9 (first dupl-virt-equip, on physical-eq-1) is kept; line 10 repeats its (name, host) key.
      'virtual-equipment': {
        4: ['INP_HOST_REQUIRED'],
        5: ['INP_HOST_REQUIRED'],
        6: ['INP_UNKNOWN_HOST'],
        7: ['INP_UNKNOWN_HOST'],
        10: ['INP_DUPLICATE_KEY'],
      },
      // The applications name their host physical-eq-2: the VM is looked up by (VM, host). Line 4: virtual-eq-2-1 was
      // rejected; line 6: MyMagicalVE is on MyMagicalPE; line 7 repeats line 6's key (registered before its
      // references are checked); line 8: dupl-virt-equip is on physical-eq-1; line 9: no such VM.
      application: {
        4: ['INP_UNKNOWN_VM'],
        5: ['INP_REQUIRED'],
        6: ['INP_UNKNOWN_VM'],
        7: ['INP_DUPLICATE_KEY'],
        8: ['INP_UNKNOWN_VM'],
        9: ['INP_UNKNOWN_VM'],
      },
    });
  });
});

// ---- One fixture per rule -------------------------------------------------------------------------------------------

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-g4it-'));
let seq = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const d = join(tmp, `case${seq++}`);
  await mkdir(d);
  for (const [n, c] of Object.entries(files)) await writeFile(join(d, n), c);
  return d;
}
const PE = 'nomEquipementPhysique;modele;quantite;type;paysDUtilisation';
const file = (files: readonly FileReport[], name: string) => files.find((f) => basename(f.path) === name)!;
async function run(files: Record<string, string>, options: ProcessOptions = {}) {
  const d = await folder(files);
  const { sink, names } = recorder();
  const res = await processInventory([d], { referenceDate: '2024-06-30', ...options }, sink);
  return { res, names, f: (n: string) => file(res.files, n), dir: d };
}

describe('rule: an empty modele is legal, the column stays mandatory (§2.4; G4IT csv-headers.yml, load_reject)', () => {
  for (const mode of ['lenient', 'strict'] as const) {
    it(`${mode}: the line and what it hosts are kept, with INP_MODEL_EMPTY`, async () => {
      const { f, names } = await run(
        {
          'pe.csv': `${PE}\nH1;;1;Server;France\n`,
          'vm.csv': 'nomEquipementVirtuel;nomEquipementPhysique;vCPU;typeEqv\nV1;H1;2;calcul\n',
        },
        { mode },
      );
      expect([f('pe.csv').imported, f('pe.csv').rejected]).toEqual([1, 0]);
      expect(issuePlaces(f('pe.csv').issues)).toEqual([['INP_MODEL_EMPTY', 2, 'modele']]);
      expect(issueMessage(f('pe.csv').issues[0]!)).toBe(
        "Line 2: field 'modele' is empty; the equipment is assessed from its type 'Server'.",
      );
      expect(names.virtual).toEqual(['V1']);
    });
    it(`${mode}: a header without modele is refused (INP_HEADER_MISSING)`, async () => {
      const { f } = await run(
        { 'pe.csv': 'nomEquipementPhysique;quantite;type;paysDUtilisation\nH1;1;Server;France\n' },
        { mode },
      );
      expect([f('pe.csv').status, f('pe.csv').fileError?.code, f('pe.csv').fileError?.details.columns]).toEqual([
        'failed',
        'INP_HEADER_MISSING',
        'modele',
      ]);
    });
  }
});

describe('rule: older NumEcoEval columns are known and ignored with a warning in both modes (§2.1)', () => {
  const legacy = 'nomOrganisation;nomLot;dateLot;sourceDonnee;nomSourceDonneeEquipementPhysique';
  for (const mode of ['lenient', 'strict'] as const) {
    it(`${mode}: INP_HEADER_LEGACY, the file is read`, async () => {
      const { f } = await run(
        { 'pe.csv': `${legacy};${PE}\nORG;LOT1;2024-01-01;CMDB;X;H1;M;1;Server;France\n` },
        { mode },
      );
      expect([f('pe.csv').status, f('pe.csv').imported]).toEqual(['ok', 1]);
      expect(issuePlaces(f('pe.csv').issues)).toEqual([['INP_HEADER_LEGACY', 1, undefined]]);
      expect(f('pe.csv').issues[0]!.details.columns).toBe(legacy.replaceAll(';', ', '));
    });
  }
  it('nomSourceDonneeEquipementPhysique is a real column of virtual equipment (no warning)', async () => {
    const { f } = await run({
      'pe.csv': `${PE};nomSourceDonnee\nH1;M;1;Server;France;CMDB\n`,
      'vm.csv': 'nomEquipementVirtuel;nomEquipementPhysique;nomSourceDonneeEquipementPhysique;vCPU\nV1;H1;CMDB;2\n',
    });
    expect([f('vm.csv').imported, f('vm.csv').issues]).toEqual([1, []]);
  });
  it('strict: other unknown columns still refuse the file, with a message that does not say they are ignored', async () => {
    const { f } = await run({ 'pe.csv': `${PE};couleur\nH1;M;1;Server;France;bleu\n` }, { mode: 'strict' });
    const e = f('pe.csv').fileError!;
    expect([e.code, e.severity, issueMessage(e)]).toEqual([
      'INP_HEADER_UNKNOWN_STRICT',
      'F',
      `${f('pe.csv').file} header has unknown columns: couleur. Strict mode refuses the file, as the G4IT loader does.`,
    ]);
  });
});

describe('rule: strict duplicates — every copy is rejected (§2.11; G4IT CheckConstraintService, uc3)', () => {
  const files = {
    'dc-a.csv': 'nomCourtDatacenter;pue;localisation\nDC1;1.5;France\n',
    'dc-b.csv': 'nomCourtDatacenter;pue;localisation\nDC2;1.5;France\nDC1;1.4;France\n',
    'pe.csv': `${PE}\nH1;M;1;Server;France\nH2;M;1;Server;France\n`,
    // V1 on two hosts: two lenient keys (name, host), one strict key (the name alone).
    'vm.csv':
      'nomEquipementVirtuel;nomEquipementPhysique;vCPU;typeEqv\nV1;H1;2;calcul\nV1;H2;2;calcul\nV2;H1;2;calcul\n',
    'app.csv': 'nomApplication;typeEnvironnement;nomEquipementVirtuel\nA1;Prod;V2\nA1;Prod;V2\nA1;Test;V2\n',
  };
  it('strict: both copies of DC1 (across files), of V1 and of (A1, Prod, V2)', async () => {
    const { f, names, dir } = await run(files, { mode: 'strict' });
    expect(issuePlaces(f('dc-a.csv').issues)).toEqual([['INP_DUPLICATE_STRICT', 2, 'nomCourtDatacenter']]);
    expect(issuePlaces(f('dc-b.csv').issues)).toEqual([['INP_DUPLICATE_STRICT', 3, 'nomCourtDatacenter']]);
    expect(f('dc-b.csv').issues[0]!.details).toMatchObject({ count: 2, lines: `${join(dir, 'dc-a.csv')}:2, 3` });
    expect(issuePlaces(f('vm.csv').issues)).toEqual([
      ['INP_DUPLICATE_STRICT', 2, 'nomEquipementVirtuel'],
      ['INP_DUPLICATE_STRICT', 3, 'nomEquipementVirtuel'],
    ]);
    expect(issueMessage(f('vm.csv').issues[0]!)).toBe(
      "Line 2: virtual equipment 'V1' appears 2 times (lines 2, 3); strict mode rejects every copy, as the G4IT loader does.",
    );
    expect(issuePlaces(f('app.csv').issues)).toEqual([
      ['INP_DUPLICATE_STRICT', 2, 'nomApplication'],
      ['INP_DUPLICATE_STRICT', 3, 'nomApplication'],
    ]);
    expect([names.datacenter, names.virtual, names.application]).toEqual([['DC2'], ['V2'], ['A1 → V2']]);
    // The index pre-pass announces exactly what the main pass accepts.
    expect(names.indexVirtual).toEqual(['V2']);
  });
  it('lenient: the first copy is kept; V1 on two hosts is two items', async () => {
    const { f, names } = await run(files);
    expect(issuePlaces(f('dc-a.csv').issues)).toEqual([]);
    expect(issuePlaces(f('dc-b.csv').issues)).toEqual([['INP_DUPLICATE_KEY', 3, 'nomCourtDatacenter']]);
    expect(issuePlaces(f('vm.csv').issues)).toEqual([]);
    expect(issuePlaces(f('app.csv').issues)).toEqual([['INP_DUPLICATE_KEY', 3, 'nomApplication']]);
    expect(names.virtual).toEqual(['V1', 'V1', 'V2']);
  });
  it('strict: a line with its own error that is also a duplicate carries both reasons (G4IT load_reject physical 4, 5)', async () => {
    const { f } = await run(
      { 'pe.csv': `${PE};dateAchat;dateRetrait\nH1;M;1;Server;France;2099-01-01;2000-01-01\nH1;M;1;Server;France;;\n` },
      { mode: 'strict' },
    );
    expect(issuePlaces(f('pe.csv').issues)).toEqual([
      ['INP_DATES_INVERTED', 2, 'dateAchat'],
      ['INP_DUPLICATE_STRICT', 2, 'nomEquipementPhysique'],
      ['INP_DUPLICATE_STRICT', 3, 'nomEquipementPhysique'],
    ]);
  });
});

describe('rule: strict duplicates through a column mapping (foreign export)', () => {
  it('reads the raw key through the mapping and names the source column', async () => {
    const d = await folder({ 'glpi.csv': 'Nom;Modèle\nPC1;Latitude\nPC1;Latitude\nPC2;\n' });
    const res = await processInventory([d], {
      mode: 'strict',
      referenceDate: DATE,
      mapTable: nomModeleMapping,
    });
    expect(issuePlaces(res.files[0]!.issues)).toEqual([
      ['INP_DUPLICATE_STRICT', 2, 'Nom'],
      ['INP_DUPLICATE_STRICT', 3, 'Nom'],
      ['INP_MODEL_EMPTY', 4, 'Modèle'],
    ]);
  });
});

describe('rule: strict references — by name alone, case-insensitively, against the names in the files minus duplicates (§2.11)', () => {
  const files = {
    'dc.csv': 'nomCourtDatacenter;pue;localisation\nDC1;1.5;France\nDCX;1.5;Atlantis\n',
    'pe.csv':
      `${PE};nomCourtDatacenter;dateAchat;dateRetrait;nomSourceDonnee\n` +
      'H1;M;1;Server;France;DC1;;;CMDB\n' +
      'H2;M;1;Server;France;DC1;2099-01-01;2000-01-01;CMDB\n' + // rejected for its own dates
      'H3;M;1;Server;France;DC1;;;CMDB\n' +
      'H3;M;1;Server;France;DC1;;;OTHER\n' + // same name, other source: one strict key, two lenient keys
      'H4;M;1;Server;France;DCX;;;CMDB\n', // its datacenter is rejected (unknown location)
    'vm.csv':
      'nomEquipementVirtuel;nomEquipementPhysique;nomSourceDonneeEquipementPhysique;vCPU;typeEqv\n' +
      'V1;h1;OTHER;2;calcul\n' + // other case, other source
      'V2;H2;;2;calcul\n' + // host rejected for its own error
      'V3;H3;CMDB;2;calcul\n', // host duplicated
    'app.csv':
      'nomApplication;typeEnvironnement;nomEquipementVirtuel;nomEquipementPhysique\n' +
      'A1;Prod;V2;\n' +
      'A2;Prod;VX;\n' +
      'A3;Prod;;H1\n', // no VM, a host only
  };
  const isKnownLocation = (l: string) => l !== 'Atlantis';
  it('strict', async () => {
    const { f, names } = await run(files, { mode: 'strict', isKnownLocation });
    expect(issuePlaces(f('dc.csv').issues)).toEqual([['INP_UNKNOWN_LOCATION', 3, 'localisation']]);
    expect(issuePlaces(f('pe.csv').issues)).toEqual([
      ['INP_DATES_INVERTED', 3, 'dateAchat'],
      ['INP_DUPLICATE_STRICT', 4, 'nomEquipementPhysique'],
      ['INP_DUPLICATE_STRICT', 5, 'nomEquipementPhysique'],
    ]);
    expect(names.physical).toEqual(['H1', 'H4']); // H4: DCX is in the datacenter file (G4IT checks names only)
    expect(issuePlaces(f('vm.csv').issues)).toEqual([['INP_UNKNOWN_HOST', 4, 'nomEquipementPhysique']]);
    expect(names.virtual).toEqual(['V1', 'V2']);
    expect(issuePlaces(f('app.csv').issues)).toEqual([
      ['INP_UNKNOWN_VM', 3, 'nomEquipementVirtuel'],
      ['INP_REQUIRED', 4, 'nomEquipementVirtuel'], // G4IT: application.must.have.virtual.equipment
    ]);
  });
  it('lenient (for contrast): references resolve through accepted lines and the full key', async () => {
    const { f, names } = await run(files, { isKnownLocation });
    expect(issuePlaces(f('pe.csv').issues)).toEqual([
      ['INP_DATES_INVERTED', 3, 'dateAchat'],
      ['INP_UNKNOWN_DATACENTER', 6, 'nomCourtDatacenter'],
    ]);
    expect(names.physical).toEqual(['H1', 'H3', 'H3']);
    expect(issuePlaces(f('vm.csv').issues)).toEqual([
      ['INP_UNKNOWN_HOST', 2, 'nomEquipementPhysique'],
      ['INP_UNKNOWN_HOST', 3, 'nomEquipementPhysique'],
    ]);
    expect(issuePlaces(f('app.csv').issues)).toEqual([
      ['INP_UNKNOWN_VM', 2, 'nomEquipementVirtuel'],
      ['INP_UNKNOWN_VM', 3, 'nomEquipementVirtuel'],
    ]);
    expect(names.application).toEqual(['A3 → ']);
  });
});

describe('rule: validate checks types and locations against the active referential (§2.4; G4IT GenericRuleService)', () => {
  const io = () => {
    const out: string[] = [];
    const value: ValidateIo = { out: (s) => out.push(s), err: () => undefined, tty: false, today: () => DATE };
    return { value, out };
  };
  it('the default pack: an unknown type and an unknown location are rejected', async () => {
    const d = await folder({ 'pe.csv': `${PE}\nA;M;1;Toaster;France\nB;M;1;Laptop;Atlantis\nC;M;1;Laptop;France\n` });
    const { value } = io();
    const r = await runValidate([join(d, 'pe.csv')], {}, value);
    expect(issuePlaces(r.files[0]!.issues)).toEqual([
      ['INP_UNKNOWN_TYPE', 2, 'type'],
      ['INP_UNKNOWN_LOCATION', 3, 'paysDUtilisation'],
    ]);
  });
  it('--referential adds a user type (G4IT itemType.csv format)', async () => {
    const d = await folder({ 'pe.csv': `${PE}\nA;M;1;Toaster;France\nB;M;1;Laptop;Atlantis\n` });
    const ref = join(d, 'ref');
    await mkdir(ref);
    await writeFile(
      join(ref, 'itemType.csv'),
      'type;category;comment;defaultLifespan;isServer;source;refDefaultItem;subscriber;version\nToaster;EquipementPhysique;;5.0;false;;;;\n',
    );
    const { value } = io();
    const r = await runValidate([join(d, 'pe.csv')], { referential: [ref] }, value);
    expect(issuePlaces(r.files[0]!.issues)).toEqual([['INP_UNKNOWN_LOCATION', 3, 'paysDUtilisation']]);
  });
});
