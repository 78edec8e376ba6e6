import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerValidate, runValidate, type ValidateIo } from '../../src/cli/validate.js';
import { EmpreinteError, formatIssue } from '../../src/issues/catalogue.js';
import { detectKind, guessKind } from '../../src/inventory/detect.js';
import { parseRecord } from '../../src/inventory/parse-row.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: ValidateIo = { out: (s) => out.push(s), err: (s) => err.push(s), tty: false, today: () => '2024-06-30' };
  return { value, out, err };
}

describe('validate command', () => {
  it('prints a table with kind, format, encoding and counts; a file without any line imported fails the run', async () => {
    const { value, out } = io();
    // The non-IT file has both its lines rejected: since issue 11 (no silent zero) it is failed, after the report.
    await expect(runValidate(['test/fixtures/inventory/numecoeval'], {}, value)).rejects.toMatchObject({
      issue: { code: 'INP_ALL_LINES_REJECTED', file: 'test/fixtures/inventory/numecoeval/operations-non-it.csv' },
    });
    const text = out.join('');
    expect(text).toMatch(
      /equipements-physiques\.csv\s+physical-equipment\s+csv\/numecoeval ';'\s+utf-8\s+11\s+7\s+4\s+1\s+ok/,
    );
    // Against the default pack, the non-IT type 'Climatisation' is unknown (INP_UNKNOWN_TYPE): 22 → 21 imported.
    expect(text).toMatch(/operations-non-it\.csv\s+non-it\s+csv\/numecoeval ';'\s+utf-8\s+2\s+0\s+2\s+0\s+failed/);
    expect(text).toMatch(/total\s+35\s+21\s+14\s+4/);
    expect(text).toContain("operations-non-it.csv:2:type: INP_UNKNOWN_TYPE Line 2: equipment type 'Climatisation'");
    expect(text).toContain('equipements-physiques.csv:8:dateAchat: INP_BAD_DATE');
  });
  it('prints JSON with messages', async () => {
    const { value, out } = io();
    await runValidate(['test/fixtures/inventory/g4it/datacenter.csv'], { format: 'json' }, value);
    const json = JSON.parse(out.join(''));
    expect(json.files[0]).toMatchObject({
      kind: 'datacenter',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      read: 1,
      imported: 1,
    });
    expect(json.totals).toEqual({ read: 1, imported: 1, rejected: 0, warnings: 0 });
  });
  it('throws the file-level error as one line file:line: CODE message (exit 2 at the entry point)', async () => {
    const d = await mkdtemp(join(tmpdir(), 'empreinte-cli-'));
    const p = join(d, 'x.csv');
    await writeFile(p, 'nomEquipementPhysique;modele\nA;"open');
    const { value, out } = io();
    const e = await runValidate([p], {}, value).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EmpreinteError);
    expect(formatIssue((e as EmpreinteError).issue)).toBe(
      `${p}:1: INP_HEADER_MISSING ${p} header is missing mandatory columns: quantite, type, paysDUtilisation.`,
    );
    expect(out.join('')).toContain('failed');
  });
  it('refuses bad option values', async () => {
    const { value } = io();
    await expect(runValidate(['x'], { format: 'xml' }, value)).rejects.toThrow(/INP_BAD_ENUM/);
    await expect(runValidate(['x'], { encoding: 'ebcdic' }, value)).rejects.toThrow(/INP_BAD_ENUM/);
    await expect(runValidate(['x'], { date: '2024-02-30' }, value)).rejects.toThrow(/INP_BAD_DATE/);
  });
  it('registers the command with its options', () => {
    const program = new Command();
    registerValidate(program);
    const cmd = program.commands.find((c) => c.name() === 'validate')!;
    expect(cmd.options.map((o) => o.long)).toEqual([
      '--mapping',
      '--sources',
      '--rejects',
      '--format',
      '--strict',
      '--referential',
      '--encoding',
      '--date',
    ]);
  });
});

describe('header detection and record parsing', () => {
  it('recognises kinds by header, never by name', () => {
    expect(guessKind(['nomEntite', 'nbCollaborateurs'])).toBe('entity');
    expect(guessKind(['nomEntite'])).toBe('entity');
    expect(guessKind(['name', 'location'])).toBe('datacenter'); // native datacenter (complete)
    expect(guessKind(['nomEquipementVirtuel', 'consoElecAn', 'typeEqv'])).toBe('virtual-equipment');
    expect(guessKind(['nombreMailEmis', 'nombreMailEmisXDestinataires', 'volumeTotalMailEmis', 'MoisAnnee'])).toBe(
      'messaging',
    );
    // A GLPI export: Statut, Fabricant and Type are physical-equipment names, but 3 of 10 cells is less than half
    // and mandatory columns are missing: not recognised (the mapping layer handles it).
    const glpi = [
      'Nom',
      'Entité',
      'Statut',
      'Fabricant',
      'Lieu',
      'Type',
      'Modèle',
      'Numéro de série',
      "Date d'achat",
      'Usager',
    ];
    expect(guessKind(glpi)).toBeUndefined();
    // Case-insensitive, trimmed.
    const r = detectKind([' NOMEQUIPEMENTPHYSIQUE', 'Modele', 'QUANTITE', 'type', 'paysdutilisation']);
    expect(r.ok && r.kind).toBe('physical-equipment');
  });
  it('parses a record keyed by canonical, alias or native names', () => {
    const ctx = { mode: 'lenient' as const };
    const res = parseRecord(
      'virtual-equipment',
      { name: 'VM', nomEquipementPhysique: 'H', consoElecAn: '12,5', typeEqv: 'stockage', capaciteStockage: '100' },
      7,
      ctx,
    );
    expect(res).toEqual({
      ok: true,
      item: {
        kind: 'virtual-equipment',
        item: { name: 'VM', host: 'H', annualKWh: 12.5, vmType: 'storage', storage: 100 },
      },
      warnings: [],
    });
    const bad = parseRecord('virtual-equipment', { nomEquipementVirtuel: 'VM', typeEqv: 'stockage' }, 8, ctx);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.map((e) => [e.code, e.line, e.column])).toEqual([
      ['INP_HOST_REQUIRED', 8, 'nomEquipementPhysique'],
    ]);
  });
});
