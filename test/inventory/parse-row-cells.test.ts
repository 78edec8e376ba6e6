/**
 * The row parser reads most cells as they are (issue 11, per-row cost): a cell with printable ASCII at both ends has
 * nothing to trim, no formula guard and is not NULL. Every other cell takes the general path (absent, trimmed, guard
 * stripped). Both must give what methodology §2.1 says, written here by hand: the values, the issues, their columns.
 */
import { describe, expect, it } from 'vitest';
import { compileRowParser, type RowContext } from '../../src/inventory/parse-row.js';

const header = ['nomEquipementPhysique', 'type', 'paysDUtilisation', 'modele', 'quantite', 'dateAchat', 'nbCoeur'];
const ctx: RowContext = { mode: 'lenient', file: 'inv.csv', referenceDate: '2025-01-01' };
const parse = compileRowParser('physical-equipment', header, ctx);

function item(cells: readonly (string | undefined)[]): Record<string, unknown> {
  const res = parse(cells, 7);
  if (!res.ok) throw new Error(JSON.stringify(res.errors));
  return res.item.item as unknown as Record<string, unknown>;
}

describe('cells read as they are or trimmed first', () => {
  it('plain cells and the same cells with blanks, no-break spaces, a formula guard or NULL around them', () => {
    expect(item(['PC-1', 'Laptop', 'France', 'X1', '2', '20240115', '4'])).toEqual({
      name: 'PC-1',
      type: 'Laptop',
      country: 'France',
      model: 'X1',
      quantity: 2,
      purchaseDate: '2024-01-15',
      cores: 4,
      at: { file: 'inv.csv', line: 7 },
    });
    expect(item([' PC-1', 'Laptop\t', '\u00a0France\u00a0', 'NULL', "'+2", ' 15/01/2024 ', '\u20034\u3000'])).toEqual({
      name: 'PC-1',
      type: 'Laptop',
      country: 'France',
      quantity: 2,
      purchaseDate: '2024-01-15',
      cores: 4,
      at: { file: 'inv.csv', line: 7 },
    });
    // NULL, null and blank cells are absent; Null and NULLS are text; a non-ASCII first or last letter is text.
    expect(item(['PC-1', 'Laptop', 'France', 'null', '3', ' NULL ', '  '])).toEqual({
      name: 'PC-1',
      type: 'Laptop',
      country: 'France',
      quantity: 3,
      at: { file: 'inv.csv', line: 7 },
    });
    expect(item(['PC-1', 'Laptop', 'France', '', '3', '', undefined])).toEqual(
      item(['PC-1', 'Laptop', 'France', 'NULL', '3']),
    );
    expect(item(['Null', 'NULLS', 'Éire', 'modèle é', '1']).model).toBe('modèle é');
    expect(item(['Null', 'NULLS', 'Éire', 'x', '1', '2024-01-15', '8'])).toMatchObject({
      name: 'Null',
      type: 'NULLS',
      country: 'Éire',
    });
  });

  it('issues of a plain cell and of a trimmed cell name the same column and value', () => {
    const issues = (cells: readonly string[]) => {
      const res = parse(cells, 3);
      return [...(res.ok ? [] : res.errors), ...res.warnings].map((i) => [
        i.code,
        i.column,
        i.line,
        JSON.stringify(i.details),
        i.severity,
      ]);
    };
    const long = 'x'.repeat(256);
    expect(issues([long, 'Laptop', 'France', 'm', '1,5e', '2023-02-30', '2.5'])).toEqual(
      issues([` ${long} `, ' Laptop', 'France ', 'm', ' 1,5e ', ' 2023-02-30 ', '\t2.5']),
    );
    expect(issues([long, 'Laptop', 'France', 'm', '1,5e', '2023-02-30', '2.5']).map((i) => i.slice(0, 3))).toEqual([
      ['INP_TOO_LONG', 'nomEquipementPhysique', 3], // errors in column order, then the warnings
      ['INP_NOT_NUMBER', 'quantite', 3], // a required column: an error even in lenient mode
      ['INP_BAD_DATE', 'dateAchat', 3],
      ['INP_NOT_INTEGER', 'nbCoeur', 3],
    ]);
    // 255 characters are allowed; a number beyond the float range rejects the line.
    expect(item(['y'.repeat(255), 'Laptop', 'France', 'm', '1', '', '']).name).toBe('y'.repeat(255));
    expect(issues(['a', 'Laptop', 'France', 'm', '1e309', '', '']).map((i) => i[0])).toEqual(['INP_OUT_OF_RANGE']);
  });
});
