import { assessInventory, type InventoryInput, type RunContext } from '../../src/engine/index.js';
import type { Referential } from '../../src/referential/model.js';

export const CTX: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-01-01',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
};

export function run(input: InventoryInput, ref: Referential, ctx: Partial<RunContext> = {}) {
  const out = assessInventory(input, ref, { ...CTX, ...ctx });
  const value = (item: string, step: string, criterion = 'CLIMATE_CHANGE', kind?: string) => {
    const row = out.indicators.find(
      (r) => r.item === item && r.lifecycleStep === step && r.criterion === criterion && (!kind || r.kind === kind),
    );
    if (!row) throw new Error(`no indicator ${item}/${step}/${criterion}`);
    return row;
  };
  return { ...out, value };
}
