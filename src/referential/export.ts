/**
 * Write a referential layer (a pack) as NumEcoEval (§3.2) or G4IT (§3.3) referential CSV files, `;`-separated, UTF-8,
 * so that their users can load the open default pack. The target's own step codes are written (`STEP_EXPORT`);
 * aggregate steps (`EMBODIED`, `WHOLE_LIFE`) are written as is. Electricity factors become `electricity-mix` rows named
 * `Electricity Mix <key>`, one dataset per location (the pack's `electricitySource` order, or the requested dataset).
 * Item-type synonyms become extra item-type rows (neither format has a synonym column). Licence and vintage are
 * appended to each `source` cell. Files are written to a temporary folder then renamed: no partial writes.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { csvText } from '../formats/csv-write.js';
import { outputError } from '../formats/os-error.js';
import { removeStaleTemps, tempPath, type TempFiles } from '../formats/temp-files.js';
import { STEP_EXPORT, LIFECYCLE_STEPS, criterionDef, type LifecycleStep, type StepCode } from './codes.js';
import { locationLabel } from './countries.js';
import type { ElectricityFactor, Provenance, ReferentialLayer, Tier } from './model.js';
import { electricityOrder } from './pack.js';

export type ExportFormat = 'numecoeval' | 'g4it';

const TIER_TEXT: Record<Tier, string> = {
  TERMINAL: 'End-user/Terminals',
  NETWORK: 'Network',
  DATACENTER: 'Datacenter',
  UNASSIGNED: '',
};

// Through the one CSV writer: numbers stay numbers, a text cell starting with a formula character gets `'` (§2.1).
const csv = (
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | undefined)[])[],
): string => csvText(header, rows);

function sourceText(p: Provenance): string {
  const extra = [p.licence ? `licence: ${p.licence}` : '', p.vintage ? `vintage: ${p.vintage}` : '']
    .filter(Boolean)
    .join('; ');
  return extra ? `${p.source} [${extra}]` : p.source;
}

const stepCode = (s: StepCode, f: ExportFormat): string =>
  (LIFECYCLE_STEPS as readonly string[]).includes(s) ? STEP_EXPORT[s as LifecycleStep][f] : s;

/** One electricity factor per (location, criterion): the requested dataset, else the pack's order, else first. */
export function pickElectricity(layer: ReferentialLayer, dataset?: string): ElectricityFactor[] {
  const order = dataset ? [dataset, ...electricityOrder(layer.hypotheses)] : electricityOrder(layer.hypotheses);
  const rank = (d: string) => {
    const i = order.indexOf(d);
    return i < 0 ? order.length : i;
  };
  const best = new Map<string, ElectricityFactor>();
  for (const e of layer.electricity) {
    const k = `${e.location}\u0000${e.criterion}`;
    const cur = best.get(k);
    if (!cur || rank(e.dataset) < rank(cur.dataset)) best.set(k, e);
  }
  return [...best.values()].sort((a, b) =>
    a.location < b.location ? -1 : a.location > b.location ? 1 : a.criterion < b.criterion ? -1 : 1,
  );
}

/** File name → CSV text of the export. Pure. */
export function exportFiles(
  layer: ReferentialLayer,
  format: ExportFormat,
  opts: { electricityDataset?: string } = {},
): Map<string, string> {
  const files = new Map<string, string>();
  const g4 = format === 'g4it';
  const critLabel = (code: string) => criterionDef(code)?.label ?? code;

  files.set(
    g4 ? 'criterion.csv' : 'criteres.csv',
    g4
      ? csv(
          ['code', 'label', 'description', 'unit'],
          layer.criteria.map((c) => [c.code, c.label, c.description, c.unit]),
        )
      : csv(
          ['nomCritere', 'unite', 'description'],
          layer.criteria.map((c) => [c.label, c.unit, c.description]),
        ),
  );
  files.set(
    g4 ? 'lifecycleStep.csv' : 'etapes.csv',
    csv(
      g4 ? ['code', 'label'] : ['code', 'libelle'],
      layer.steps.map((s) => [stepCode(s.code, format), s.label]),
    ),
  );
  files.set(
    g4 ? 'hypothesis.csv' : 'hypotheses.csv',
    g4
      ? csv(
          ['code', 'source', 'value', 'description', 'subscriber', 'version'],
          layer.hypotheses.map((h) => [h.code, sourceText(h.prov), h.value, h.description, undefined, undefined]),
        )
      : csv(
          ['code', 'valeur', 'source', 'description'],
          layer.hypotheses.map((h) => [h.code, h.value, sourceText(h.prov), h.description]),
        ),
  );
  const typeRows: (string | number | boolean | undefined)[][] = [];
  for (const t of layer.itemTypes) {
    for (const name of [t.type, ...(t.synonyms ?? [])]) {
      const comment = name === t.type ? t.comment : `synonym of ${t.type}`;
      typeRows.push(
        g4
          ? [
              name,
              t.category,
              comment,
              t.defaultLifespanYears,
              t.isServer,
              sourceText(t.prov),
              t.defaultRefItem,
              undefined,
              undefined,
            ]
          : [
              name,
              t.category,
              t.isServer,
              comment,
              t.defaultLifespanYears,
              undefined,
              sourceText(t.prov),
              t.defaultRefItem,
            ],
      );
    }
  }
  files.set(
    g4 ? 'itemType.csv' : 'typesItem.csv',
    csv(
      g4
        ? [
            'type',
            'category',
            'comment',
            'default_lifespan',
            'is_server',
            'source',
            'ref_default_item',
            'subscriber',
            'version',
          ]
        : [
            'type',
            'categorie',
            'serveur',
            'commentaire',
            'dureeVieDefaut',
            'refHypothese',
            'source',
            'refItemParDefaut',
          ],
      typeRows,
    ),
  );
  const factorRows: (string | number | undefined)[][] = [];
  for (const r of layer.factorRows) {
    const common = {
      name: r.item,
      step: stepCode(r.step, format),
      criterion: g4 ? r.criterion : critLabel(r.criterion),
      description: r.description,
      level: r.level ?? '2-Equipement',
      tier: r.tier ? TIER_TEXT[r.tier] : undefined,
      category: r.category,
      kwh: r.avgKWhPerYear,
      location: r.location,
      value: r.value,
      unit: r.unit ?? 'Item',
      source: sourceText(r.prov),
    };
    factorRows.push(
      g4
        ? [
            common.criterion,
            common.step,
            common.name,
            common.category,
            common.kwh,
            common.description,
            common.location,
            common.level,
            common.source,
            common.tier,
            common.unit,
            common.value,
            undefined,
            undefined,
          ]
        : [
            common.name,
            common.step,
            common.criterion,
            common.description,
            common.level,
            common.tier,
            common.category,
            common.kwh,
            common.location,
            common.value,
            common.unit,
            common.source,
          ],
    );
  }
  for (const e of pickElectricity(layer, opts.electricityDataset)) {
    const label = locationLabel(e.location) ?? e.locationLabel;
    const name = `Electricity Mix ${e.location}`;
    const crit = g4 ? e.criterion : critLabel(e.criterion);
    const step = stepCode('MANUFACTURING', format); // NumEcoEval/G4IT store a step on mix rows; ignored on import (§9 #23)
    const desc = `dataset ${e.dataset}; ${e.locationLabel}`;
    factorRows.push(
      g4
        ? [
            crit,
            step,
            name,
            'electricity-mix',
            undefined,
            desc,
            label,
            '0-Base data',
            sourceText(e.prov),
            undefined,
            'kWh',
            e.valuePerKWh,
            undefined,
            undefined,
          ]
        : [
            name,
            step,
            crit,
            desc,
            '0-Base data',
            undefined,
            'electricity-mix',
            undefined,
            label,
            e.valuePerKWh,
            'kWh',
            sourceText(e.prov),
          ],
    );
  }
  files.set(
    g4 ? 'itemImpact.csv' : 'facteursCaracterisation.csv',
    csv(
      g4
        ? [
            'criterion',
            'lifecycle_step',
            'name',
            'category',
            'avg_electricity_consumption',
            'description',
            'location',
            'level',
            'source',
            'tier',
            'unit',
            'value',
            'subscriber',
            'version',
          ]
        : [
            'nom',
            'etapeacv',
            'critere',
            'description',
            'niveau',
            'tiers',
            'categorie',
            'consoElecMoyenne',
            'localisation',
            'valeur',
            'unite',
            'source',
          ],
      factorRows,
    ),
  );
  if (layer.matchings.length > 0) {
    files.set(
      g4 ? 'matchingItem.csv' : 'correspondances.csv',
      g4
        ? csv(
            ['item_source', 'ref_item_target', 'subscriber'],
            layer.matchings.map((m) => [m.modelSource, m.refItemTarget, m.owner]),
          )
        : csv(
            ['modeleEquipementSource', 'refEquipementCible', 'nomOrganisation'],
            layer.matchings.map((m) => [m.modelSource, m.refItemTarget, m.owner]),
          ),
    );
  }
  if (layer.messaging.length > 0 && !g4) {
    files.set(
      'impactMessagerie.csv',
      csv(
        ['critere', 'constanteCoefficientDirecteur', 'constanteOrdonneeOrigine', 'source'],
        layer.messaging.map((m) => [critLabel(m.criterion), m.A, m.b, sourceText(m.prov)]),
      ),
    );
  }
  if (layer.normalisation.length > 0 && g4) {
    files.set(
      'sustainableIndividualPackage.csv',
      csv(
        ['criteria', 'planetary_boundary', 'source', 'individual_sustainable_package'],
        // planetary boundary = per-person value × world population 8 × 10⁹ (F18)
        layer.normalisation.map((n) => [
          critLabel(n.criterion),
          n.perPersonPerYear * 8e9,
          sourceText(n.prov),
          n.perPersonPerYear,
        ]),
      ),
    );
  }
  // G4IT's digital-service tables, in its own file names and columns (NumEcoEval has no such table).
  if ((layer.networkTypes?.length ?? 0) > 0 && g4) {
    files.set(
      'ref_network_type.csv',
      csv(
        [
          'description',
          'reference',
          'external_referential_description',
          'type',
          'annual_quantity_of_go',
          'country',
          'source',
        ],
        layer.networkTypes!.map((t) => [
          t.description,
          t.code,
          t.referenceDescription,
          t.kind === 'FIXED' ? 'Fixed' : 'Mobile',
          t.annualGBPerLine,
          t.country,
          sourceText(t.prov),
        ]),
      ),
    );
  }
  if ((layer.serverHosts?.length ?? 0) > 0 && g4) {
    // G4IT's file has no source column: the rows' sources are those of the pack (`referential show`).
    files.set(
      'ref_server_host.csv',
      csv(
        [
          'description',
          'reference',
          'external_referential_description',
          'type',
          'nb_of_vcpu',
          'total_disk',
          'lifespan',
        ],
        layer.serverHosts!.map((h) => [
          h.description,
          h.reference,
          h.referenceDescription,
          h.kind === 'COMPUTE' ? 'Compute' : 'Storage',
          h.vcpu,
          h.totalDiskGB,
          h.lifespanYears,
        ]),
      ),
    );
  }
  return files;
}

/**
 * Write the export into `dir` (created; must not exist or be empty of these files — existing files are replaced).
 * The files are written to a hidden temporary folder `.dir.<pid>.tmp` next to it (registered in `temps`; those of
 * killed runs are removed first). A write failure throws `OutputError` (`OUT_UNWRITABLE`) and removes the temporary
 * folder.
 */
export async function writeExport(
  layer: ReferentialLayer,
  format: ExportFormat,
  dir: string,
  opts: { electricityDataset?: string; temps?: TempFiles } = {},
): Promise<string[]> {
  const files = exportFiles(layer, format, opts);
  const target = resolve(dir);
  const tmp = tempPath(target);
  try {
    await mkdir(dirname(target), { recursive: true });
    await removeStaleTemps(target);
    await rm(tmp, { recursive: true, force: true });
    opts.temps?.add(tmp);
    await mkdir(tmp, { recursive: true });
    for (const [name, text] of files) await writeFile(join(tmp, name), text, 'utf8');
    if (!existsSync(target)) {
      await rename(tmp, target);
    } else {
      for (const name of files.keys()) await rename(join(tmp, name), join(target, name));
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw outputError(dir, e);
  } finally {
    opts.temps?.delete(tmp);
  }
  return [...files.keys()].sort();
}
