/**
 * Strict mode's key pass (§2.11, the G4IT loader's `CheckConstraintService`): before anything is streamed, the raw
 * natural key of every line of every table (parsed or not) is counted; every copy of a key met more than once is
 * rejected (`INP_DUPLICATE_STRICT`); references are checked by name alone, case-insensitively, against the names
 * present in the referenced files minus the names rejected as duplicates.
 */
import { issue, type Issue } from '../../issues/catalogue.js';
import type { TableRow } from '../../formats/table.js';
import { isAbsent } from '../cells.js';
import { columnSpec } from '../columns.js';
import { KeyIndex } from '../key-index.js';
import type { InventoryKind } from '../model.js';
import { KIND_LABEL, type LinePositions } from './natural-key.js';
import type { OpenedTable } from './table.js';

/** Raw (trimmed, non-absent) cell of a row by canonical column. */
export type RawCells = (canonical: string) => string | undefined;

/** Reads the raw cells of a table's rows, through its header or its mapping. */
export type RawRowReader = (row: TableRow) => RawCells;

interface StrictKey {
  readonly key: string;
  readonly label: string;
  readonly column: string;
  /** The name other files refer to. */
  readonly name: string;
}

function clean(t: string | undefined): string | undefined {
  const v = t?.trim();
  return v === undefined || isAbsent(v) ? undefined : v;
}

/** The raw cell reader of a table (the source's default entity stands for an empty `nomEntite`). */
export function rawRowReader(t: OpenedTable): RawRowReader {
  const read = rawCells(t);
  const entity = t.entity;
  if (entity === undefined || t.kind === 'entity') return read;
  return (row) => {
    const get = read(row);
    return (c) => get(c) ?? (c === 'nomEntite' ? entity : undefined);
  };
}

function rawCells(t: OpenedTable): RawRowReader {
  if (t.columns.via === 'mapping') {
    const m = t.columns.mapping;
    return (row) => {
      const byCanonical = new Map<string, string | undefined>();
      for (const [k, v] of Object.entries(m.map(row.cells, row.line).record)) {
        const c = columnSpec(t.kind, k)?.canonical;
        if (c !== undefined && !byCanonical.has(c)) byCanonical.set(c, v);
      }
      return (c) => clean(byCanonical.get(c));
    };
  }
  const idx = new Map<string, number>();
  t.columns.resolution.columns.forEach((c, i) => {
    if (c !== undefined && !idx.has(c)) idx.set(c, i);
  });
  return (row) => (c) => {
    const i = idx.get(c);
    return i === undefined ? undefined : clean(row.cells[i]);
  };
}

/** Strict natural key from the raw cells (G4IT: names alone; applications by name, environment and VM). */
function strictKey(kind: InventoryKind, get: RawCells): StrictKey | undefined {
  const single = (column: string): StrictKey | undefined => {
    const name = get(column);
    return name === undefined ? undefined : { key: name, label: name, column, name };
  };
  switch (kind) {
    case 'entity':
      return single('nomEntite');
    case 'datacenter':
      return single('nomCourtDatacenter');
    case 'physical-equipment':
      return single('nomEquipementPhysique');
    case 'virtual-equipment':
      return single('nomEquipementVirtuel');
    case 'non-it':
      return single('nomItemNonIT');
    case 'application': {
      const name = get('nomApplication');
      if (name === undefined) return undefined;
      const parts = [name, get('typeEnvironnement') ?? '', get('nomEquipementVirtuel') ?? ''];
      return { key: parts.join('\u0000'), label: parts.join(', '), column: 'nomApplication', name };
    }
    case 'messaging': {
      const month = get('MoisAnnee');
      if (month === undefined) return undefined;
      const entity = get('nomEntite') ?? '';
      return {
        key: `${entity}\u0000${month}`,
        label: `${entity || '(no entity)'} / ${month}`,
        column: 'MoisAnnee',
        name: month,
      };
    }
  }
}

/** The key counts of one kind over the whole batch. */
class KindKeys {
  /** Occurrences of each key. */
  readonly counts = new KeyIndex();
  /** Position of each key's first occurrence. */
  readonly firsts = new KeyIndex();
  /** Position of each key's second occurrence. */
  readonly seconds = new KeyIndex();
  /** Names present (lower case), whatever the line's own errors. */
  readonly names = new KeyIndex();
}

/** The raw keys and names of every table, counted by `count` before the main pass. */
export class StrictKeys {
  private readonly byKind = new Map<InventoryKind, KindKeys>();

  constructor(private readonly positions: LinePositions) {}

  private of(kind: InventoryKind): KindKeys {
    let k = this.byKind.get(kind);
    if (!k) this.byKind.set(kind, (k = new KindKeys()));
    return k;
  }

  /** Counts the raw key of one row of a table. */
  count(t: OpenedTable, cells: RawCells, line: number): void {
    const k = strictKey(t.kind, cells);
    if (!k) return;
    const keys = this.of(t.kind);
    const n = keys.counts.increment(k.key);
    if (n === 1) keys.firsts.addIfAbsent(k.key, this.positions.of(t, line));
    else if (n === 2) keys.seconds.addIfAbsent(k.key, this.positions.of(t, line));
    keys.names.addIfAbsent(k.name.toLowerCase(), 1);
  }

  /** The duplicate issue of a row whose raw key appears more than once in the batch. */
  duplicate(t: OpenedTable, cells: RawCells, line: number): Issue | undefined {
    const k = strictKey(t.kind, cells);
    if (!k) return undefined;
    const keys = this.byKind.get(t.kind);
    const count = keys?.counts.get(k.key) ?? 0;
    if (keys === undefined || count <= 1) return undefined;
    const first = keys.firsts.get(k.key);
    const second = keys.seconds.get(k.key);
    if (first === undefined || second === undefined) throw new Error(`strict keys: positions of ${k.label} missing`);
    const lines = `${this.positions.label(t, first)}, ${this.positions.label(t, second)}${count > 2 ? ', …' : ''}`;
    return issue(
      'INP_DUPLICATE_STRICT',
      { entity: KIND_LABEL[t.kind], key: k.label, count, lines },
      { file: t.report.file, line, column: t.columnName(k.column) },
    );
  }

  /** Strict reference: the name is present in a file of that kind (any line) and is not a duplicated key. */
  has(kind: InventoryKind, name: string): boolean {
    const keys = this.byKind.get(kind);
    return (keys?.names.has(name.toLowerCase()) ?? false) && (keys?.counts.get(name) ?? 0) <= 1;
  }
}
