/** `naturalKeyString` (the duplicate check's key, per line) agrees with `naturalKey(…).key` for every kind and mode. */
import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/inventory/model.js';
import { naturalKey, naturalKeyString } from '../../src/inventory/pipeline/natural-key.js';

const items = [
  { kind: 'entity', item: { name: 'E1' } },
  { kind: 'datacenter', item: { name: 'DC1' } },
  { kind: 'non-it', item: { name: 'N1' } },
  { kind: 'physical-equipment', item: { name: 'P1' } },
  { kind: 'physical-equipment', item: { name: 'P1', dataSource: 'SRC' } },
  { kind: 'virtual-equipment', item: { name: 'V1' } },
  { kind: 'virtual-equipment', item: { name: 'V1', host: 'H1' } },
  { kind: 'virtual-equipment', item: { name: 'V1', host: 'H1', hostDataSource: 'S' } },
  { kind: 'virtual-equipment', item: { name: 'V1', host: 'H1', infrastructure: 'CLOUD_SERVICES' } },
  { kind: 'application', item: { name: 'A1', environment: 'prod', vm: 'V1', host: 'H1', vmDataSource: 'S' } },
  { kind: 'application', item: { name: 'A1', environment: 'prod' } },
  { kind: 'messaging', item: { entity: 'E1', year: 2025, month: 3 } },
  { kind: 'messaging', item: { year: 2025, month: 11 } },
] as unknown as InventoryItem[];

describe('naturalKeyString', () => {
  for (const mode of ['strict', 'lenient'] as const) {
    it(`equals naturalKey(…).key in ${mode} mode`, () => {
      for (const item of items) expect(naturalKeyString(item, mode)).toBe(naturalKey(item, mode).key);
    });
  }
});
