/**
 * User matching file (methodology F1 rule MATCHING): a `;`-separated CSV `modele;refEquipementCible` mapping an
 * inventory model string to a reference item, which confirms or overrides automatic matching. The NumEcoEval
 * correspondances header (`modeleEquipementSource;refEquipementCible`, optional `nomOrganisation`) and the G4IT one
 * (`item_source;ref_item_target`, optional `subscriber`) are accepted too. Rows with an empty cell are rejected with
 * their line and column; nothing is dropped silently.
 */
import { openCsv, isProblemRow } from '../../formats/csv.js';
import { EmpreinteError, issue, type Issue } from '../../issues/catalogue.js';
import { foldKey } from '../codes.js';
import type { Matching } from '../model.js';

const MODEL = ['modele', 'modeleequipementsource', 'itemsource', 'model'];
const TARGET = ['refequipementcible', 'refitemtarget'];
const OWNER = ['nomorganisation', 'subscriber'];
const key = (h: string) => foldKey(h).replace(/ /g, '');

export async function readMatchingFile(
  path: string,
  layerName = 'user:matching',
): Promise<{ matchings: Matching[]; issues: Issue[] }> {
  const score = (h: readonly string[]) => h.filter((c) => [...MODEL, ...TARGET, ...OWNER].includes(key(c))).length;
  const table = await openCsv(path, { scoreHeader: score });
  const file = table.file;
  const idx = (names: string[]) => table.header.findIndex((h) => names.includes(key(h)));
  const m = idx(MODEL);
  const t = idx(TARGET);
  const o = idx(OWNER);
  const missing = [m < 0 ? 'modele' : '', t < 0 ? 'refEquipementCible' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new EmpreinteError(
      issue('REF_HEADER_MISSING', { kind: 'matching', columns: missing.join(', ') }, { file, line: 1 }),
    );
  }
  const matchings: Matching[] = [];
  const issues: Issue[] = [];
  for await (const row of table.rows) {
    if (isProblemRow(row)) {
      issues.push(issue('REF_BAD_ROW', { line: row.line, reason: row.problem }, { file, line: row.line }));
      continue;
    }
    if (row.cells.every((c) => c.trim() === '')) continue;
    if (row.cells.length > table.header.length) {
      issues.push(
        issue(
          'REF_FIELD_COUNT',
          { line: row.line, expected: table.header.length, found: row.cells.length },
          { file, line: row.line },
        ),
      );
      continue;
    }
    const model = (row.cells[m] ?? '').trim();
    const target = (row.cells[t] ?? '').trim();
    if (model === '' || target === '') {
      const column = table.header[model === '' ? m : t]!;
      issues.push(issue('REF_REQUIRED', { line: row.line, field: column }, { file, line: row.line, column }));
      continue;
    }
    const owner = o >= 0 ? (row.cells[o] ?? '').trim() || undefined : undefined;
    matchings.push({
      modelSource: model,
      refItemTarget: target,
      owner,
      prov: { source: file, layer: layerName, file, line: row.line },
    });
  }
  return { matchings, issues };
}
