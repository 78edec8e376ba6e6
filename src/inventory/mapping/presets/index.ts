/**
 * Built-in mapping presets (docs/mapping.md lists the columns each expects and how each field is derived) and
 * header-based preset detection. Header names, values and conventions: ../shared/samples/README.md (GLPI 10.0/11.0,
 * OCS Inventory NG 2.12, Microsoft Intune `DevicesWithInventory`).
 */
import { fold } from '../fold.js';
import type { FieldRule, Preset } from '../model.js';
import {
  COMPUTER_TYPES,
  DEFAULT_PARAMETERS,
  GLPI,
  VIRTUAL_MODEL_PATTERN,
  VIRTUAL_TYPES,
  VM_REASON,
  computerModelRules,
  glpiCommonFields,
} from './common.js';
import { lansweeperAssets } from './lansweeper.js';
import { glpiMonitorPhoneVotes } from './values.js';
import { snipeitAssets } from './snipeit.js';

const GLPI_BASE = [GLPI.name, GLPI.status, GLPI.manufacturer, GLPI.type, GLPI.model];
const GLPI_COMPUTER_ONLY = [...GLPI.os, ...GLPI.processor, ...GLPI.memory, ...GLPI.disk];
const GLPI_PARAMS = { ...DEFAULT_PARAMETERS, dataSource: 'GLPI' };

const glpiComputers: Preset = {
  id: 'glpi-computers',
  title: 'GLPI computers',
  source: 'GLPI 10.0 / 11.0, Parc > Ordinateurs / Assets > Computers, CSV export (fr_FR or en_GB headers)',
  signature: { groups: [...GLPI_BASE, GLPI_COMPUTER_ONLY] },
  mapping: {
    kind: 'physical-equipment',
    description: 'GLPI computers export (one row = one computer; virtual machines are excluded).',
    parameters: GLPI_PARAMS,
    fields: {
      ...glpiCommonFields(),
      type: { from: [...GLPI.type], map: { ...COMPUTER_TYPES }, rules: computerModelRules(GLPI.model) },
      typeDeProcesseur: { from: [...GLPI.processor], optional: true },
      tailleMemoire: { from: [...GLPI.memory], optional: true, unit: { from: 'auto', to: 'GiB', round: true } },
      tailleDuDisque: { from: [...GLPI.disk], optional: true, unit: { from: 'auto', to: 'GB', round: true } },
    },
    exclude: [
      { if: [{ column: [...GLPI.type], values: VIRTUAL_TYPES }], reason: VM_REASON },
      { if: [{ column: [...GLPI.model], pattern: VIRTUAL_MODEL_PATTERN }], reason: VM_REASON },
    ],
  },
};

const glpiMonitors: Preset = {
  id: 'glpi-monitors',
  title: 'GLPI monitors',
  source: 'GLPI 10.0 / 11.0, Parc > Moniteurs / Assets > Monitors, CSV export',
  signature: { groups: [...GLPI_BASE, GLPI.monitorOnly] },
  mapping: {
    kind: 'physical-equipment',
    description:
      'GLPI monitors export. GLPI names EDID-created monitors after their model, so the name is the serial number when there is one.',
    parameters: GLPI_PARAMS,
    fields: {
      ...glpiCommonFields(),
      // The serial is not a default column of the list: without it, the name (a default export of EDID-created
      // monitors then repeats names, reported as duplicates).
      nomEquipementPhysique: { from: [...GLPI.serial], fallback: [[...GLPI.name]], optional: true },
      type: {
        from: [...GLPI.type],
        otherwise: 'empty',
        default: 'Monitor',
        rules: [
          {
            if: [{ column: [...GLPI.type], pattern: '(visio|t[ée]l[ée]vis|\\bTV\\b|affichage dynamique|signage)' }],
            value: 'TV',
          },
        ],
      },
    },
  },
};

const NETWORK_TYPES: Record<string, string> = {
  Switch: 'Switch',
  Commutateur: 'Switch',
  'Pare-feu': 'Firewall',
  Firewall: 'Firewall',
  Routeur: 'Router',
  Router: 'Router',
  'Borne Wi-Fi': 'Wi-Fi access point',
  'Borne wifi': 'Wi-Fi access point',
  'Access point': 'Wi-Fi access point',
  "Point d'accès": 'Wi-Fi access point',
  Stockage: 'Storage',
  Storage: 'Storage',
  NAS: 'Storage',
};

const glpiNetwork: Preset = {
  id: 'glpi-network-equipment',
  title: 'GLPI network equipment',
  source: 'GLPI 10.0 / 11.0, Parc > Matériels réseau / Assets > Network devices, CSV export',
  signature: { groups: [...GLPI_BASE, GLPI.firmware] },
  mapping: {
    kind: 'physical-equipment',
    description: 'GLPI network equipment export; SNMP-discovered devices (type Networking) are typed from their model.',
    parameters: GLPI_PARAMS,
    fields: {
      ...glpiCommonFields(),
      type: {
        from: [...GLPI.type],
        map: NETWORK_TYPES,
        rules: [
          {
            if: [{ column: [...GLPI.model], pattern: '(FortiGate|^PA-\\d|^SRX|ASA ?\\d|Firebox|SonicWall)' }],
            value: 'Firewall',
          },
          { if: [{ column: [...GLPI.model], pattern: '(^ISR|^ASR|^C8\\d{2}|Router|^MX\\d)' }], value: 'Router' },
          { if: [{ column: [...GLPI.model], pattern: '(^AP-|^AIR-|Access Point|^UAP)' }], value: 'Wi-Fi access point' },
          {
            if: [
              {
                column: [...GLPI.model],
                pattern: '(^C9[23]\\d{2}|^WS-C|^C1000|^C9500|Switch|OfficeConnect|ProCurve|^EX\\d|^SG\\d|^GS\\d)',
              },
            ],
            value: 'Switch',
          },
          { if: [{ column: [...GLPI.type], values: ['Networking'] }], value: 'Network' },
        ],
      },
    },
  },
};

const glpiPhones: Preset = {
  id: 'glpi-phones',
  title: 'GLPI phones',
  source: 'GLPI 10.0 / 11.0, Parc > Téléphones / Assets > Phones, CSV export',
  signature: {
    groups: [...GLPI_BASE, GLPI.alternateUser],
    absent: [...GLPI_COMPUTER_ONLY, ...GLPI.monitorOnly, ...GLPI.firmware, ...GLPI.pageCounter],
  },
  mapping: {
    kind: 'physical-equipment',
    description: 'GLPI phones export: smartphones, desk/IP/DECT phones (as IP phone), tablets.',
    parameters: GLPI_PARAMS,
    fields: {
      ...glpiCommonFields(),
      type: {
        from: [...GLPI.type],
        map: {
          Smartphone: 'Smartphone',
          'Téléphone mobile': 'Smartphone',
          'Téléphone portable': 'Smartphone',
          Mobile: 'Smartphone',
          'Mobile phone': 'Smartphone',
          'Téléphone IP': 'IP phone',
          'IP phone': 'IP phone',
          'Téléphone fixe': 'IP phone',
          'Desk phone': 'IP phone',
          DECT: 'IP phone',
          'Pieuvre de conférence': 'IP phone',
          'Conference phone': 'IP phone',
          Tablette: 'Tablet',
          Tablet: 'Tablet',
        },
        rules: [
          { if: [{ column: [...GLPI.model], pattern: '(iPad|Galaxy Tab|^SM-[TX]\\d)' }], value: 'Tablet' },
          {
            if: [{ column: [...GLPI.model], pattern: '(iPhone|Galaxy|^SM-[ASGMN]\\d|Pixel|CORE-Z|XCover|Fairphone)' }],
            value: 'Smartphone',
          },
          {
            if: [{ column: [...GLPI.model], pattern: '(^CP-|DeskPhone|IP Touch|DECT|Trio|^T\\d{2}|^VVX)' }],
            value: 'IP phone',
          },
        ],
      },
    },
  },
};

const glpiPrinters: Preset = {
  id: 'glpi-printers',
  title: 'GLPI printers',
  source: 'GLPI 10.0 / 11.0, Parc > Imprimantes / Assets > Printers, CSV export',
  signature: { groups: [...GLPI_BASE, GLPI.pageCounter] },
  mapping: {
    kind: 'physical-equipment',
    description: 'GLPI printers export: every printer, copier, plotter and label printer is the Printer type.',
    parameters: GLPI_PARAMS,
    fields: { ...glpiCommonFields(), type: { value: 'Printer' } },
  },
};

const OCS = {
  name: ['Machine', 'Computer'],
  manufacturer: ['Fabricant', 'Manufacturer'],
  model: ['Modèle', 'Model'],
  ram: ['RAM (Mo)', 'RAM (MB)'],
  os: ['Systeme', 'Operating system'],
  category: ["Catégorie d'Actifs", 'Assets category'],
  user: ['Utilisateur connecté', 'Connected user'],
  tag: ['Account info : TAG'],
};

const ocsComputers: Preset = {
  id: 'ocs-computers',
  title: 'OCS Inventory computers',
  source: 'OCS Inventory NG 2.12 (ocsreports), Tous les ordinateurs / All computers, CSV export',
  signature: { groups: [OCS.name, OCS.ram, OCS.model, OCS.os] },
  mapping: {
    kind: 'physical-equipment',
    description:
      'OCS Inventory computer list. No purchase or retirement date exists in OCS (BIOS date is a firmware date, not used).',
    parameters: { ...DEFAULT_PARAMETERS, dataSource: 'OCS Inventory' },
    fields: {
      nomEquipementPhysique: { from: OCS.name },
      modele: { from: OCS.model },
      quantite: { value: '1' },
      type: { from: OCS.category, optional: true, map: { ...COMPUTER_TYPES }, rules: computerModelRules(OCS.model) },
      paysDUtilisation: { value: '${defaultCountry}' },
      fabricant: { from: OCS.manufacturer, optional: true },
      utilisateur: { from: OCS.user, optional: true },
      // OCS reports the memory seen by the OS in MiB (16076 for 16 GiB installed): rounded up to whole GiB.
      tailleMemoire: { from: OCS.ram, unit: { from: 'MiB', to: 'GiB', round: 'up' } },
      nomEntite: { from: OCS.tag, optional: true },
      nomSourceDonnee: { value: '${dataSource}' },
    },
    exclude: [{ if: [{ column: OCS.model, pattern: VIRTUAL_MODEL_PATTERN }], reason: VM_REASON }],
  },
};

const INTUNE = {
  name: ['Device name'],
  model: ['Model'],
  os: ['OS'],
};
const intuneIs = (os: string, model?: string) => [
  { column: INTUNE.os, pattern: os },
  ...(model ? [{ column: INTUNE.model, pattern: model }] : []),
];

const intuneDevices: Preset = {
  id: 'intune-devices',
  title: 'Microsoft Intune devices',
  source: 'Microsoft Intune, Devices > All devices > Export (report DevicesWithInventory), CSV',
  signature: { groups: [['Device ID'], INTUNE.name, INTUNE.model, INTUNE.os, ['Ownership'], ['Serial number']] },
  mapping: {
    kind: 'physical-equipment',
    description:
      'Intune managed devices. No purchase date (enrolment is not purchase) and no location: the country is the defaultCountry parameter. Personal devices are kept with usage mode BYOD.',
    parameters: { ...DEFAULT_PARAMETERS, dataSource: 'Intune' },
    fields: {
      // iOS devices are all named `iPhone`/`iPad` by default: the serial number is the unique name.
      nomEquipementPhysique: { from: ['Serial number'], fallback: [INTUNE.name, ['Device ID']] },
      modele: { from: INTUNE.model },
      quantite: { value: '1' },
      type: {
        otherwise: 'empty',
        rules: [
          { if: intuneIs('^(iOS|iPadOS|iOS/iPadOS)$', '^iPad'), value: 'Tablet' },
          { if: intuneIs('^(iOS|iPadOS|iOS/iPadOS)$', '^iPhone'), value: 'Smartphone' },
          { if: intuneIs('^Android', '(Tab|^SM-[TX]\\d)'), value: 'Tablet' },
          { if: intuneIs('^Android'), value: 'Smartphone' },
          { if: intuneIs('^(macOS|Windows)', 'MacBook'), value: 'Laptop' },
          ...computerModelRules(INTUNE.model).map((r) => ({
            ...r,
            if: [{ column: INTUNE.os, pattern: '^(macOS|Windows)' }, ...r.if],
          })),
        ],
      } satisfies FieldRule,
      statut: { from: ['Device state'], optional: true },
      paysDUtilisation: { value: '${defaultCountry}' },
      fabricant: { from: ['Manufacturer'], optional: true },
      utilisateur: { from: ['Primary user UPN'], optional: true },
      tailleDuDisque: { from: ['Total storage'], optional: true, unit: { from: 'MB', to: 'GB', round: true } },
      modeUtilisation: { from: ['Ownership'], optional: true, map: { Personal: 'BYOD' }, otherwise: 'empty' },
      nomSourceDonnee: { value: '${dataSource}' },
    },
  },
};

export const PRESETS: readonly Preset[] = [
  glpiComputers,
  glpiMonitors,
  glpiNetwork,
  glpiPhones,
  glpiPrinters,
  ocsComputers,
  intuneDevices,
  snipeitAssets,
  lansweeperAssets,
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** Number of signature groups the header satisfies, or -1 when it does not match the preset. */
export function presetScore(preset: Preset, header: readonly string[]): number {
  const names = new Set(header.map(fold));
  for (const a of preset.signature.absent ?? []) if (names.has(fold(a))) return -1;
  for (const g of preset.signature.groups) if (!g.some((n) => names.has(fold(n)))) return -1;
  return preset.signature.groups.length;
}

/**
 * The preset whose signature the header matches (every group present, no `absent` column), the one with the most
 * groups when several match; undefined when none matches or the best ones tie (ambiguous: pass `--mapping`).
 * `rows` (the first rows of the table, `SAMPLE_ROWS` are enough) settle headers two presets share: a GLPI list with
 * the default monitor/phone columns is read as monitors when more of its rows look like monitors than like phones
 * (`glpiMonitorPhoneVotes`); without rows, or when the rows do not lean to monitors, it stays phones.
 */
export function detectPreset(header: readonly string[], rows?: readonly (readonly string[])[]): Preset | undefined {
  const best = detectByHeader(header);
  if (presetNeedsRows(best, header) && rows !== undefined && rows.length > 0) {
    const votes = glpiMonitorPhoneVotes(header, rows);
    if (votes.monitors > votes.phones) return glpiMonitors;
  }
  return best;
}

/**
 * Whether the preset detected from a header alone may change once rows are seen (`detectPreset` with rows): a GLPI
 * phones header without any phone-only column (it may be a default monitor list).
 */
export function presetNeedsRows(preset: Preset | undefined, header: readonly string[]): boolean {
  if (preset?.id !== 'glpi-phones') return false;
  const phoneOnly = new Set(GLPI.phoneOnly.map(fold));
  return !header.some((h) => phoneOnly.has(fold(h)));
}

function detectByHeader(header: readonly string[]): Preset | undefined {
  let best: Preset | undefined;
  let bestScore = -1;
  let tie = false;
  for (const p of PRESETS) {
    const s = presetScore(p, header);
    if (s < 0) continue;
    if (s > bestScore) {
      best = p;
      bestScore = s;
      tie = false;
    } else if (s === bestScore) tie = true;
  }
  return tie ? undefined : best;
}
