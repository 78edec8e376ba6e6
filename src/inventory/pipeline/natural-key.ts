/**
 * Natural keys (§2.11) and the lenient duplicate check: the first line that parses with a key is kept, later ones
 * are rejected with `INP_DUPLICATE_KEY` naming it (line, or `file:line` in another file).
 */
import { issue, type Issue } from '../../issues/catalogue.js';
import type { ValidationMode } from '../columns.js';
import { KeyIndex } from '../key-index.js';
import type { InventoryItem, InventoryKind, PhysicalEquipment } from '../model.js';
import type { OpenedTable } from './table.js';

/** Kind names in duplicate messages. */
export const KIND_LABEL: Readonly<Record<InventoryKind, string>> = {
  entity: 'entity',
  datacenter: 'datacenter',
  'physical-equipment': 'physical equipment',
  'virtual-equipment': 'virtual equipment',
  application: 'application',
  'non-it': 'non-IT item',
  messaging: 'messaging row',
};

/** Positions of lines in the run as stored in key indexes (file index × 2³² + line), and their labels. */
export class LinePositions {
  constructor(private readonly paths: readonly string[]) {}

  of(t: OpenedTable, line: number): number {
    return t.fileIdx * 2 ** 32 + line;
  }

  /** The line seen from table `t`: its number in the same file, `path:line` in another. */
  label(t: OpenedTable, position: number): string {
    const file = Math.floor(position / 2 ** 32);
    const line = position % 2 ** 32;
    return file === t.fileIdx ? String(line) : `${this.paths[file] ?? ''}:${line}`;
  }
}

/** Natural keys already met, per kind across files (one instance per pass). */
export class DuplicateKeys {
  private readonly byKind = new Map<InventoryKind, KeyIndex>();

  constructor(
    private readonly mode: ValidationMode,
    private readonly positions: LinePositions,
    private readonly initialCapacity?: number,
  ) {}

  /** The index of a kind's keys (created on first use). */
  of(kind: InventoryKind): KeyIndex {
    let d = this.byKind.get(kind);
    if (!d) this.byKind.set(kind, (d = new KeyIndex(this.initialCapacity)));
    return d;
  }

  /** Registers the item's key; the duplicate issue when an earlier line has it. */
  check(t: OpenedTable, keys: KeyIndex, item: InventoryItem, line: number): Issue | undefined {
    const position = this.positions.of(t, line);
    // Physical equipment (the large files): the key `name + '\u0000' + dataSource` hashed without concatenating it.
    const first =
      item.kind === 'physical-equipment'
        ? keys.addIfAbsent(item.item.name, position, physicalKeySuffix(item.item, this.mode))
        : keys.addIfAbsent(naturalKeyString(item, this.mode), position);
    if (first === undefined) return undefined;
    return this.issue(t, item, line, first);
  }

  /** The duplicate issue of an item whose key the line at `first` (a position) already has. */
  issue(t: OpenedTable, item: InventoryItem, line: number, first: number): Issue {
    const nk = naturalKey(item, this.mode); // its label and column, for the issue only
    return issue(
      'INP_DUPLICATE_KEY',
      { entity: KIND_LABEL[item.kind], key: nk.label, firstLine: this.positions.label(t, first) },
      { file: t.report.file, line, column: t.columnName(nk.column) },
    );
  }
}

/**
 * The second part of a physical equipment's natural key (§2.11): its data source in lenient mode; undefined when the
 * key is the name alone (strict mode, no data source). The key is `name + '\u0000' + suffix`.
 */
export function physicalKeySuffix(e: PhysicalEquipment, mode: ValidationMode): string | undefined {
  return mode === 'strict' ? undefined : e.dataSource;
}

/**
 * `naturalKey(item, mode).key` without the label and column (allocated per line otherwise): the same cases, kept
 * side by side with `naturalKey` (a test checks they agree).
 */
export function naturalKeyString(item: InventoryItem, mode: ValidationMode): string {
  const S = '\u0000';
  switch (item.kind) {
    case 'entity':
    case 'datacenter':
    case 'non-it':
      return item.item.name;
    case 'physical-equipment': {
      const suffix = physicalKeySuffix(item.item, mode);
      return suffix === undefined ? item.item.name : item.item.name + S + suffix;
    }
    case 'virtual-equipment': {
      const { name, host, hostDataSource, infrastructure } = item.item;
      if (mode === 'strict' || infrastructure === 'CLOUD_SERVICES' || host === undefined) return name;
      return name + S + (hostDataSource === undefined ? host : host + S + hostDataSource);
    }
    case 'application':
    case 'messaging':
      return naturalKey(item, mode).key;
  }
}

/** Natural key of an item (§2.11), with a readable label and the column to name in the duplicate issue. */
export function naturalKey(item: InventoryItem, mode: ValidationMode): { key: string; label: string; column: string } {
  const S = '\u0000';
  switch (item.kind) {
    case 'entity':
      return { key: item.item.name, label: item.item.name, column: 'nomEntite' };
    case 'datacenter':
      return { key: item.item.name, label: item.item.name, column: 'nomCourtDatacenter' };
    case 'physical-equipment': {
      const { name } = item.item;
      const dataSource = physicalKeySuffix(item.item, mode);
      if (dataSource === undefined) return { key: name, label: name, column: 'nomEquipementPhysique' };
      return { key: name + S + dataSource, label: `${name} / ${dataSource}`, column: 'nomEquipementPhysique' };
    }
    case 'virtual-equipment': {
      const { name, host, hostDataSource, infrastructure } = item.item;
      if (mode === 'strict' || infrastructure === 'CLOUD_SERVICES' || host === undefined) {
        return { key: name, label: name, column: 'nomEquipementVirtuel' };
      }
      const hostKey = hostDataSource === undefined ? host : host + S + hostDataSource;
      return {
        key: name + S + hostKey,
        label: [name, host, hostDataSource].filter((x) => x !== undefined).join(' / '),
        column: 'nomEquipementVirtuel',
      };
    }
    case 'application': {
      const { name, environment, vm, host, vmDataSource } = item.item;
      const parts = [name, environment, vm ?? '', host ?? '', vmDataSource ?? ''];
      return {
        key: parts.join(S),
        label: parts.filter((x) => x !== '').join(' / '),
        column: 'nomApplication',
      };
    }
    case 'non-it':
      return { key: item.item.name, label: item.item.name, column: 'nomItemNonIT' };
    case 'messaging': {
      const { entity, year, month } = item.item;
      const ym = `${String(month).padStart(2, '0')}${year}`;
      return { key: (entity ?? '') + S + ym, label: `${entity ?? '(no entity)'} / ${ym}`, column: 'MoisAnnee' };
    }
  }
}
