/**
 * Set-ups of the inventory pipeline tests (src/inventory/pipeline): where its issues point, and a column mapping of a
 * small foreign export.
 */
import type { Issue } from '../../src/issues/catalogue.js';
import type { MapTable } from '../../src/inventory/pipeline.js';

/** Each issue as [code, line, column]: where the pipeline points the user. */
export function issuePlaces(issues: readonly Issue[]): [Issue['code'], Issue['line'], Issue['column']][] {
  return issues.map((i) => [i.code, i.line, i.column]);
}

/**
 * A `mapTable` hook reading a foreign export whose header starts with `Nom` (columns Nom, Modèle) as physical equipment:
 * one Laptop in France per line, issues naming the source columns. Other files are read as they are.
 */
export const nomModeleMapping: MapTable = (t) =>
  t.header[0] === 'Nom'
    ? {
        kind: 'physical-equipment',
        name: 'test',
        map: (cells) => ({
          record: {
            nomEquipementPhysique: cells[0],
            modele: cells[1],
            type: 'Laptop',
            quantite: '1',
            paysDUtilisation: 'France',
          },
        }),
        sourceColumn: (c) => ({ nomEquipementPhysique: 'Nom', modele: 'Modèle' })[c],
      }
    : undefined;
