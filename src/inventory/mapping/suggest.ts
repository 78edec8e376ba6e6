/**
 * `empreinte mapping suggest`: a mapping proposed from a header alone. A header matching a built-in preset gets that
 * preset (fully written out, to be edited). Otherwise each canonical column of the kind is matched to the header
 * column that best fits it: exact name (canonical, native English, G4IT alias), FR/EN synonyms, a GLPI-style
 * `Group - Name` suffix, then token similarity (≥ 0.75). Mandatory columns left without a source get a constant
 * (`quantite` 1, `paysDUtilisation` `${defaultCountry}`) or are listed as missing.
 */
import { stringify } from 'yaml';
import { KIND_SPECS, nativeName } from '../columns.js';
import { guessKind } from '../detect.js';
import type { InventoryKind } from '../model.js';
import { fold } from './fold.js';
import type { FieldRule, MappingFile, UnitConversion } from './model.js';
import { DEFAULT_PARAMETERS } from './presets/common.js';
import { PRESETS, detectPreset } from './presets/index.js';

/** French and English words exports use for each canonical column (choice; extend freely). */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  nomEquipementPhysique: [
    'name',
    'nom',
    'hostname',
    'host name',
    'device name',
    'computer',
    'machine',
    'asset name',
    "nom de l'equipement",
    'equipement',
    'asset',
    'asset tag',
    'inventaire',
    "numero d'inventaire",
    'etiquette',
  ],
  modele: ['model', 'modele', 'product', 'product name', 'reference', 'model name', 'designation', 'libelle'],
  type: [
    'type',
    'device type',
    'equipment type',
    "type d'equipement",
    'category',
    'categorie',
    'chassis type',
    'asset type',
  ],
  quantite: ['quantity', 'quantite', 'qty', 'qte', 'nombre', 'count', 'number of units'],
  statut: ['status', 'statut', 'state', 'etat', 'device state'],
  paysDUtilisation: ['country', 'pays', 'country of use', "pays d'utilisation"],
  dateAchat: [
    'purchase date',
    "date d'achat",
    'date of purchase',
    'acquisition date',
    "date d'acquisition",
    'buy date',
  ],
  dateRetrait: [
    'retirement date',
    'date de retrait',
    'date de reforme',
    'decommission date',
    'disposal date',
    'end of life date',
  ],
  fabricant: ['manufacturer', 'fabricant', 'brand', 'marque', 'vendor', 'constructeur', 'make'],
  utilisateur: ['user', 'utilisateur', 'owner', 'primary user', 'primary user upn', 'assigned to', 'usager'],
  nomEntite: [
    'entity',
    'entite',
    'department',
    'departement',
    'service',
    'direction',
    'organisation unit',
    'business unit',
  ],
  nomCourtDatacenter: ['datacenter', 'data center', 'centre de donnees', 'salle serveur'],
  consoElecAnnuelle: [
    'annual consumption',
    'annual energy',
    'kwh per year',
    'consommation electrique',
    'consommation annuelle',
    'kwh/an',
    'consommation',
    'conso',
    'consumption',
    'energy consumption',
    'energie',
    'energy',
  ],
  tailleMemoire: ['memory', 'memoire', 'ram', 'ram (mb)', 'ram (mo)', 'ram size', 'memoire vive', 'installed memory'],
  tailleDuDisque: [
    'disk',
    'disque',
    'disk size',
    'storage',
    'total storage',
    'hard drive size',
    'taille du disque dur',
    'taille disque',
    'capacite disque',
    'capacite de stockage',
    'stockage',
    'disque dur',
    'hdd',
    'ssd',
    'hard drive',
    'hard disk',
  ],
  typeDeProcesseur: ['processor', 'processeur', 'cpu', 'cpu model', 'cpu type'],
  nbCoeur: ['cores', 'coeurs', 'nombre de coeurs', 'cpu cores', 'number of cores'],
  dureeUsageInterne: ['lifetime', 'lifespan', 'duree de vie', "duree d'usage", 'years of use'],
  nomEquipementVirtuel: ['vm', 'vm name', 'virtual machine', 'machine virtuelle', 'nom de la vm'],
  vCPU: ['vcpu', 'vcpus', 'virtual cpu', 'cpu count'],
  nomApplication: ['application', 'application name', "nom de l'application", 'app'],
  typeEnvironnement: ['environment', 'environnement', 'env'],
  localisation: ['country', 'pays', 'location', 'localisation'],
  pue: ['pue'],
};

export interface Suggestion {
  readonly kind: InventoryKind;
  /** Built-in preset recognised from the header, if any. */
  readonly preset?: string;
  readonly mapping: MappingFile;
  /** Header columns the suggestion does not use. */
  readonly unused: readonly string[];
  /** Mandatory canonical columns left without a source. */
  readonly missing: readonly string[];
  /** The suggestion as a commented YAML document. */
  readonly yaml: string;
}

function tokens(s: string): string[] {
  return fold(s)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** Similarity of two names in [0, 1]: Dice coefficient of their character bigrams. */
function similarity(a: string, b: string): number {
  const x = tokens(a).join(' ');
  const y = tokens(b).join(' ');
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) grams.set(x.slice(i, i + 2), (grams.get(x.slice(i, i + 2)) ?? 0) + 1);
  let common = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const g = y.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      common++;
      grams.set(g, n - 1);
    }
  }
  return (2 * common) / (x.length - 1 + (y.length - 1));
}

/** The header without a trailing unit in parentheses or brackets: `Consommation (kWh/an)` → `Consommation`. */
function withoutUnit(header: string): string {
  return header.replace(/\s*[([][^)\]]*[)\]]\s*$/, '');
}

/** The unit written in a header, `Disque (Go)` → `go`, `RAM [MB]` → `mb`, lowercased; undefined when none. */
function headerUnit(header: string): string | undefined {
  const m = /[([]\s*([^)\]]+?)\s*[)\]]\s*$/.exec(header);
  return m ? fold(m[1]!) : undefined;
}

/**
 * The unit conversion a size or energy column needs, from the unit in its header. Memory is counted in binary
 * sizes (`16384 Mo` is a 16 GB machine); disks in decimal ones; a header in kWh per year needs none.
 * `unit: false` says the header's unit does not fit the column (a consumption in W, a size in a count).
 */
function unitFor(canonical: string, header: string): UnitConversion | undefined | false {
  const u = headerUnit(header);
  if (u === undefined) return undefined;
  const bytes: Readonly<Record<string, 'B' | 'KB' | 'MB' | 'GB' | 'TB'>> = {
    o: 'B', b: 'B', octets: 'B', bytes: 'B', ko: 'KB', kb: 'KB', kio: 'KB', kib: 'KB', mo: 'MB', mb: 'MB', mio: 'MB',
    mib: 'MB', go: 'GB', gb: 'GB', gio: 'GB', gib: 'GB', to: 'TB', tb: 'TB', tio: 'TB', tib: 'TB',
  }; // prettier-ignore
  if (canonical === 'tailleMemoire' || canonical === 'tailleDuDisque') {
    const b = bytes[u];
    if (b === undefined) return false;
    if (canonical === 'tailleMemoire') {
      if (b === 'GB') return undefined;
      const binary = { B: 'B', KB: 'KiB', MB: 'MiB', GB: 'GiB', TB: 'TiB' } as const;
      return { from: binary[b], to: 'GiB', round: 'up' };
    }
    if (b === 'GB' && !/^gi[ob]$/.test(u)) return undefined;
    const binaryDisk = { B: 'B', KB: 'KiB', MB: 'MiB', GB: 'GiB', TB: 'TiB' } as const;
    if (/^[kmgt]i[ob]$/.test(u)) return { from: binaryDisk[b], to: 'GB', round: true }; // `Gio`: 238.47 Gio = 256 GB
    return { from: b, to: 'GB', round: true };
  }
  if (canonical === 'consoElecAnnuelle') {
    const k = u.replace(/\s+/g, '');
    if (/^kwh(\/(an|a|y|yr|year|annee))?$/.test(k)) return undefined;
    if (/^mwh(\/(an|a|y|yr|year|annee))?$/.test(k)) return { from: 'MWh', to: 'kWh' };
    if (/^wh(\/(an|a|y|yr|year|annee))?$/.test(k)) return { from: 'Wh', to: 'kWh' };
    return false; // watts are a power, not a yearly energy: map it by hand (`unit: { from: W, … hoursPerYear }`)
  }
  return undefined;
}

/** Score of a header cell as the source of a canonical column (0 = no match). */
function score(header: string, names: readonly string[]): number {
  const bare = withoutUnit(header);
  if (bare !== header && bare !== '') return Math.max(scoreName(header, names), 0.95 * scoreName(bare, names));
  return scoreName(header, names);
}

function scoreName(header: string, names: readonly string[]): number {
  const h = tokens(header).join(' ');
  // GLPI-style group prefix: `Financial and administrative information - Date of purchase`.
  const suffix = header.includes(' - ') ? tokens(header.slice(header.lastIndexOf(' - ') + 3)).join(' ') : undefined;
  let best = 0;
  for (const n of names) {
    const k = tokens(n).join(' ');
    if (k === '') continue;
    if (h === k) return 1;
    if (suffix === k) best = Math.max(best, 0.9);
    const s = similarity(header, n);
    if (s >= 0.75) best = Math.max(best, 0.8 * s);
  }
  return best;
}

export interface SuggestOptions {
  /** Forces the kind (default: the guessed kind, else physical equipment). */
  readonly kind?: InventoryKind;
  /** The first rows of the table (cells in header order): they settle presets and give the type value map. */
  readonly rows?: readonly (readonly string[])[];
}

/** Columns proposed on top of a recognised preset when the header has them (the presets do not all read them). */
const EXTRA_COLUMNS = ['consoElecAnnuelle', 'tailleMemoire', 'tailleDuDisque', 'typeDeProcesseur', 'nbCoeur'];

/** Distinct values listed in a value map skeleton (choice: a readable file; the others are reported as unknown). */
const MAX_MAP_VALUES = 40;

/**
 * Item type names the built-in presets map words to, keyed by folded word (plural `s` dropped as a second try):
 * the guesses of a value map skeleton. A value without a guess maps to itself, to be confirmed.
 */
function typeGuesses(): Map<string, string> {
  const guesses = new Map<string, string>();
  for (const p of PRESETS) {
    const type = p.mapping.fields.type;
    if (typeof type !== 'object' || !type.map) continue;
    for (const [k, v] of Object.entries(type.map)) if (!guesses.has(fold(k))) guesses.set(fold(k), v);
  }
  for (const v of new Set(guesses.values())) if (!guesses.has(fold(v))) guesses.set(fold(v), v);
  return guesses;
}

function guessType(value: string, guesses: ReadonlyMap<string, string>): string | undefined {
  const k = fold(value);
  return guesses.get(k) ?? (k.endsWith('s') ? guesses.get(k.slice(0, -1)) : guesses.get(`${k}s`));
}

/**
 * Value map skeleton of the type column: each distinct value of the first rows (in order of appearance) → the item
 * type a built-in preset gives that word, else the value itself. `unsure` lists the values left as they are.
 */
function typeValueMap(
  rows: readonly (readonly string[])[],
  index: number,
): { map: Record<string, string>; unsure: string[]; more: number } {
  const guesses = typeGuesses();
  const map: Record<string, string> = {};
  const unsure: string[] = [];
  const seen = new Set<string>();
  let more = 0;
  for (const cells of rows) {
    const v = (cells[index] ?? '').trim();
    if (v === '' || seen.has(fold(v))) continue;
    seen.add(fold(v));
    if (Object.keys(map).length >= MAX_MAP_VALUES) {
      more++;
      continue;
    }
    const g = guessType(v, guesses);
    map[v] = g ?? v;
    if (g === undefined) unsure.push(v);
  }
  return { map, unsure, more };
}

/** Propose a mapping for a header (`kind` forces the kind; default: the guessed kind, else physical equipment). */
export function suggestMapping(header: readonly string[], options: SuggestOptions = {}): Suggestion {
  const cleaned = header.map((h) => h.replace(/^\ufeff/, '').trim());
  const preset = detectPreset(cleaned, options.rows);
  if (preset && (options.kind === undefined || options.kind === preset.mapping.kind)) {
    const m = preset.mapping;
    const used = new Set<string>();
    const collect = (ref: unknown): void => {
      if (typeof ref === 'string') used.add(fold(ref));
      else if (Array.isArray(ref)) ref.forEach(collect);
      else if (ref && typeof ref === 'object') Object.values(ref).forEach(collect);
    };
    collect(m.fields);
    collect(m.exclude);
    // Columns the preset does not read but the organisation added (Snipe-IT custom fields, GLPI extra columns):
    // consumption, memory, disk, processor, cores, matched as for an unknown header.
    const fields: Record<string, FieldRule> = { ...m.fields };
    const added: string[] = [];
    for (const canonical of EXTRA_COLUMNS) {
      const spec = KIND_SPECS[m.kind].columns.find((c) => c.canonical === canonical);
      if (!spec || fields[canonical] !== undefined) continue;
      const names = [spec.canonical, nativeName(spec), ...(spec.aliases ?? []), ...(SYNONYMS[canonical] ?? [])];
      let best: { from: string; score: number } | undefined;
      for (const h of cleaned) {
        if (h === '' || used.has(fold(h))) continue;
        const sc = score(h, names);
        if (sc > 0 && (!best || sc > best.score)) best = { from: h, score: sc };
      }
      if (!best) continue;
      const unit = unitFor(canonical, best.from);
      if (unit === false) continue;
      fields[canonical] = unit ? { from: best.from, unit } : best.from;
      used.add(fold(best.from));
      added.push(`${best.from} → ${canonical}`);
    }
    const mapping: MappingFile = {
      kind: m.kind,
      name: preset.id,
      description: m.description,
      parameters: m.parameters,
      fields,
      ...(m.exclude ? { exclude: m.exclude } : {}),
    };
    const unused = cleaned.filter((h) => h !== '' && !used.has(fold(h)));
    const yaml =
      `# Header recognised as the built-in preset '${preset.id}' (${preset.source}).\n` +
      `# 'empreinte validate <file>' applies it without --mapping; the full preset is written below to be edited\n` +
      `# (or write only 'extends: ${preset.id}' plus the parameters or fields to change).\n` +
      (added.length
        ? `# Added to the preset from columns it does not read (not applied without this file): ${added.join(', ')}\n`
        : '') +
      (unused.length ? `# Header columns not used: ${unused.join(', ')}\n` : '') +
      stringify(mapping, { lineWidth: 0 });
    return { kind: m.kind, preset: preset.id, mapping, unused, missing: [], yaml };
  }

  const kind = options.kind ?? guessKind(cleaned) ?? 'physical-equipment';
  const candidates: { canonical: string; index: number; score: number }[] = [];
  for (const spec of KIND_SPECS[kind].columns) {
    const names = [spec.canonical, nativeName(spec), ...(spec.aliases ?? []), ...(SYNONYMS[spec.canonical] ?? [])];
    cleaned.forEach((h, index) => {
      if (h === '') return;
      const s = score(h, names);
      if (s > 0) candidates.push({ canonical: spec.canonical, index, score: s });
    });
  }
  // Greedy assignment, best scores first; each header column and each canonical column used once.
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen = new Map<string, number>();
  const taken = new Set<number>();
  for (const c of candidates) {
    if (chosen.has(c.canonical) || taken.has(c.index)) continue;
    chosen.set(c.canonical, c.index);
    taken.add(c.index);
  }
  const fields: Record<string, FieldRule> = {};
  const missing: string[] = [];
  const parameters: Record<string, string> = {};
  const notes: string[] = [];
  for (const spec of KIND_SPECS[kind].columns) {
    const i = chosen.get(spec.canonical);
    if (i !== undefined) {
      const from = cleaned[i]!;
      const unit = unitFor(spec.canonical, from);
      if (unit === false) {
        notes.push(
          `'${from}' looks like ${nativeName(spec)} but its unit does not fit: not mapped, convert it by hand`,
        );
        chosen.delete(spec.canonical);
        continue;
      }
      if (spec.canonical === 'type' && options.rows !== undefined && options.rows.length > 0) {
        const { map, unsure, more } = typeValueMap(options.rows, i);
        if (Object.keys(map).length > 0) {
          fields[nativeName(spec)] = { from, map };
          notes.push(
            `Value map of '${from}' from the first ${options.rows.length} rows: confirm each item type` +
              (unsure.length ? `; kept as written (no guess): ${unsure.join(', ')}` : '') +
              (more ? `; ${more} more values not listed` : ''),
          );
          continue;
        }
      }
      fields[nativeName(spec)] = unit ? { from, unit } : from;
    } else if (spec.e && spec.canonical === 'quantite') fields[nativeName(spec)] = { value: '1' };
    else if (spec.e && (spec.canonical === 'paysDUtilisation' || spec.canonical === 'localisation')) {
      fields[nativeName(spec)] = { value: '${defaultCountry}' };
      parameters.defaultCountry = DEFAULT_PARAMETERS.defaultCountry;
    } else if (spec.e) missing.push(spec.canonical);
  }
  const mapping: MappingFile = {
    kind,
    ...(Object.keys(parameters).length ? { parameters } : {}),
    fields,
  };
  const used = new Set(chosen.values());
  const unused = cleaned.filter((h, i) => h !== '' && !used.has(i));
  const yaml =
    `# Mapping proposed from the header (kind ${kind}); check every line before use.\n` +
    notes.map((n) => `# ${n}.\n`).join('') +
    (missing.length
      ? `# Mandatory columns without a source (add a column or a constant 'value'): ${missing.join(', ')}\n`
      : '') +
    (unused.length ? `# Header columns not used: ${unused.join(', ')}\n` : '') +
    stringify(mapping, { lineWidth: 0 });
  return { kind, mapping, unused, missing, yaml };
}
