/**
 * Snipe-IT hardware (assets) exports. Column names are Snipe-IT's own translation strings (repository `snipe/snipe-it`,
 * snapshot of 2025-05-23, `resources/lang/en-US` and `resources/lang/fr-FR`), as used by the two CSV exports of the
 * asset list (docs/mapping.md §3, Snipe-IT):
 * - *Reports > Custom Asset Report* (`app/Http/Controllers/ReportsController.php` `postCustom`, written by `fputcsv`:
 *   `,` delimiter, optional BOM, dates as stored `yyyy-MM-dd`);
 * - *Assets > List > Export* (`app/Presenters/AssetPresenter.php` `dataTableLayout`: the titles of the visible
 *   columns).
 * Where the two exports use different strings for one field, both are listed (EN then FR).
 */
import type { FieldRule, Preset, Rule } from '../model.js';
import { COMPUTER_TYPES, DEFAULT_PARAMETERS, VIRTUAL_MODEL_PATTERN, VM_REASON, computerModelRules } from './common.js';

export const SNIPEIT = {
  /** `admin/hardware/form.name` (report and list). */
  name: ['Asset Name', "Nom de l'actif"],
  /** `admin/hardware/table.asset_tag` (report and list); `general.asset_tag` FR differs. */
  tag: ['Asset Tag', "Étiquette de l'actif", "Numéro d'inventaire"],
  /** `admin/hardware/form.model`. */
  model: ['Model', 'Modèle'],
  /** `general.model_no` (report), `admin/models/table.modelnumber` (list). */
  modelNumber: ['Model No.', 'Model n°.', 'Modèle n°.'],
  /**
   * `general.category`. The fr-FR string starts with a Cyrillic capital Es (U+0421), not a Latin C: `Сatégorie` as
   * Snipe-IT writes it; the Latin spelling is accepted too.
   */
  category: ['Category', '\u0421atégorie', 'Catégorie'],
  /** `admin/hardware/form.manufacturer` (report), `general.manufacturer` (list). */
  manufacturer: ['Manufacturer', 'Fabricant'],
  /** `admin/hardware/table.serial` (report: `Serial`, `Numéro de série`), `admin/hardware/form.serial` (list: `Série`). */
  serial: ['Serial', 'Numéro de série', 'Série'],
  /** `admin/hardware/table.purchase_date` (report: `Purchased`, `Acheté`), `general.purchase_date` (list). */
  purchase: ['Purchased', 'Acheté', 'Purchase Date', "Date d'achat"],
  /** `general.status` (report), `admin/hardware/table.status` (list). */
  status: ['Status', 'Statut'],
  /** `admin/hardware/table.location`. */
  location: ['Location', 'Lieu'],
  /** `general.country` (report, with the location address). */
  country: ['Country', 'Pays'],
  /** `general.company`. */
  company: ['Company', 'Compagnie'],
  /**
   * Whom the asset is checked out to: `admin/hardware/table.checkoutto` (report: `Checked Out`; its fr-FR string is
   * `Date de libération`, a mistranslation that still names this column), `admin/hardware/form.checkedout_to` (list),
   * then the report's `Username`.
   */
  assignedTo: ['Checked Out', 'Date de libération', 'Checked Out To', 'Extrait vers'],
  username: ['Username'],
} as const;

/** Snipe-IT's demo categories (`database/factories/CategoryFactory.php`) and usual FR/EN category names. */
export const SNIPEIT_CATEGORIES: Readonly<Record<string, string>> = {
  ...COMPUTER_TYPES,
  Laptops: 'Laptop',
  'Ordinateurs portables': 'Laptop',
  Desktops: 'Desktop',
  'Ordinateurs fixes': 'Desktop',
  Displays: 'Monitor',
  Display: 'Monitor',
  Monitors: 'Monitor',
  Monitor: 'Monitor',
  Écrans: 'Monitor',
  Écran: 'Monitor',
  Moniteurs: 'Monitor',
  Tablets: 'Tablet',
  Tablettes: 'Tablet',
  'Mobile Phones': 'Smartphone',
  'Mobile Phone': 'Smartphone',
  Smartphones: 'Smartphone',
  Smartphone: 'Smartphone',
  'Téléphones mobiles': 'Smartphone',
  'Conference Phones': 'IP phone',
  'VOIP Phones': 'IP phone',
  'VoIP Phones': 'IP phone',
  'Téléphones IP': 'IP phone',
  Servers: 'Server',
  Printers: 'Printer',
  Printer: 'Printer',
  Imprimantes: 'Printer',
  Switches: 'Switch',
  Switch: 'Switch',
};

/** Phones and tablets from their model name (the rules of the GLPI phones preset). */
export function mobileModelRules(model: readonly string[]): Rule[] {
  return [
    { if: [{ column: [...model], pattern: '(iPad|Galaxy Tab|^SM-[TX]\\d)' }], value: 'Tablet' },
    {
      if: [{ column: [...model], pattern: '(iPhone|Galaxy|^SM-[ASGMN]\\d|Pixel|CORE-Z|XCover|Fairphone)' }],
      value: 'Smartphone',
    },
  ];
}

export const snipeitAssets: Preset = {
  id: 'snipeit-assets',
  title: 'Snipe-IT assets',
  source:
    'Snipe-IT 6–8 (snipe/snipe-it), Reports > Custom Asset Report or Assets > Export, CSV (en-US or fr-FR headers)',
  signature: { groups: [SNIPEIT.tag, SNIPEIT.model, SNIPEIT.category] },
  mapping: {
    kind: 'physical-equipment',
    description:
      'Snipe-IT assets (one row = one asset). The type comes from the category (organisation vocabulary: check the map), else from the model name. The EOL date is computed by Snipe-IT from the model, not a retirement: not used.',
    parameters: { ...DEFAULT_PARAMETERS, dataSource: 'Snipe-IT' },
    fields: {
      // The asset tag is unique in Snipe-IT; the asset name is optional there and often empty.
      nomEquipementPhysique: {
        from: [...SNIPEIT.tag],
        fallback: [[...SNIPEIT.name], [...SNIPEIT.serial]],
        optional: true,
      },
      modele: { from: [...SNIPEIT.model], fallback: [[...SNIPEIT.modelNumber]], optional: true },
      quantite: { value: '1' },
      type: {
        from: [...SNIPEIT.category],
        map: { ...SNIPEIT_CATEGORIES },
        rules: [...computerModelRules(SNIPEIT.model), ...mobileModelRules(SNIPEIT.model)],
      } satisfies FieldRule,
      statut: { from: [...SNIPEIT.status], optional: true },
      paysDUtilisation: { from: [...SNIPEIT.country], optional: true, default: '${defaultCountry}' },
      dateAchat: { from: [...SNIPEIT.purchase], optional: true, date: ['yyyy-MM-dd', 'dd/MM/yyyy', 'dd.MM.yyyy'] },
      fabricant: { from: [...SNIPEIT.manufacturer], optional: true },
      utilisateur: { from: [...SNIPEIT.assignedTo], fallback: [[...SNIPEIT.username]], optional: true },
      nomEntite: { from: [...SNIPEIT.company], optional: true },
      nomSourceDonnee: { value: '${dataSource}' },
    },
    exclude: [{ if: [{ column: [...SNIPEIT.model], pattern: VIRTUAL_MODEL_PATTERN }], reason: VM_REASON }],
  },
};
