/**
 * Lansweeper (Classic / On-prem) asset reports exported to CSV. A Lansweeper report's columns are the fields of its
 * database, named as in the report's SQL (`tblAssets.AssetName`, `tsysAssetTypes.AssetTypename As AssetType`,
 * `tblAssetCustom.Model`…), so they are the same whatever the interface language. Sources: Lansweeper's knowledge
 * base on asset keys (`tblAssets.AssetUnique`, monitor assets created from the scanned Windows computers) and the
 * built-in/community report SQL over `tblAssets`, `tblAssetCustom` and `tsysAssetTypes` (docs/mapping.md §3,
 * Lansweeper). Spaced spellings (`Asset name`, `Serial number`…) of the cloud interface are accepted too.
 */
import type { FieldRule, Preset } from '../model.js';
import { DEFAULT_PARAMETERS, VIRTUAL_MODEL_PATTERN, VM_REASON, computerModelRules } from './common.js';
import { mobileModelRules } from './snipeit.js';

export const LANSWEEPER = {
  /** `tblAssets.AssetName`. */
  name: ['AssetName', 'Asset name'],
  /** `tsysAssetTypes.AssetTypename`, aliased `AssetType` by the built-in reports. */
  type: ['AssetType', 'AssetTypename', 'Asset type'],
  /** `tblAssetCustom.Manufacturer`, `.Model`, `.Serialnumber`, `.PurchaseDate`, `.Warrantydate`, `.Location`. */
  manufacturer: ['Manufacturer'],
  model: ['Model'],
  serial: ['Serialnumber', 'Serial number'],
  purchase: ['PurchaseDate', 'Purchase date'],
  location: ['Location'],
  department: ['Department'],
  /** `tblAssets.Memory`: physical memory in MB. */
  memory: ['Memory'],
  user: ['Username', 'Contact'],
  /** Scan columns only Lansweeper reports carry (one of them makes the signature). */
  scan: ['AssetID', 'AssetUnique', 'Lastseen', 'Last seen', 'Firstseen', 'First seen', 'IPAddress', 'IP address'],
} as const;

/** `tsysAssetTypes.AssetTypename` values with an item type of their own. */
export const LANSWEEPER_TYPES: Readonly<Record<string, string>> = {
  Monitor: 'Monitor',
  Printer: 'Printer',
  Switch: 'Switch',
  Router: 'Router',
  Firewall: 'Firewall',
  'Wireless Access point': 'Wi-Fi access point',
  'Access point': 'Wi-Fi access point',
  NAS: 'Storage',
  SAN: 'Storage',
  iPhone: 'Smartphone',
  Mobile: 'Smartphone',
  Smartphone: 'Smartphone',
  iPad: 'Tablet',
  Tablet: 'Tablet',
  Chromebook: 'Laptop',
  'IP Phone': 'IP phone',
  VoIP: 'IP phone',
  'ESXi server': 'Server',
  Laptop: 'Laptop',
  Desktop: 'Desktop',
  Server: 'Server',
};

/** Asset types of virtual machines (`VMware Guest`): virtual, not physical, equipment. */
export const LANSWEEPER_VIRTUAL_TYPES = ['VMware Guest', 'Virtual Machine', 'Hyper-V guest'];

export const lansweeperAssets: Preset = {
  id: 'lansweeper-assets',
  title: 'Lansweeper assets',
  source: 'Lansweeper Classic / On-prem, asset report (AssetName, AssetType, Model…) exported to CSV or Excel',
  signature: { groups: [LANSWEEPER.name, LANSWEEPER.type, LANSWEEPER.model, LANSWEEPER.scan] },
  mapping: {
    kind: 'physical-equipment',
    description:
      'Lansweeper assets (one row = one asset). Computers are typed from their model (the asset type is the OS family: Windows, Linux, Apple Mac); VMware guests are excluded. Warrantydate is a warranty end, not a retirement: not used.',
    parameters: { ...DEFAULT_PARAMETERS, dataSource: 'Lansweeper' },
    fields: {
      nomEquipementPhysique: { from: [...LANSWEEPER.name], fallback: [[...LANSWEEPER.serial]], optional: true },
      modele: { from: [...LANSWEEPER.model] },
      quantite: { value: '1' },
      type: {
        from: [...LANSWEEPER.type],
        map: { ...LANSWEEPER_TYPES },
        rules: [
          ...computerModelRules(LANSWEEPER.model),
          ...mobileModelRules(LANSWEEPER.model),
          { if: [{ column: [...LANSWEEPER.type], values: ['Android'] }], value: 'Smartphone' },
        ],
      } satisfies FieldRule,
      paysDUtilisation: { value: '${defaultCountry}' },
      // Dates follow the Lansweeper server's culture: ISO, or day first (French, German) with a time part.
      dateAchat: {
        from: [...LANSWEEPER.purchase],
        optional: true,
        date: ['yyyy-MM-dd', 'dd/MM/yyyy', 'dd.MM.yyyy', 'dd-MM-yyyy'],
      },
      fabricant: { from: [...LANSWEEPER.manufacturer], optional: true },
      utilisateur: { from: [...LANSWEEPER.user], optional: true },
      nomEntite: { from: [...LANSWEEPER.department], optional: true },
      // Memory seen by the OS in MB (8072 for 8 GiB installed): rounded up to whole GiB, as for OCS.
      // 0 (assets that report no memory: monitors, printers) is no value.
      tailleMemoire: {
        from: [...LANSWEEPER.memory],
        optional: true,
        map: { '0': '' },
        unit: { from: 'MiB', to: 'GiB', round: 'up' },
      },
      nomSourceDonnee: { value: '${dataSource}' },
    },
    exclude: [
      { if: [{ column: [...LANSWEEPER.type], values: LANSWEEPER_VIRTUAL_TYPES }], reason: VM_REASON },
      { if: [{ column: [...LANSWEEPER.model], pattern: VIRTUAL_MODEL_PATTERN }], reason: VM_REASON },
    ],
  },
};
