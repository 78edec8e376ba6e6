/**
 * French issue messages (src/issues/messages-fr.ts): one template per catalogue code, with exactly the placeholders of
 * the English template, rendered by issueMessage/formatIssue only when asked (`lang = 'fr'`); English stays the default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, formatIssue, issue, issueMessage, type IssueCode } from '../../src/issues/catalogue.js';
import { FR } from '../../src/issues/messages-fr.js';

const placeholders = (template: string): string[] =>
  [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
const codes = Object.keys(CATALOGUE) as IssueCode[];

describe('French issue templates', () => {
  it('cover exactly the codes of the catalogue', () => {
    expect(codes.length).toBeGreaterThan(0);
    expect(Object.keys(FR).sort()).toEqual([...codes].sort());
    for (const c of codes) expect(FR[c].trim(), c).not.toBe('');
  });

  it('use the same set of {placeholders} as the English template, for every code', () => {
    const mismatches = codes.filter((c) => placeholders(FR[c]).join() !== placeholders(CATALOGUE[c].message).join());
    expect(mismatches).toEqual([]);
  });

  it('are translations, not copies of the English text', () => {
    expect(codes.filter((c) => FR[c] === CATALOGUE[c].message)).toEqual([]);
  });

  it('keep braces only around placeholders (no stray "{" or "}")', () => {
    for (const c of codes) expect(FR[c].replace(/\{\w+\}/g, ''), c).not.toMatch(/[{}]/);
  });

  it('messages-fr.ts imports nothing at run time (no import cycle with catalogue.ts)', () => {
    const src = readFileSync(join(import.meta.dirname, '../../src/issues/messages-fr.ts'), 'utf8');
    const imports = [...src.matchAll(/^import .*$/gm)].map((m) => m[0]);
    expect(imports).toEqual(["import type { IssueCode } from './catalogue.js';"]);
  });
});

describe('issueMessage and formatIssue with a language', () => {
  const required = issue(
    'INP_REQUIRED',
    { field: 'dureeUsageInterne' },
    { file: 'parc.csv', line: 12, column: 'dureeUsageInterne' },
  );

  it('render the French template with the same values when lang is fr', () => {
    // FR template: "Ligne {line} : le champ « {field} » est obligatoire." with line 12, field dureeUsageInterne.
    expect(issueMessage(required, {}, 'fr')).toBe('Ligne 12 : le champ « dureeUsageInterne » est obligatoire.');
    expect(formatIssue(required, 'fr')).toBe(
      'parc.csv:12:dureeUsageInterne: INP_REQUIRED Ligne 12 : le champ « dureeUsageInterne » est obligatoire.',
    );
  });

  it('stay English by default and with lang en', () => {
    const en = "parc.csv:12:dureeUsageInterne: INP_REQUIRED Line 12: field 'dureeUsageInterne' is mandatory.";
    expect(formatIssue(required)).toBe(en);
    expect(formatIssue(required, 'en')).toBe(en);
  });

  it('fill placeholders from the context in French too', () => {
    const e = issue('CALC_ELECTRICITY_MISSING', { item: 'ademe-laptop' });
    // {name} comes from the context (the item of the row), {item} from the details.
    expect(issueMessage(e, { name: 'PC-042' }, 'fr')).toBe(
      "Consommation électrique manquante pour l'équipement « PC-042 » : ni consoElecAnnuelle, ni consommation moyenne sur l'élément de référence « ademe-laptop ».",
    );
  });
});

describe('messages of issues without a line', () => {
  it('drop the "Line {line}:" lead instead of printing a literal placeholder (EN and FR)', async () => {
    const { issue, issueMessage } = await import('../../src/issues/catalogue.js');
    const opt = issue('INP_BAD_ENUM', { field: '--profile', allowed: 'rcp, numecoeval', value: 'nope' });
    expect(issueMessage(opt)).toBe("Field '--profile' accepts rcp, numecoeval; 'nope' is not recognised.");
    expect(issueMessage(opt, {}, 'fr')).not.toContain('{line}');
    expect(issueMessage(opt, {}, 'fr').startsWith('Le champ')).toBe(true);
    const row = issue('INP_BAD_ENUM', { field: 'x', allowed: 'a', value: 'b' }, { line: 3 });
    expect(issueMessage(row)).toBe("Line 3: field 'x' accepts a; 'b' is not recognised.");
  });

  it('name inventory kinds in French: a duplicate key of physical equipment, an all-rejected datacenter file', () => {
    const dup = issue(
      'INP_DUPLICATE_KEY',
      { entity: 'physical equipment', key: 'PC-1', firstLine: '3' },
      { file: 'parc.csv', line: 7, column: 'nomEquipementPhysique' },
    );
    expect(issueMessage(dup, {}, 'fr')).toBe(
      'Ligne 7 : la clé « PC-1 » (équipement physique) est déjà définie à la ligne 3.',
    );
    expect(issueMessage(dup, {}, 'en')).toContain('physical equipment');
    const all = issue('INP_ALL_LINES_REJECTED', { rejected: 2, kind: 'datacenter' }, { file: 'dc.csv' });
    expect(issueMessage(all, {}, 'fr')).toContain('lues comme centre de données');
  });
});
