/**
 * Presets told apart by their values when their headers are the same. GLPI's default monitor and phone lists have
 * the same columns (Nom, Statut, Fabricant, Lieu, Type, Modèle, Dernière modification, Usager: `src/Monitor.php` and
 * `src/Phone.php` `rawSearchOptions()`, samples README §1.2); without the monitor's `Taille` column, the first rows
 * decide: the organisation's type words (`Écran plat`, `Téléphone IP`…), monitors created from EDID (empty type, the
 * name is the model, `DELL P2422H`) and phone model names.
 */
import { fold } from '../fold.js';
import { GLPI } from './common.js';

/** Rows read from a table to decide (choice: enough for a few type words, cheap on any file). */
export const SAMPLE_ROWS = 50;

const MONITOR_TYPE = /(ecran|moniteur|monitor|display|screen|kvm|visio|televis|\btv\b|affichage|signage)/;
const PHONE_TYPE = /(telephone|phone|smartphone|mobile|dect|tablet|pieuvre|conference|standard)/;
const PHONE_MODEL =
  /(iphone|galaxy|^sm-[a-z]\d|pixel|core-z|xcover|fairphone|^cp-\d|deskphone|ip touch|dect|^trio\b|^vvx|^t\d{2}[a-z]?$|handset)/;

function indexOf(header: readonly string[], names: readonly string[]): number {
  const wanted = new Set(names.map(fold));
  return header.findIndex((h) => wanted.has(fold(h)));
}

/**
 * Votes of the first rows of a GLPI list with the default monitor/phone columns: `monitors` and `phones` counts.
 * A row votes for monitors when its type names a screen, or (empty type) when its name is its model as EDID-created
 * monitors are; for phones when its type names a phone, or (no type word) when its model is a phone model.
 */
export function glpiMonitorPhoneVotes(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): { monitors: number; phones: number } {
  const type = indexOf(header, GLPI.type);
  const model = indexOf(header, GLPI.model);
  const name = indexOf(header, GLPI.name);
  let monitors = 0;
  let phones = 0;
  for (const cells of rows) {
    const t = type >= 0 ? fold(cells[type] ?? '') : '';
    const m = model >= 0 ? fold(cells[model] ?? '') : '';
    const n = name >= 0 ? fold(cells[name] ?? '') : '';
    if (t !== '' && MONITOR_TYPE.test(t)) monitors++;
    else if (t !== '' && PHONE_TYPE.test(t)) phones++;
    else if (m !== '' && PHONE_MODEL.test(m)) phones++;
    else if (t === '' && m !== '' && n === m) monitors++;
  }
  return { monitors, phones };
}
