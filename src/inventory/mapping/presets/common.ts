/**
 * Building blocks shared by the presets: GLPI column names (fr_FR msgstr / en_GB msgid of GLPI 10.0.17
 * `locales/fr_FR.po`, see ../shared/samples/README.md §1.2) and equipment-type inference from model names.
 */
import type { Condition, FieldRule, Rule } from '../model.js';

/** GLPI financial option group prefix (`Informations financières et administratives` / `Financial and administrative information`). */
const FIN_FR = 'Informations financières et administratives - ';
const FIN_EN = 'Financial and administrative information - ';
const fin = (fr: string, en: string): string[] => [FIN_FR + fr, FIN_EN + en];

export const GLPI = {
  name: ['Nom', 'Name'],
  entity: ['Entité', 'Entity'],
  status: ['Statut', 'Status'],
  manufacturer: ['Fabricant', 'Manufacturer'],
  serial: ['Numéro de série', 'Serial number'],
  type: ['Type'],
  model: ['Modèle', 'Model'],
  country: ['Pays', 'Country'],
  user: ['Utilisateur', 'User'],
  alternateUser: ['Usager', 'Alternate username'],
  os: ["Système d'exploitation - Nom", 'Operating System - Name'],
  processor: ['Composants - Processeur', 'Components - Processor'],
  memory: ['Composants - Mémoire', 'Components - Memory'],
  disk: ['Composants - Taille du disque dur', 'Components - Hard drive size'],
  size: ['Taille', 'Size'],
  /**
   * Columns only monitor lists have (`src/Monitor.php` search options: size, connectors; the connector names are
   * the same in both languages).
   */
  monitorOnly: ['Taille', 'Size', 'HDMI', 'DisplayPort', 'DVI', 'BNC', 'Sub-D'],
  /**
   * Columns only phone lists have (`src/Phone.php` search options 8, 9, 42, 43: en_GB msgids; their fr_FR
   * translations are not listed here, not having been checked).
   */
  phoneOnly: ['Alternate username number', 'Number of lines', 'Power supply', 'Headset'],
  firmware: ['Firmware'],
  pageCounter: ['Compteur de page actuel', 'Current counter of pages'],
  purchase: fin("Date d'achat", 'Date of purchase'),
  startup: fin('Date de mise en service', 'Startup date'),
  delivery: fin('Date de livraison', 'Delivery date'),
  order: fin('Date de commande', 'Order date'),
  decommission: fin('Date de réforme', 'Decommission date'),
} as const;

/** GLPI date preference 0 (`YYYY-MM-DD`, default) and 1 (`DD-MM-YYYY`); 2 (`MM-DD-YYYY`) needs a custom mapping. */
export const GLPI_DATES = ['yyyy-MM-dd', 'dd-MM-yyyy'] as const;

/** Fields every GLPI asset preset shares (one row = one item, quantity 1). */
export function glpiCommonFields(): Record<string, FieldRule> {
  return {
    nomEquipementPhysique: { from: [...GLPI.name] },
    modele: { from: [...GLPI.model] },
    quantite: { value: '1' },
    statut: { from: [...GLPI.status], optional: true },
    paysDUtilisation: { from: [...GLPI.country], optional: true, default: '${defaultCountry}' },
    dateAchat: {
      from: [...GLPI.purchase],
      fallback: [[...GLPI.startup], [...GLPI.delivery], [...GLPI.order]],
      optional: true,
      date: [...GLPI_DATES],
    },
    dateRetrait: { from: [...GLPI.decommission], optional: true, date: [...GLPI_DATES] },
    fabricant: { from: [...GLPI.manufacturer], optional: true },
    utilisateur: { from: [...GLPI.user], optional: true },
    nomEntite: { from: [...GLPI.entity], optional: true },
    nomSourceDonnee: { value: '${dataSource}' },
  };
}

export const DEFAULT_PARAMETERS = { defaultCountry: 'France' } as const;

const on = (column: readonly string[], pattern: string): Condition => ({ column: [...column], pattern });

/**
 * Computer family from the model name (samples README §1.5): manufacturer product lines, Lenovo machine-type codes
 * (ThinkPad 20xx/21xx, ThinkCentre 10xx–12xx) and Apple model identifiers (`MacBookPro18,3`).
 */
export function computerModelRules(model: readonly string[]): Rule[] {
  return [
    {
      if: [on(model, '\\b(PowerEdge|ProLiant|ThinkSystem|PRIMERGY|Synergy|UCS [BC]\\d)')],
      value: 'Server',
    },
    {
      if: [
        on(
          model,
          '(Latitude|EliteBook|ProBook|ZBook|ThinkPad|IdeaPad|MacBook|Surface (Laptop|Book|Pro|Go)|Vivo ?Book|ZenBook|TravelMate|Notebook|Laptop|\\bx360\\b)|^2[01][A-Z0-9]{2}[A-Z0-9]{4,6}$',
        ),
      ],
      value: 'Laptop',
    },
    {
      if: [
        on(
          model,
          '(OptiPlex|EliteDesk|ProDesk|EliteOne|ProOne|ThinkCentre|IdeaCentre|iMac|Mac ?mini|Mac Studio|Mac Pro|Desktop|All-in-One|\\bTower\\b|\\bSFF\\b|Compaq)|^1[0-2][A-Z0-9]{2}[A-Z0-9]{4,6}$',
        ),
      ],
      value: 'Desktop',
    },
  ];
}

/** Computer chassis types (SMBIOS, GLPI agent) and French free words → referential item types. */
export const COMPUTER_TYPES: Readonly<Record<string, string>> = {
  Laptop: 'Laptop',
  Notebook: 'Laptop',
  Portable: 'Laptop',
  'Sub Notebook': 'Laptop',
  Convertible: 'Laptop',
  Detachable: 'Laptop',
  'Ordinateur portable': 'Laptop',
  'PC portable': 'Laptop',
  Portables: 'Laptop',
  Desktop: 'Desktop',
  'Low Profile Desktop': 'Desktop',
  'Mini PC': 'Desktop',
  Tower: 'Desktop',
  'Mini Tower': 'Desktop',
  'All in One': 'Desktop',
  'Space-saving': 'Desktop',
  'Lunch Box': 'Desktop',
  'Pizza Box': 'Desktop',
  'Sealed-case PC': 'Desktop',
  'Stick PC': 'Desktop',
  'Ordinateur fixe': 'Desktop',
  'Poste fixe': 'Desktop',
  'Postes fixes': 'Desktop',
  'Unité centrale': 'Desktop',
  Tablet: 'Tablet',
  Tablette: 'Tablet',
  'Rack Mount Chassis': 'Rack server',
  'Main Server Chassis': 'Server',
  'Multi-system chassis': 'Server',
  Blade: 'Blade server',
  'Blade Enclosure': 'Blade server',
  Serveur: 'Server',
  Serveurs: 'Server',
  Server: 'Server',
  Servers: 'Server',
};

/** Hypervisor names GLPI puts in Type for a virtual machine, and virtual models (samples README §1.3). */
export const VIRTUAL_TYPES = [
  'VMware',
  'Hyper-V',
  'KVM',
  'QEMU',
  'Xen',
  'VirtualBox',
  'Parallels',
  'Bochs',
  'Virtual Machine',
];
export const VIRTUAL_MODEL_PATTERN =
  '^(VMware\\d+,\\d+|VMware Virtual Platform|Virtual Machine|VirtualBox|Standard PC \\()';
export const VM_REASON = 'virtual machine, not physical equipment (import it as virtual equipment)';
